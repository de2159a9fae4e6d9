import { describe, expect, it } from 'vitest';
import { evaluateControl } from '../../src/map/evaluate.js';
import type { EvidenceResult } from '../../src/map/evidence.js';
import type { Service } from '../../src/model/endpoint.js';
import type { Finding, FindingStatus } from '../../src/model/finding.js';
import type { Control, EvidencePropertyId, GradingRule } from '../../src/model/framework.js';

const control: Control = {
  id: '4.2.1', title: 'Strong cryptography in transit', paraphrase: 'Protect PAN in transit with strong crypto.',
  confidence: 'high', unconfirmed: false, evidence: [],
  checks: [
    { check: 'proto-tls10', coverage: 'partial', rationale: 'Early TLS is not strong cryptography.', interpretation: false },
    { check: 'cert-expired', coverage: 'partial', rationale: 'Certificates must be valid and not expired.', interpretation: false },
  ],
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
    expect(ev.gradingNote).toBeNull();
  });
});

describe('evaluateControl with a grading rule (opportunistic STARTTLS on an MX)', () => {
  const rule: GradingRule = {
    id: 'opportunistic-starttls', title: 'Opportunistic STARTTLS on an MX is conformant', statement: 'An MX may offer STARTTLS without requiring it.',
    basis: 'RFC 3207 §4', services: ['smtp'], failAs: 'warn', checks: ['no-forward-secrecy'],
  };
  // no-forward-secrecy stands in for an enforcement check (MTA-STS, DANE): the mechanism is the same.
  const transport: Control = {
    ...control,
    checks: [
      { check: 'tls-not-offered', coverage: 'partial', rationale: 'No TLS means no protection in transit.', interpretation: false },
      { check: 'no-forward-secrecy', coverage: 'partial', rationale: 'Missing enforcement is its own finding.', interpretation: false, grading: rule.id },
    ],
  };
  const grading = new Map([[rule.id, rule]]);

  it('counts a failing enforcement finding on port 25 as a warning, with a note saying why', () => {
    const ev = evaluateControl(transport, by(f('no-forward-secrecy', 'fail'), f('tls-not-offered', 'pass')), { grading });
    expect(ev.status).toBe('warn');
    expect(ev.counts).toMatchObject({ fail: 0, warn: 1, pass: 1 });
    expect(ev.statusReason).toBe('No failures; 1 warning on 1 endpoint from the linked checks (1 failing finding counted as a warning by grading rule opportunistic-starttls).');
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
    const enforcement: Control = { ...control, checks: [{ check: 'no-forward-secrecy', coverage: 'full', rationale: 'This control is about enforcement.', interpretation: false }] };
    expect(evaluateControl(enforcement, by(f('no-forward-secrecy', 'fail')), { grading }).status).toBe('fail');
  });
});

describe('evaluateControl with report properties', () => {
  const results = (entries: [EvidencePropertyId, EvidenceResult['status']][]) =>
    new Map(entries.map(([p, status]) => [p, { status, detail: `${p} ${status}` }] as const));
  const retention: Control = {
    ...control, checks: [],
    evidence: [
      { property: 'report-dated', coverage: 'partial', rationale: 'Retention runs from the record date.', interpretation: false },
      { property: 'records-retained', coverage: 'full', rationale: 'Keeping the record is the rule.', interpretation: false },
    ],
  };
  const authentication: Control = {
    ...control, checks: [],
    evidence: [
      { property: 'inputs-hashed', coverage: 'partial', rationale: 'Digests identify the inputs.', interpretation: false },
      { property: 'records-retained', coverage: 'partial', rationale: 'A kept copy can be produced.', interpretation: false },
    ],
  };

  it('never passes a control whose core (a full link) tlsproof cannot see, and says what it could see', () => {
    const ev = evaluateControl(retention, new Map(), { evidence: results([['report-dated', 'pass'], ['records-retained', 'not-tested']]) });
    expect(ev.status).toBe('not-assessed');
    expect(ev.statusReason).toBe('Not assessed: Report retained for the required period is outside what tlsproof can see; of what it can check, report and observations are dated holds.');
    expect(ev.evidence.map((e) => [e.link.property, e.result.status])).toEqual([['report-dated', 'pass'], ['records-retained', 'not-tested']]);
  });

  it('says why when nothing could be judged (no endpoint in scope)', () => {
    const none = new Map([
      ['report-dated', { status: 'not-tested', detail: 'No endpoint is in scope for this framework.' }],
      ['records-retained', { status: 'not-tested', detail: 'Where this report is kept is outside what tlsproof can see.' }],
    ] as const);
    const ev = evaluateControl(retention, new Map(), { evidence: none });
    expect(ev.status).toBe('not-assessed');
    expect(ev.statusReason).toBe('Not assessed: No endpoint is in scope for this framework; where this report is kept is outside what tlsproof can see.');
  });

  it('passes on partial evidence that holds, naming what was not assessed', () => {
    const ev = evaluateControl(authentication, new Map(), { evidence: results([['inputs-hashed', 'pass'], ['records-retained', 'not-tested']]) });
    expect(ev.status).toBe('pass');
    expect(ev.statusReason).toBe('The linked report property "Inputs identified by SHA-256 digest" holds; not assessed by tlsproof: Report retained for the required period.');
  });

  it('fails or warns on a property that does not hold, even when the core is unknown', () => {
    expect(evaluateControl(retention, new Map(), { evidence: results([['report-dated', 'warn'], ['records-retained', 'not-tested']]) }).status).toBe('warn');
    const failed = evaluateControl(authentication, new Map(), { evidence: results([['inputs-hashed', 'fail'], ['records-retained', 'not-tested']]) });
    expect(failed.status).toBe('fail');
    expect(failed.statusReason).toBe('Report property "Inputs identified by SHA-256 digest" not met.');
  });

  it('combines check findings and properties on one control', () => {
    const mixed: Control = { ...control, evidence: [{ property: 'report-dated', coverage: 'partial', rationale: 'Dated reports show cadence.', interpretation: false }] };
    const ev = evaluateControl(mixed, by(f('proto-tls10', 'pass')), { evidence: results([['report-dated', 'pass']]) });
    expect(ev.status).toBe('pass');
    expect(ev.statusReason).toBe('Every linked check that could be tested passed on 1 endpoint; the linked report property "Report and observations are dated" holds.');
  });
});
