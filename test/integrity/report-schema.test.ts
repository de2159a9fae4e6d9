/**
 * The committed JSON Schemas under templates/schema/ must equal the ones generated from the zod
 * schemas the code parses with: the ReportModel templates see, and report.config.yaml. After
 * changing src/model/report-model.ts or src/config/schema.ts, regenerate with
 * `npx vitest run test/integrity/report-schema.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import { jsonSchemaFor, jsonSchemaText } from '../../src/map/schema.js';
import { REPORT_SCHEMAS } from '../../src/report/schema.js';
import { makeReportModel } from '../support/model-factory.js';

type Obj = { type?: string; properties?: Record<string, Obj>; required?: string[]; additionalProperties?: unknown; items?: Obj; anyOf?: Obj[] };

describe('templates/schema/*.json', () => {
  it.each(REPORT_SCHEMAS.map((p) => [p.path, p] as const))('%s equals the schema generated from the code', async (path, published) => {
    await expect(jsonSchemaText(published)).toMatchFileSnapshot(`../../${path}`);
  });

  it('the ReportModel schema names every key a real model has, and only those', () => {
    const schema = jsonSchemaFor(REPORT_SCHEMAS[0]!) as Obj;
    const model = makeReportModel({ history: true, senderReports: true }) as unknown as Record<string, unknown>;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(model).sort());
    expect(schema.additionalProperties).toBe(false);
    // What a template reads most: each finding's fields, endpoints and frameworks' controls.
    const finding = schema.properties!['findings']!.items!;
    expect(finding.required).toEqual(expect.arrayContaining(['id', 'checkId', 'severity', 'status', 'evidence']));
    expect(Object.keys(schema.properties!['frameworks']!.items!.properties ?? {})).toEqual(expect.arrayContaining(['id', 'title', 'controls', 'counts']));
  });

  it('the config schema is what an author writes: unknown keys refused, every key optional', () => {
    const schema = jsonSchemaFor(REPORT_SCHEMAS[1]!) as Obj;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['organisation', 'logo', 'font', 'sections', 'text', 'signOff', 'remediationDeadlines', 'fiscalYearStart']));
  });
});
