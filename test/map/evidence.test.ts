import { describe, expect, it } from 'vitest';
import { evaluateEvidence, evaluateEvidenceProperty, type EvidenceFacts } from '../../src/map/evidence.js';
import { EVIDENCE_PROPERTY_IDS } from '../../src/model/framework.js';

const endpoint = (key: string, over: Partial<EvidenceFacts['endpoints'][number]> = {}): EvidenceFacts['endpoints'][number] => ({
  key, observedAtSource: 'input', tool: 'testssl.sh 3.2', scanState: 'completed', inventoried: true, ...over,
});
const facts = (over: Partial<EvidenceFacts> = {}): EvidenceFacts => ({
  generatedAt: '2026-10-01T09:00:00.000Z', toolVersion: '0.1.0',
  inputs: [{ file: 'scan.csv', sha256: 'a'.repeat(64) }],
  endpoints: [endpoint('mx.example.test:25'), endpoint('mail.example.test:993')],
  domainListGiven: true, assetsWithoutResults: [], inputProblems: 0, ...over,
});

describe('report properties', () => {
  it('all hold for a complete, dated, hashed report, except retention, which tlsproof never sees', () => {
    const all = evaluateEvidence(facts());
    expect([...all.keys()]).toEqual(EVIDENCE_PROPERTY_IDS);
    expect(Object.fromEntries([...all].map(([k, v]) => [k, v.status]))).toEqual({
      'report-dated': 'pass', 'inputs-hashed': 'pass', 'tool-identified': 'pass', 'crypto-inventory': 'pass', 'scope-complete': 'pass', 'records-retained': 'not-tested',
    });
    expect(all.get('report-dated')?.detail).toBe('The report records its generation time (2026-10-01 09:00 UTC) and when the scan of each of its 2 endpoints ran.');
  });

  it.each([
    ['report-dated', { endpoints: [endpoint('a:25', { observedAtSource: 'file-mtime' }), endpoint('b:25')] }, 'warn', /for 1 endpoint of 2 the scan time is only the input file's modification time/],
    ['inputs-hashed', { inputs: [{ file: 'scan.csv', sha256: '' }] }, 'fail', /1 input file lacks a SHA-256 digest: scan\.csv/],
    ['inputs-hashed', { inputs: [] }, 'not-tested', /no input files/],
    ['tool-identified', { endpoints: [endpoint('a:25', { tool: null })] }, 'warn', /scanner behind 1 endpoint of 1 is not identified/],
    ['crypto-inventory', { endpoints: [endpoint('a:25', { inventoried: false })] }, 'warn', /did not establish every protocol version/],
    ['scope-complete', { assetsWithoutResults: ['portal.example.test'] }, 'warn', /^The requested scope was not reached: no scan results for portal\.example\.test\.$/],
    ['scope-complete', { endpoints: [endpoint('a:25', { scanState: 'failed' })] }, 'warn', /the scan of 1 endpoint failed/],
    ['scope-complete', { domainListGiven: false }, 'warn', /no domain list states what was meant to be in scope/],
    ['scope-complete', { endpoints: [endpoint('a:25', { scanState: 'partial' })], inputProblems: 2 }, 'warn', /completed only in part; 2 input problems/],
    ['scope-complete', { endpoints: [], assetsWithoutResults: ['portal.example.test'] }, 'warn', /portal\.example\.test/],
    ['report-dated', { endpoints: [] }, 'not-tested', /No endpoint is in scope for this framework/],
  ] as const)('%s: %j → %s', (property, over, status, detail) => {
    const result = evaluateEvidenceProperty(property, facts(over));
    expect(result.status).toBe(status);
    expect(result.detail).toMatch(detail);
  });
});
