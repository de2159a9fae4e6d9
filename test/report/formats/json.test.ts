/**
 * --format json through the registry: the ReportModel itself, read back and parsed with its schema,
 * and a model that breaks the published contract refused rather than written.
 */
import { describe, expect, it } from 'vitest';
import { ReportModelSchema } from '../../../src/model/report-model.js';
import { renderFormat } from '../../../src/report/formats/index.js';
import { makeReportModel } from '../../support/model-factory.js';

describe('--format json', () => {
  it('writes <base>.json: the model, equal to the one rendered once parsed with its schema', async () => {
    const model = makeReportModel({ history: true });
    const files = await renderFormat('json', model, 'tlsproof-Q3-2026', {});
    expect(files.map((f) => f.name)).toEqual(['tlsproof-Q3-2026.json']);
    const text = new TextDecoder().decode(files[0]!.bytes);
    expect(text.endsWith('}\n')).toBe(true);
    expect(ReportModelSchema.parse(JSON.parse(text))).toEqual(ReportModelSchema.parse(model));
  });

  it('refuses a model that breaks its schema instead of writing it', async () => {
    const broken = { ...makeReportModel(), schemaVersion: 2 } as unknown as ReturnType<typeof makeReportModel>;
    await expect(renderFormat('json', broken, 'x', {})).rejects.toThrow(/schemaVersion/);
  });
});
