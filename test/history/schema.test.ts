/**
 * The history section is part of the ReportModel contract: optional and nullable, validated by the
 * same schema the JSON renderer enforces.
 */
import { describe, expect, it } from 'vitest';
import { ReportModelSchema } from '../../src/model/report-model.js';
import { jsonRenderer } from '../../src/report/json.js';
import { makeReportModel } from '../support/model-factory.js';

describe('ReportModel.history', () => {
  it('is null unless asked for, and a full section validates and renders as JSON', async () => {
    expect(makeReportModel().history).toBeNull();
    const model = makeReportModel({ history: true });
    const json = JSON.parse(new TextDecoder().decode(await jsonRenderer.render(model, {}))) as { history: { persisting: unknown[] } };
    expect(json.history.persisting).toHaveLength(1);
  });

  it('may be absent (models built before the store existed still validate)', () => {
    const { history: _h, ...withoutHistory } = makeReportModel();
    expect(ReportModelSchema.safeParse(withoutHistory).success).toBe(true);
  });

  it('rejects a malformed section', () => {
    const model = makeReportModel({ history: true });
    const bad = { ...model, history: { ...model.history!, new: [{ findingId: 'x' }] } };
    expect(ReportModelSchema.safeParse(bad).success).toBe(false);
  });
});
