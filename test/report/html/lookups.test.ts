/** Lookups into the ReportModel: through the per-model index, refusing ids the model does not have. */
import { describe, expect, it } from 'vitest';
import { controlRef, findingGroups, findingsWithStatus, indexModel } from '../../../src/report/html/lookups.js';
import { makeReportModel } from '../../support/model-factory.js';

describe('lookup helpers', () => {
  it('resolves ids through the index and refuses unknown ones', () => {
    const model = makeReportModel();
    const ep = model.scope.endpoints[1]!;
    expect(findingsWithStatus(model, ep.findingIds, 'fail', 'warn').map((f) => f.status)).toEqual(['fail', 'fail', 'warn']);
    expect(findingsWithStatus(model, ep.findingIds, 'pass')).toHaveLength(1);
    expect(controlRef(model, 'hipaa', '164.312(e)(1)').anchor).toBe('ctl-hipaa-164-312-e-1-');
    expect(() => controlRef(model, 'hipaa', '9.9')).toThrow(/no control "9.9"/);
    expect(() => findingsWithStatus(model, ['nope'], 'fail')).toThrow(/no finding "nope"/);
    expect(indexModel(model)).toBe(indexModel(model));
  });

  it('groups a control\'s findings by check in first-seen order', () => {
    const model = makeReportModel({ extraEndpoints: 3 });
    const groups = findingGroups(model, model.frameworks[0]!.controls[0]!.findingIds);
    expect(groups.map((g) => g.checkId)).toEqual(['proto-tls10', 'cert-hostname-mismatch', 'proto-tls13-missing']);
    expect(groups[0]!.findings).toHaveLength(5);
  });
});
