/**
 * The JSON Schema of the mapping file format, generated from the zod schema that the loader uses,
 * so the two cannot disagree. It is committed as `mappings/schema/mapping.v1.json` for editors
 * (each mapping file names it in a `yaml-language-server` comment);
 * test/integrity/mapping-schema.test.ts fails when the committed file is stale. To regenerate it:
 * `npx vitest run test/integrity/mapping-schema.test.ts -u`.
 */
import { z } from 'zod';
import { MAPPING_FORMAT, MappingFileSchema } from '../model/framework.js';

/** Where the generated schema lives, relative to the package root. */
export const MAPPING_JSON_SCHEMA_PATH = 'mappings/schema/mapping.v1.json';

/** The JSON Schema for one mapping file, as a plain object. */
export function mappingJsonSchema(): Record<string, unknown> {
  // io: 'input' describes what an author may write: keys with defaults (interpretation) are
  // optional in the file even though they are always present after parsing.
  const generated = z.toJSONSchema(MappingFileSchema, { io: 'input' });
  return {
    ...generated,
    title: `tlsproof mapping file (${MAPPING_FORMAT})`,
    description: 'One compliance framework version: its controls and, for each, the tlsproof checks that give evidence for it.',
    $comment: `Generated from src/model/framework.ts by src/map/schema.ts; do not edit by hand.`,
  };
}

/** The exact text of the committed file: two-space JSON with a final newline. */
export function mappingJsonSchemaText(): string {
  return `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`;
}
