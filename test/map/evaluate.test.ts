/**
 * The verdict rules, one table per control kind: only technical controls pass or fail, only full
 * links that are not our interpretation decide them, supporting links warn at most, process
 * controls receive evidence and definitions are never graded.
 */
import { describe, expect, it } from 'vitest';
import { evaluateControl } from '../../src/map/evaluate.js';
import type { EvidenceResult } from '../../src/map/evidence.js';
import type { Service } from '../../src/model/endpoint.js';
import type { Finding, FindingStatus } from '../../src/model/finding.js';
import type { CheckLink, Control, EvidencePropertyId, GradingRule } from '../../src/model/framework.js';

const link = (check: CheckLink['check'], coverage: CheckLink['coverage'], extra: Partial<CheckLink> = {}): CheckLink => ({
  check, coverage, interpretation: false,
  rationale: coverage === 'indirect' ? 'Indirect evidence: supports the control.' : 'Why this check is evidence here.', ...extra,
});

/** A technical control decided by proto-tls10 (full), with cert-expired as partial support. */
const technical: Control = {
  id: '4.2.1', kind: 'technical', title: 'Strong cryptography in transit', paraphrase: 'Protect PAN in transit with strong crypto.',
  confidence: 'high', unconfirmed: false, evidence: [],
  checks: [link('proto-tls10', 'full'), link('cert-expired', 'partial')],
};

function f(checkId: string, status: FindingStatus, host = 'a.test', port = 25, service: Service = 'smtp'): Finding {
  const endpoint = { host, port, service, transport: 'starttls' as const };
  return { id: `${checkId}@${host}:${port}`, checkId, endpoint, endpointKey: `${host}:${port}`, status, severity: 'high', messageId: 'x', message: 'x', data: {}, evidence: [] };
}
const by = (...fs: Finding[]) => {
  const m = new Map<string, Finding[]>();
  for (const x of fs) m.set(x.checkId, [...(m.get(x.checkId) ?? []), x]);
  return m;
};
const smtp = (host: string) => ({ key: `${host}:25`, service: 'smtp' as const });

describe('technical controls: only full links decide', () => {
  it.each([
    ['fail when a full link fails', [f('proto-tls10', 'fail'), f('cert-expired', 'pass')], 'fail', /^1 failing finding on 1 endpoint from checks that decide this control/],
    ['warn, not fail, when only a partial link fails', [f('proto-tls10', 'pass'), f('cert-expired', 'fail')], 'warn', /1 failing finding of partial, indirect or interpretive links/],
    ['warn when a full link warns', [f('proto-tls10', 'warn'), f('cert-expired', 'pass')], 'warn', /1 warning on 1 endpoint/],
    ['pass when the full link passed everywhere', [f('proto-tls10', 'pass'), f('cert-expired', 'pass')], 'pass', /passed a check that decides this control/],
    ['pass, naming what a partial link could not test', [f('proto-tls10', 'pass'), f('cert-expired', 'not-tested')], 'pass', /some linked checks could not be tested on 1 endpoint/],
    ['evidence, not pass, when the full link was not tested', [f('proto-tls10', 'not-tested'), f('cert-expired', 'pass')], 'evidence', /could not be tested on 1 endpoint of 1/],
    ['not assessed when nothing could be tested', [f('proto-tls10', 'not-tested'), f('cert-expired', 'error')], 'not-assessed', /could not be tested on any/],
    ['not assessed when nothing is in scope', [], 'not-assessed', /No in-scope endpoint/],
    ['ignores findings of checks the control does not link', [f('proto-sslv3', 'fail')], 'not-assessed', /No in-scope endpoint/],
  ] as const)('%s', (_name, findings, status, reason) => {
    const ev = evaluateControl(technical, by(...findings));
    expect(ev.status).toBe(status);
    expect(ev.statusReason).toMatch(reason);
    expect(ev.findings.every((x) => x.status === 'fail' || x.status === 'warn')).toBe(true);
  });

  it.each([
    ['partial', link('proto-tls10', 'partial')],
    ['indirect', link('proto-tls10', 'indirect')],
    ['full but our interpretation', link('proto-tls10', 'full', { interpretation: true })],
  ] as const)('a %s link can warn but never fail or pass the control', (_name, only) => {
    const control: Control = { ...technical, checks: [only] };
    const failed = evaluateControl(control, by(f('proto-tls10', 'fail')));
    expect(failed.status).toBe('warn');
    expect(failed.counts).toMatchObject({ fail: 0, warn: 1 });
    // The finding itself stays failed; it is listed as supporting evidence.
    expect(failed.findings.map((x) => x.status)).toEqual(['fail']);
    const clean = evaluateControl(control, by(f('proto-tls10', 'pass')));
    expect(clean.status).toBe('evidence');
    expect(clean.statusReason).toMatch(/no linked check decides this control on its own/);
  });

  it('never turns a warning into a failure, even on a full link', () => {
    expect(evaluateControl(technical, by(f('proto-tls10', 'warn'), f('proto-tls10', 'warn', 'b.test'))).status).toBe('warn');
  });

  it('passes only when every in-scope endpoint passed a deciding check', () => {
    const endpoints = [smtp('a.test'), smtp('b.test')];
    // b.test has no finding of the deciding check at all: it is in scope, so the control cannot pass.
    const ev = evaluateControl(technical, by(f('proto-tls10', 'pass')), { endpoints });
    expect(ev.status).toBe('evidence');
    expect(ev.statusReason).toMatch(/could not be tested on 1 endpoint of 2/);
    expect(evaluateControl(technical, by(f('proto-tls10', 'pass'), f('proto-tls10', 'pass', 'b.test')), { endpoints }).status).toBe('pass');
  });

  it('judges a link only on its services, for failures and for the pass', () => {
    // An IMAP-only rule (like RFC 9051 on LOGIN): the MX's failure is not its business.
    const imapOnly: Control = { ...technical, checks: [link('auth-before-starttls', 'full', { services: ['imap'] })] };
    const findings = by(f('auth-before-starttls', 'fail', 'mx.test', 25, 'smtp'), f('auth-before-starttls', 'pass', 'imap.test', 143, 'imap'));
    const endpoints = [{ key: 'mx.test:25', service: 'smtp' as const }, { key: 'imap.test:143', service: 'imap' as const }];
    const ev = evaluateControl(imapOnly, findings, { endpoints });
    expect(ev.status).toBe('pass');
    expect(ev.findings).toEqual([]);
    expect(ev.statusReason).toMatch(/\(1 endpoint\)/);
  });
});

