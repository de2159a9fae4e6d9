import { describe, expect, it } from 'vitest';
import { evaluateControl } from '../../src/map/evaluate.js';
import type { Finding, FindingStatus } from '../../src/model/finding.js';
import type { Control } from '../../src/model/framework.js';

const control: Control = {
  id: '4.2.1', title: 'Strong cryptography in transit', paraphrase: 'Protect PAN in transit with strong crypto.',
  confidence: 'high', interpretation: false,
  checks: [
    { check: 'proto-tls10', coverage: 'partial', rationale: 'Early TLS is not strong cryptography.' },
    { check: 'cert-expired', coverage: 'partial', rationale: 'Certificates must be valid and not expired.' },
  ],
};

function f(checkId: string, status: FindingStatus, host = 'a.test'): Finding {
  const endpoint = { host, port: 25, service: 'smtp' as const, transport: 'starttls' as const };
  return { id: `${checkId}@${host}:25`, checkId, endpoint, endpointKey: `${host}:25`, status, severity: 'high', messageId: 'x', message: 'x', data: {}, evidence: [] };
}
const by = (...fs: Finding[]) => {
  const m = new Map<string, Finding[]>();
  for (const x of fs) m.set(x.checkId, [...(m.get(x.checkId) ?? []), x]);
  return m;
};

describe('evaluateControl', () => {
  it.each([
    ['fail when any linked finding fails', [f('proto-tls10', 'pass'), f('cert-expired', 'fail', 'b.test')], 'fail', /1 failing finding on 1 endpoint/],
    ['warn when nothing fails but something warns', [f('proto-tls10', 'warn'), f('cert-expired', 'pass')], 'warn', /1 warning/],
    ['pass only when something linked passed, saying what was not tested', [f('proto-tls10', 'pass'), f('cert-expired', 'not-tested', 'b.test')], 'pass', /passed on 1 endpoint; some linked checks could not be tested on 1 endpoint/],
    ['pass with no caveat when everything linked passed', [f('proto-tls10', 'pass'), f('cert-expired', 'pass')], 'pass', /passed on 1 endpoint\.$/],
    ['not assessed when nothing could be tested', [f('proto-tls10', 'not-tested'), f('cert-expired', 'error')], 'not-assessed', /could not be tested/],
    ['not assessed when nothing is in scope', [], 'not-assessed', /No in-scope endpoint/],
    ['ignores findings of checks the control does not link', [f('proto-sslv3', 'fail')], 'not-assessed', /No in-scope endpoint/],
  ] as const)('%s', (_name, findings, status, reason) => {
    const ev = evaluateControl(control, by(...findings));
    expect(ev.status).toBe(status);
    expect(ev.statusReason).toMatch(reason);
    expect(ev.findings.every((x) => x.status === 'fail' || x.status === 'warn')).toBe(true);
  });
});
