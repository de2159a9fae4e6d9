/**
 * The committed JSON Schemas (mappings/schema/*.json) must equal the ones generated from the zod
 * schemas the loader uses, so editor validation never drifts from the loader. After changing
 * src/model/framework.ts, regenerate with `npx vitest run test/integrity/mapping-schema.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SCHEMAS, jsonSchemaFor, jsonSchemaText } from '../../src/map/schema.js';

describe('mappings/schema/*.json', () => {
  it.each(PUBLISHED_SCHEMAS.map((p) => [p.path, p] as const))('%s equals the schema generated from src/model/framework.ts', async (path, published) => {
    await expect(jsonSchemaText(published)).toMatchFileSnapshot(`../../${path}`);
  });

  it('describes what an author writes: defaulted keys are optional, unknown keys refused', () => {
    const schema = jsonSchemaFor(PUBLISHED_SCHEMAS[0]!) as { properties: { controls: { items: { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> } } } };
    const control = schema.properties.controls.items;
    expect(control.required).toEqual(['id', 'kind', 'title', 'paraphrase', 'confidence']);
    expect(control.additionalProperties).toBe(false);
    expect(Object.keys(control.properties)).toEqual(expect.arrayContaining(['checks', 'evidence', 'unconfirmed', 'aliases']));
  });
});