describe('process controls: evidence supplied, never graded', () => {
  const process: Control = {
    ...technical, id: '11.3.2', kind: 'process', title: 'External vulnerability scans by an ASV',
    checks: [link('vuln-heartbleed', 'partial'), link('proto-tls10', 'indirect')],
    evidence: [{ property: 'report-dated', coverage: 'partial', rationale: 'Dated scans show the cadence.', interpretation: false }],
  };
  const dated = new Map([['report-dated', { status: 'pass', detail: 'dated' }]] as const);

  it.each([
    ['a clean scan', [f('vuln-heartbleed', 'pass'), f('proto-tls10', 'pass')], /the linked checks found no problem on 1 endpoint/],
    ['failing findings', [f('vuln-heartbleed', 'fail'), f('proto-tls10', 'fail', 'b.test')], /2 failing or warning findings on 2 endpoints to weigh in it/],
    ['warnings', [f('vuln-heartbleed', 'warn')], /1 failing or warning finding on 1 endpoint/],
  ] as const)('%s gives evidence supplied, listing what the report contributes', (_name, findings, reason) => {
    const ev = evaluateControl(process, by(...findings), { evidence: dated });
    expect(ev.status).toBe('evidence');
    expect(ev.statusReason).toMatch(/^A process control: a TLS scan cannot decide it/);
    expect(ev.statusReason).toMatch(reason);
    expect(ev.statusReason).toMatch(/report property "Report and observations are dated": met/);
    expect(ev.findings.length).toBe(findings.filter((x) => x.status !== 'pass').length);
  });

  it('is not assessed when nothing linked was assessed (no endpoint in scope)', () => {
    const none = new Map([['report-dated', { status: 'not-tested', detail: 'No endpoint is in scope for this framework.' }]] as const);
    const ev = evaluateControl(process, new Map(), { evidence: none });
    expect(ev.status).toBe('not-assessed');
    expect(ev.statusReason).toBe('Not assessed: No endpoint is in scope for this framework.');
  });

  it('is never graded even by a full link that fails (the loader refuses such a file; the engine does not trust it)', () => {
    const forced: Control = { ...process, checks: [link('vuln-heartbleed', 'full')] };
    expect(evaluateControl(forced, by(f('vuln-heartbleed', 'fail'))).status).toBe('evidence');
    expect(evaluateControl(forced, by(f('vuln-heartbleed', 'pass'))).status).toBe('evidence');
  });
});

describe('definitions: never graded', () => {
  it('is not graded whatever the findings say', () => {
    const definition: Control = { ...technical, id: '314.2(f)', kind: 'definition', checks: [link('proto-tls10', 'full')] };
    for (const status of ['fail', 'warn', 'pass'] as const) {
      const ev = evaluateControl(definition, by(f('proto-tls10', status)));
      expect(ev.status).toBe('not-graded');
      expect(ev.findings).toEqual([]);
    }
  });
});

