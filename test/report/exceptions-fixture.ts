/**
 * A report model with an exception register applied by hand, as the core would apply it: one
 * active exception accepting a failing finding, one expiring within 30 days accepting two
 * warnings, one expired (its finding open again), one stale. For the renderers' tests.
 */
import { ReportModelSchema, type ReportModel } from '../../src/model/report-model.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../support/model-factory.js';

export const EXCEPTIONS_FILE = 'policy/exceptions.yaml';
export const EXCEPTIONS_SHA = 'c0ffee'.repeat(10) + 'c0ff';

type Entry = ReportModel['exceptions']['entries'][number];

const base = (id: string, line: number, checks: string[], hosts: string[] | undefined, expires: string, extra: Partial<Entry>): Entry => ({
  id, line, match: { checks: checks as Entry['match']['checks'] & string[], ...(hosts ? { hosts } : {}) },
  justification: `Justification of ${id}`, compensatingControl: `Compensating control of ${id}`,
  approver: { name: 'Jane Roe', role: 'Chief Information Security Officer' }, approvedOn: '2026-04-02', ticket: `RISK-${line}`, expires,
  state: 'active', matchedFindingIds: [], ...extra,
});

export function modelWithExceptions(): ReportModel {
  const m = makeReportModel();
  const find = (check: string, host: string) => {
    const f = m.findings.find((x) => x.checkId === check && x.endpoint.host.startsWith(host));
    if (!f) throw new Error(`fixture: no ${check} on ${host}`);
    return f;
  };
  const tls10 = find('proto-tls10', 'legacy.');
  const tls13a = find('proto-tls13-missing', 'imap.');
  const tls13b = find('proto-tls13-missing', 'legacy.');
  const mismatch = find('cert-hostname-mismatch', 'imap.');
  tls10.acceptance = { exceptionId: 'EXC-2026-001', expires: '2027-03-31', state: 'active' };
  tls13a.acceptance = { exceptionId: 'EXC-2026-002', expires: '2026-10-20', state: 'expiring-soon' };
  tls13b.acceptance = { exceptionId: 'EXC-2026-002', expires: '2026-10-20', state: 'expiring-soon' };
  mismatch.lapsedException = { exceptionId: 'EXC-2025-009', expiredOn: '2026-09-15' };
  m.exceptions = {
    source: { file: EXCEPTIONS_FILE, sha256: EXCEPTIONS_SHA },
    maxMonths: 12,
    entries: [
      base('EXC-2026-001', 4, ['proto-tls10'], ['legacy.*'], '2027-03-31', {
        matchedFindingIds: [tls10.id], justification: `Partner relay needs TLS 1.0 until its March upgrade ${HOSTILE_SUBJECT}`,
        compensatingControl: 'Inbound restricted to the partner\'s two IP addresses; DMARC p=reject on the partner domain.',
      }),
      base('EXC-2026-002', 18, ['proto-tls13-missing'], undefined, '2026-10-20', { state: 'expiring-soon', matchedFindingIds: [tls13a.id, tls13b.id] }),
      base('EXC-2025-009', 30, ['cert-hostname-mismatch'], ['imap.*'], '2026-09-15', { state: 'expired', approvedOn: '2025-09-16', matchedFindingIds: [mismatch.id] }),
      base('EXC-2026-004', 42, ['cipher-rc4'], undefined, '2027-01-31', { state: 'stale' }),
    ],
    counts: { open: 3, accepted: 3, lapsed: 1 },
  };
  return ReportModelSchema.parse(m);
}
