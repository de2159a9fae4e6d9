/**
 * --format oscal through the registry: one OSCAL Assessment Results document named by the entry
 * (test/report/oscal validates it against NIST's schema).
 */
import { describe, expect, it } from 'vitest';
import { renderFormat } from '../../../src/report/formats/index.js';
import { makeReportModel } from '../../support/model-factory.js';

describe('--format oscal', () => {
  it('writes <base>.oscal.json: Assessment Results, OSCAL 1.1.3, one OSCAL observation per finding at least', async () => {
    const model = makeReportModel();
    const files = await renderFormat('oscal', model, 'tlsproof-Q3-2026', {});
    expect(files.map((f) => f.name)).toEqual(['tlsproof-Q3-2026.oscal.json']);
    const doc = JSON.parse(new TextDecoder().decode(files[0]!.bytes)) as {
      'assessment-results': { metadata: { 'oscal-version': string; title: string }; results: { observations: unknown[] }[] };
    };
    const ar = doc['assessment-results'];
    expect(ar.metadata['oscal-version']).toBe('1.1.3');
    expect(ar.results).toHaveLength(1);
    expect(ar.results[0]!.observations.length).toBeGreaterThanOrEqual(model.findings.length);
  });
});