describe('evaluateControl with a grading rule (opportunistic STARTTLS on an MX)', () => {
  const rule: GradingRule = {
    id: 'opportunistic-starttls', title: 'Opportunistic STARTTLS on an MX is conformant', statement: 'An MX may offer STARTTLS without requiring it.',
    basis: 'RFC 3207 §4', services: ['smtp'], failAs: 'warn', checks: ['no-forward-secrecy'],
  };
  // no-forward-secrecy stands in for an enforcement check (MTA-STS, DANE): the mechanism is the same.
  const transport: Control = {
    ...technical,
    checks: [link('tls-not-offered', 'full'), link('no-forward-secrecy', 'full', { grading: rule.id })],
  };
  const grading = new Map([[rule.id, rule]]);

  it('counts a failing enforcement finding on port 25 as a warning, with a note saying why', () => {
    const ev = evaluateControl(transport, by(f('no-forward-secrecy', 'fail'), f('tls-not-offered', 'pass')), { grading });
    expect(ev.status).toBe('warn');
    expect(ev.counts).toMatchObject({ fail: 0, warn: 1, pass: 1 });
    expect(ev.statusReason).toBe('No failure from a check that decides this control; 1 warning on 1 endpoint from the linked checks (1 failing finding counted as a warning by grading rule opportunistic-starttls).');
    expect(ev.gradingNote).toBe('Opportunistic STARTTLS on an MX is conformant: 1 failing finding of no-forward-secrecy on smtp counts here as a warning, not a failure (RFC 3207 §4).');
    expect(ev.graded.map((g) => g.findings.map((x) => x.id))).toEqual([['no-forward-secrecy@a.test:25']]);
    // The finding itself is untouched: it still fails in the findings list and under other controls.
    expect(ev.findings[0]?.status).toBe('fail');
  });

  it('still fails the control when STARTTLS is not offered at all', () => {
    const ev = evaluateControl(transport, by(f('no-forward-secrecy', 'fail'), f('tls-not-offered', 'fail')), { grading });
    expect(ev.status).toBe('fail');
  });

  it('does not soften findings on other services (submission must be protected)', () => {
    const ev = evaluateControl(transport, by(f('no-forward-secrecy', 'fail', 'a.test', 587, 'submission')), { grading });
    expect(ev.status).toBe('fail');
    expect(ev.gradingNote).toBeNull();
  });

  it('fails a control that links the check without the rule (the control about enforcement)', () => {
    const enforcement: Control = { ...technical, checks: [link('no-forward-secrecy', 'full')] };
    expect(evaluateControl(enforcement, by(f('no-forward-secrecy', 'fail')), { grading }).status).toBe('fail');
  });
});

describe('evaluateControl with report properties', () => {
  const results = (entries: [EvidencePropertyId, EvidenceResult['status']][]) =>
    new Map(entries.map(([p, status]) => [p, { status, detail: `${p} ${status}` }] as const));
  const retention: Control = {
    ...technical, kind: 'process', checks: [],
    evidence: [
      { property: 'report-dated', coverage: 'partial', rationale: 'Retention runs from the record date.', interpretation: false },
      { property: 'records-retained', coverage: 'full', rationale: 'Keeping the record is the rule.', interpretation: false },
    ],
  };

  it('never passes a records control, and says what it could and could not see', () => {
    const ev = evaluateControl(retention, new Map(), { evidence: results([['report-dated', 'pass'], ['records-retained', 'not-tested']]) });
    expect(ev.status).toBe('evidence');
    expect(ev.statusReason).toBe('A process control: a TLS scan cannot decide it, so the report supplies evidence and no grade; '
      + 'report property "Report and observations are dated": met; outside what tlsproof can see: Report retained for the required period.');
    expect(ev.evidence.map((e) => [e.link.property, e.result.status])).toEqual([['report-dated', 'pass'], ['records-retained', 'not-tested']]);
  });

  it('reports a property that does not hold without grading the process control', () => {
    const ev = evaluateControl(retention, new Map(), { evidence: results([['report-dated', 'fail'], ['records-retained', 'not-tested']]) });
    expect(ev.status).toBe('evidence');
    expect(ev.statusReason).toMatch(/"Report and observations are dated": not met/);
  });

  it('a failing partial property warns a technical control; a full one that cannot be seen keeps it from passing', () => {
    const mixed: Control = { ...technical, evidence: [{ property: 'report-dated', coverage: 'partial', rationale: 'Dated reports show cadence.', interpretation: false }] };
    expect(evaluateControl(mixed, by(f('proto-tls10', 'pass')), { evidence: results([['report-dated', 'fail']]) }).status).toBe('warn');
    const ev = evaluateControl(mixed, by(f('proto-tls10', 'pass')), { evidence: results([['report-dated', 'pass']]) });
    expect(ev.status).toBe('pass');
    expect(ev.statusReason).toMatch(/the linked report property "Report and observations are dated" holds\.$/);
    const blocked: Control = { ...technical, evidence: [{ property: 'records-retained', coverage: 'full', rationale: 'Keeping the record is the rule.', interpretation: false }] };
    expect(evaluateControl(blocked, by(f('proto-tls10', 'pass')), { evidence: results([['records-retained', 'not-tested']]) }).status).toBe('evidence');
  });
});
