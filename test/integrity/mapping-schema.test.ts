/**
 * The committed JSON Schema (mappings/schema/mapping.v1.json) must equal the one generated from
 * the zod schema, so editor validation never drifts from the loader. After changing
 * src/model/framework.ts, regenerate with `npx vitest run test/integrity/mapping-schema.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import { mappingJsonSchemaText } from '../../src/map/schema.js';

describe('mappings/schema/mapping.v1.json', () => {
  it('equals the schema generated from src/model/framework.ts', async () => {
    await expect(mappingJsonSchemaText()).toMatchFileSnapshot('../../mappings/schema/mapping.v1.json');
  });
});
