/**
 * The exception register applied by the real pipeline (buildModel) to the samples/2026-Q3 scan and
 * domain list, with test/fixtures/exceptions/q3.yaml. The scan has PCI DSS 4.2.1 failing on the
 * legacy relay (TLS 1.0, TLS 1.1, weak DH, static RSA) and HIPAA 164.312(e)(1) warning on the host
 * whose certificate names another host.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildModel, type BuiltModel } from '../../src/pipeline.js';
import { ReportModelSchema, type ControlResult, type ReportModel } from '../../src/model/report-model.js';
import { acceptControl, globMatches } from '../../src/map/exceptions.js';
import { evaluateControl } from '../../src/map/evaluate.js';
import type { EvidenceResult } from '../../src/map/evidence.js';
import type { Finding } from '../../src/model/finding.js';
import type { Control } from '../../src/model/framework.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LEGACY = 'mail.legacy.example.test[127.0.77.30]:25';
const WRONGHOST = 'mail.wronghost.example.test[127.0.77.23]:25';

const cache = new Map<string, Promise<BuiltModel>>();
function build(reportDate: string, exceptions: string | null = 'test/fixtures/exceptions/q3.yaml', extra: { maxMonths?: number } = {}): Promise<BuiltModel> {
  const key = `${reportDate}|${exceptions}|${extra.maxMonths}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = buildModel({
      inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', formats: [], outDir: root, strict: false, scan: false,
      generatedAt: `${reportDate}T09:00:00Z`, reportDate, cwd: root, toolVersion: '0.1.0', organisation: 'Example Health',
      ...(exceptions === null ? {} : { exceptions: { file: exceptions } }),
      ...(extra.maxMonths !== undefined ? { config: { source: 'test', colours: {}, font: {}, text: {}, signOff: {}, remediationDeadlines: {}, exceptionMaxMonths: extra.maxMonths } } : {}),
    });
    cache.set(key, p);
  }
  return p;
}

function control(model: ReportModel, frameworkId: string, id: string): ControlResult {
  const c = model.frameworks.find((f) => f.id === frameworkId)?.controls.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no control ${frameworkId} ${id}`);
  return c;
}

function entry(model: ReportModel, id: string) {
  const e = model.exceptions.entries.find((x) => x.id === id);
  if (e === undefined) throw new Error(`no entry ${id}`);
  return e;
}

describe('exception register in the pipeline', () => {
  it('without a register nothing is accepted, and every failing or warning finding counts as open', async () => {
    const { model } = await build('2026-10-01', null);
    expect(control(model, 'pci-dss', '4.2.1').status).toBe('fail');
    expect(control(model, 'hipaa', '164.312(e)(1)').status).toBe('warn');
    expect(model.exceptions.source).toBeNull();
    expect(model.exceptions.counts).toEqual({ open: model.summary.findingsByStatus.fail + model.summary.findingsByStatus.warn, accepted: 0, lapsed: 0 });
    expect(model.findings.some((f) => f.acceptance !== undefined)).toBe(false);
  });

  it('a FAIL whose every finding is accepted becomes risk-accepted, citing the exceptions — never PASS', async () => {
    const { model } = await build('2026-10-01');
    ReportModelSchema.parse(model);
    const pci = control(model, 'pci-dss', '4.2.1');
    expect(pci.status).toBe('risk-accepted');
    expect(pci.acceptedFrom).toBe('fail');
    expect(pci.exceptionIds).toEqual(['EXC-LEGACY-CRYPTO', 'EXC-LEGACY-PROTO']);
    expect(pci.statusReason).toMatch(/^Not met, risk accepted: without exceptions this control would be FAIL \(.*\); every one of those findings is an accepted risk under exceptions EXC-LEGACY-CRYPTO, EXC-LEGACY-PROTO \(in force until 2026-10-31\), so it is reported as risk accepted, never as a pass\.$/);
    // The evidence is kept: the findings still fail, and the control still lists them.
    expect(pci.findingIds).toEqual(expect.arrayContaining([`proto-tls10@${LEGACY}`, `dh-weak@${LEGACY}`]));
    const tls10 = model.findings.find((f) => f.id === `proto-tls10@${LEGACY}`)!;
    expect(tls10.status).toBe('fail');
    expect(tls10.evidence.length).toBeGreaterThan(0);
    expect(tls10.acceptance).toEqual({ exceptionId: 'EXC-LEGACY-PROTO', expires: '2026-10-31', state: 'expiring-soon' });
    expect(model.frameworks.find((f) => f.id === 'pci-dss')!.counts).toMatchObject({ fail: 0, 'risk-accepted': 1 });
    for (const fw of model.frameworks) {
      for (const c of fw.controls) if (c.exceptionIds.length > 0) expect(c.status, `${fw.id} ${c.id}`).not.toBe('pass');
    }
  });

  it('matches by control and domain glob (case-insensitive): a WARN becomes risk-accepted from warn', async () => {
    const { model } = await build('2026-10-01');
    const hipaa = control(model, 'hipaa', '164.312(e)(1)');
    expect(hipaa.status).toBe('risk-accepted');
    expect(hipaa.acceptedFrom).toBe('warn');
    expect(hipaa.exceptionIds).toEqual(['EXC-WRONGHOST']);
    expect(entry(model, 'EXC-WRONGHOST')).toMatchObject({ state: 'active', line: 26, matchedFindingIds: [`cert-hostname-mismatch@${WRONGHOST}`] });
  });

  it('matches by ip glob, port and service, and by host glob; a bare host name matches only itself', async () => {
    const { model } = await build('2026-10-01');
    expect(entry(model, 'EXC-LEGACY-CRYPTO').matchedFindingIds.sort()).toEqual([`cipher-static-rsa@${LEGACY}`, `dh-weak@${LEGACY}`]);
    expect(entry(model, 'EXC-LEGACY-PROTO').matchedFindingIds.sort()).toEqual([`proto-tls10@${LEGACY}`, `proto-tls11@${LEGACY}`]);
    expect(entry(model, 'EXC-EXACT-HOST')).toMatchObject({ state: 'stale', matchedFindingIds: [] });
    expect(globMatches('mail.legacy.*', 'MAIL.Legacy.example.test')).toBe(true);
    expect(globMatches('mail.legacy', 'mail.legacy.example.test')).toBe(false);
    expect(globMatches('127.0.77.3?', '127.0.77.30')).toBe(true);
    expect(globMatches('127.0.77.3?', '127.0.77.3')).toBe(false);
    expect(globMatches('a+b(c)', 'a+b(c)')).toBe(true);
  });

  it('reports an entry that matches nothing as stale, never silently dropped', async () => {
    const { model } = await build('2026-10-01');
    expect(entry(model, 'EXC-OLD-SSLV3')).toMatchObject({ state: 'stale', matchedFindingIds: [], line: 36 });
    expect(model.exceptions.entries.map((e) => e.id)).toEqual([
      'EXC-LEGACY-PROTO', 'EXC-LEGACY-CRYPTO', 'EXC-WRONGHOST', 'EXC-OLD-SSLV3', 'EXC-EXACT-HOST', 'EXC-BEAST',
    ]);
    expect(model.exceptions.source).toEqual({ file: 'test/fixtures/exceptions/q3.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('an exception expired before the report date covers nothing: the finding is open again and marked lapsed', async () => {
    const { model } = await build('2026-10-01');
    expect(entry(model, 'EXC-BEAST')).toMatchObject({ state: 'expired', matchedFindingIds: [`vuln-beast@${LEGACY}`] });
    const beast = model.findings.find((f) => f.id === `vuln-beast@${LEGACY}`)!;
    expect(beast.acceptance).toBeUndefined();
    expect(beast.lapsedException).toEqual({ exceptionId: 'EXC-BEAST', expiredOn: '2026-09-30' });
    expect(model.exceptions.counts).toEqual({ open: 4, accepted: 5, lapsed: 1 });
  });

  it('applies on its expiry day and lapses the day after: the control goes back to FAIL', async () => {
    const onTheDay = (await build('2026-10-31')).model;
    expect(entry(onTheDay, 'EXC-LEGACY-PROTO').state).toBe('expiring-soon');
    expect(control(onTheDay, 'pci-dss', '4.2.1').status).toBe('risk-accepted');

    const dayAfter = (await build('2026-11-01')).model;
    expect(entry(dayAfter, 'EXC-LEGACY-PROTO')).toMatchObject({ state: 'expired', matchedFindingIds: expect.arrayContaining([`proto-tls10@${LEGACY}`]) });
    const pci = control(dayAfter, 'pci-dss', '4.2.1');
    expect(pci.status).toBe('fail');
    expect(pci.acceptedFrom).toBeNull();
    // The crypto exception still covers two of the findings: cited, but the status stands.
    expect(pci.exceptionIds).toEqual(['EXC-LEGACY-CRYPTO']);
    expect(pci.statusReason).toMatch(/2 of 4 findings behind it are accepted risks \(EXC-LEGACY-CRYPTO\); the rest are open, so the status stands\.$/);
    expect(dayAfter.findings.find((f) => f.id === `proto-tls10@${LEGACY}`)!.lapsedException).toEqual({ exceptionId: 'EXC-LEGACY-PROTO', expiredOn: '2026-10-31' });
  });

  it('flags an exception expiring within 30 days of the report date', async () => {
    // EXC-LEGACY-PROTO expires 2026-10-31: 30 days after 2026-10-01, 31 after 2026-09-30.
    expect(entry((await build('2026-10-01')).model, 'EXC-LEGACY-PROTO').state).toBe('expiring-soon');
    expect(entry((await build('2026-09-30')).model, 'EXC-LEGACY-PROTO').state).toBe('active');
  });

  it('an exception approved after the report date covers nothing yet: the finding is open, the entry listed as not yet approved', async () => {
    // EXC-WRONGHOST is approved on 2026-09-01: a report dated the day before cannot rely on it.
    const before = (await build('2026-08-31')).model;
    expect(entry(before, 'EXC-WRONGHOST')).toMatchObject({ state: 'not-yet-approved', matchedFindingIds: [expect.stringContaining(WRONGHOST)] });
    const finding = before.findings.find((f) => f.id === entry(before, 'EXC-WRONGHOST').matchedFindingIds[0])!;
    expect(finding.acceptance).toBeUndefined();
    expect(finding.lapsedException).toBeUndefined();
    const hipaa = control(before, 'hipaa', '164.312(e)(1)');
    expect(hipaa.status).toBe('warn');
    expect(hipaa.exceptionIds ?? []).not.toContain('EXC-WRONGHOST');
    expect(ReportModelSchema.parse(before).exceptions.entries.find((e) => e.id === 'EXC-WRONGHOST')!.state).toBe('not-yet-approved');
    // On its approval day it applies.
    const onTheDay = (await build('2026-09-01')).model;
    expect(entry(onTheDay, 'EXC-WRONGHOST').state).toBe('active');
    expect(control(onTheDay, 'hipaa', '164.312(e)(1)').status).toBe('risk-accepted');
    expect(onTheDay.exceptions.counts.accepted).toBe(before.exceptions.counts.accepted + 1);
  });

  it('the maximum duration comes from report.config.yaml', async () => {
    await expect(build('2026-10-01', 'test/fixtures/exceptions/q3.yaml', { maxMonths: 6 })).rejects.toThrow(
      /q3\.yaml:25:14: exceptions\[1\]\.expires: expires 2027-03-31 is more than 6 months after approvedOn 2026-06-01/);
  });
});

describe('acceptControl: what acceptance may do to one control', () => {
  const control: Control = {
    id: '4.2.1', kind: 'technical', title: 'Strong cryptography in transit', paraphrase: 'Protect PAN in transit with strong crypto.',
    confidence: 'high', unconfirmed: false, evidence: [{ property: 'inputs-hashed', coverage: 'partial', rationale: 'Why this property is evidence here.', interpretation: false }],
    checks: [{ check: 'proto-tls10', coverage: 'full', interpretation: false, rationale: 'TLS 1.0 is not strong cryptography.' }],
  };
  const finding = (host: string): Finding => ({
    id: `proto-tls10@${host}:25`, checkId: 'proto-tls10', endpoint: { host, port: 25, service: 'smtp', transport: 'starttls' }, endpointKey: `${host}:25`,
    status: 'fail', severity: 'medium', messageId: 'offered', message: 'TLSv1.0 is offered', data: {}, evidence: [],
  });
  const evaluate = (property: EvidenceResult['status'], ...fs: Finding[]) => evaluateControl(control, new Map([['proto-tls10', fs]]), {
    evidence: new Map([['inputs-hashed', { status: property, detail: 'Every input is hashed.' }]]),
  });
  const accepted = new Map([['proto-tls10@a.test:25', { exceptionId: 'EXC-1', expires: '2027-01-31', state: 'active' as const }]]);

  it('turns FAIL into risk-accepted when every finding behind it is accepted', () => {
    const ev = acceptControl(evaluate('pass', finding('a.test')), accepted);
    expect([ev.status, ev.acceptedFrom, ev.exceptionIds]).toEqual(['risk-accepted', 'fail', ['EXC-1']]);
  });

  it('keeps FAIL when a finding behind it is not covered', () => {
    const ev = acceptControl(evaluate('pass', finding('a.test'), finding('b.test')), accepted);
    expect([ev.status, ev.acceptedFrom, ev.exceptionIds]).toEqual(['fail', null, ['EXC-1']]);
    expect(ev.statusReason).toMatch(/1 of 2 findings behind it are accepted risks \(EXC-1\); the rest are open, so the status stands\.$/);
  });

  it('keeps the status when a linked report property fails or warns: a property is not a finding and cannot be accepted', () => {
    const ev = acceptControl(evaluate('warn', finding('a.test')), accepted);
    expect([ev.status, ev.acceptedFrom]).toEqual(['fail', null]);
  });

  it('leaves a process control\'s evidence status alone, citing the exception', () => {
    const process = { ...control, kind: 'process' as const, checks: [{ ...control.checks[0]!, coverage: 'partial' as const }] };
    const ev = acceptControl(evaluateControl(process, new Map([['proto-tls10', [finding('a.test')]]])), accepted);
    expect([ev.status, ev.acceptedFrom, ev.exceptionIds]).toEqual(['evidence', null, ['EXC-1']]);
  });
});
