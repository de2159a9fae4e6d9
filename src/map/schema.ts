/**
 * The JSON Schemas of the data files in mappings/, generated from the zod schemas the loader
 * uses, so the two cannot disagree. They are committed under `mappings/schema/` for editors
 * (each data file names its schema in a `yaml-language-server` comment);
 * test/integrity/mapping-schema.test.ts fails when a committed file is stale. To regenerate:
 * `npx vitest run test/integrity/mapping-schema.test.ts -u`.
 */
import { z } from 'zod';
import { CHECK_IDS } from '../checks/index.js';
import {
  CheckLinkSchema, GRADING_FORMAT, GradingFileSchema, MAPPING_FORMAT, MappingFileSchema, SCOPE_FORMAT, ScopeRulesSchema,
} from '../model/framework.js';

/** Where the generated mapping-file schema lives, relative to the package root. */
const MAPPING_JSON_SCHEMA_PATH = 'mappings/schema/mapping.v1.json';

export interface PublishedSchema {
  /** Path relative to the package root. */
  readonly path: string;
  readonly schema: z.ZodType;
  readonly title: string;
  readonly description: string;
  /** 'input': what an author writes (defaulted keys optional); 'output': what a reader gets. @default 'input' */
  readonly io?: 'input' | 'output';
  /** The source file named in the generated schema's $comment. @default src/model/framework.ts */
  readonly from?: string;
}

/** Every published schema: one per kind of data file in mappings/. */
export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
  {
    path: MAPPING_JSON_SCHEMA_PATH, schema: MappingFileSchema, title: `tlsproof mapping file (${MAPPING_FORMAT})`,
    description: 'One compliance framework version: its controls and, for each, the tlsproof checks and report properties that give evidence for it.',
  },
  {
    path: 'mappings/schema/scope.v1.json', schema: ScopeRulesSchema, title: `tlsproof scope rules (${SCOPE_FORMAT})`,
    description: 'Which frameworks a domain\'s data classes bring into scope, and the default frameworks.',
  },
  {
    path: 'mappings/schema/grading.v1.json', schema: GradingFileSchema, title: `tlsproof grading rules (${GRADING_FORMAT})`,
    description: 'Rules that keep grading fair to mail, named by check links in mapping files.',
  },
];

/** The JSON Schema for one data file, as a plain object. */
export function jsonSchemaFor(published: PublishedSchema): Record<string, unknown> {
  // io: 'input' describes what an author may write: keys with defaults (interpretation,
  // relevance…) are optional in the file even though they are always present after parsing.
  // The model takes any string as a check id; an editor should offer the registry's ids.
  const generated = z.toJSONSchema(published.schema, {
    io: published.io ?? 'input',
    override: (ctx) => {
      if (ctx.zodSchema === CheckLinkSchema.shape.check) ctx.jsonSchema.enum = [...CHECK_IDS];
    },
  });
  return {
    ...generated,
    title: published.title,
    description: published.description,
    $comment: `Generated from ${published.from ?? 'src/model/framework.ts'} by src/map/schema.ts; do not edit by hand.`,
  };
}

/** The exact text of a committed schema file: two-space JSON with a final newline. */
export function jsonSchemaText(published: PublishedSchema): string {
  return `${JSON.stringify(jsonSchemaFor(published), null, 2)}\n`;
}
