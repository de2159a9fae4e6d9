/**
 * The catalogue inside a report, end to end on the shipped samples: ingest the real testssl.sh
 * scans and the domain list, resolve scope, select frameworks as the pipeline does, run the
 * checks and build the ReportModel. Asserts what the report says per framework (which assets,
 * why), how evidence-governing frameworks are judged, and that the fair-grading rule reaches
 * the model.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { ingest } from '../../src/ingest/index.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { resolveAssetScopes } from '../../src/map/scope.js';
import { selectFrameworks } from '../../src/map/select.js';
import type { Finding } from '../../src/model/finding.js';
import { mergeObservations } from '../../src/model/merge.js';
import { ReportModelSchema, type FrameworkResult, type ReportModel } from '../../src/model/report-model.js';
import { buildReportModel, type BuildOptions } from '../../src/report/build-model.js';
import { assess } from '../../src/map/assess.js';
import type { AssetScope } from '../../src/map/scope.js';
import type { IngestedFile } from '../../src/ingest/index.js';
import type { Observation } from '../../src/model/observation.js';
import type { GradingRule, LoadedFramework } from '../../src/model/framework.js';
import type { InputProblem } from '../../src/model/problem.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GENERATED_AT = '2026-10-01T09:00:00.000Z';

/** The pipeline's assess → build-model steps, as src/pipeline.ts runs them. */
function buildReportModelFrom(input: { observations: Observation[]; findings: Finding[]; frameworks: readonly LoadedFramework[];
  assets: AssetScope[] | undefined; files: IngestedFile[]; problems: InputProblem[]; grading: GradingRule[] }, opts: BuildOptions): ReportModel {
  const assessment = assess({
    observations: input.observations, findings: input.findings, frameworks: input.frameworks, assets: input.assets, grading: input.grading,
    report: { generatedAt: opts.generatedAt, toolVersion: opts.toolVersion, inputs: input.files, inputProblems: input.problems.length },
  });
  return buildReportModel({ observations: input.observations, findings: input.findings, assessment, files: input.files, problems: input.problems, grading: input.grading }, opts);
}

async function report(requested: string[] | undefined, withDomains = true): Promise<ReportModel> {
  const ingested = await ingest(['samples/2026-Q3', ...(withDomains ? ['samples/domains.csv'] : [])], { cwd: root, observedAt: '2026-09-15T10:00:00Z' });
  const mappings = loadMappings({ builtInDir: builtInMappingsDir() });
  const known = new Set(mappings.frameworks.map((fw) => fw.framework.id));
  const problems = [...ingested.problems];
  const assets = withDomains ? resolveAssetScopes(ingested.domains, mappings.scope, known, problems) : undefined;
  const frameworks = selectFrameworks(mappings.frameworks, { requested, assets, scope: mappings.scope });
  const observations = mergeObservations(ingested.observations);
  const findings: Finding[] = observations.flatMap((o) => runChecks(o, { reportDate: '2026-10-01' }));
  const model = buildReportModelFrom({ observations, findings, frameworks, assets, files: ingested.files, problems, grading: mappings.grading }, {
    organisation: 'Example Health', title: 'Email transport encryption evidence', period: undefined, generatedAt: GENERATED_AT,
    reportDate: '2026-10-01', toolVersion: '0.1.0', frameworksRequested: requested,
  });
  return ReportModelSchema.parse(model);
}

function fw(model: ReportModel, id: string): FrameworkResult {
  const found = model.frameworks.find((f) => f.id === id);
  if (found === undefined) throw new Error(`${id} is not in the report`);
  return found;
}

describe('frameworks in a report built from the samples', () => {
  let byDomainList: ReportModel;
  beforeAll(async () => {
    byDomainList = await report(undefined);
  });

  it('uses only the frameworks the domain list brings in, each saying which assets and why', () => {
    // samples/domains.csv: PHI, PAN; NPI, NPI + nist-800-52, PHI, PHI; PAN.
    expect(byDomainList.frameworks.map((f) => f.id)).toEqual(['glba', 'hipaa', 'hitech', 'nist-800-52', 'pci-dss']);
    const hitech = fw(byDomainList, 'hitech');
    expect(hitech.scope.assets.map((a) => [a.domain, a.reason])).toEqual([
      ['good.example.test', expect.stringMatching(/^data class PHI \(/)],
      ['wronghost.example.test', expect.stringMatching(/^data class PHI \(/)],
      ['portal.example.test', expect.stringMatching(/^data class PHI \(/)],
    ]);
    expect(hitech.scope.assets.find((a) => a.domain === 'portal.example.test')?.endpointKeys).toEqual([]);
    expect(hitech.scope.endpointKeys.every((k) => /(good|wronghost)\.example\.test/.test(k))).toBe(true);
    expect(fw(byDomainList, 'nist-800-52').scope.assets).toEqual([{ domain: 'expiring.example.test', reason: 'named in the domain list', endpointKeys: expect.any(Array), mail: 'unknown' }]);
  });

  it('a PHI-only domain is assessed under HIPAA and HITECH, never PCI DSS', () => {
    const good = byDomainList.scope.endpoints.filter((e) => e.asset === 'good.example.test');
    expect(good.length).toBeGreaterThan(0);
    for (const e of good) expect(e.frameworks).toEqual(['hipaa', 'hitech']);
    expect(fw(byDomainList, 'pci-dss').scope.endpointKeys.some((k) => k.includes('good.example.test'))).toBe(false);
  });

  it('carries citation details and the grading rules into the model', () => {
    const hipaa = fw(byDomainList, 'hipaa');
    expect(hipaa).toMatchObject({ version: '2013', versionDate: '2013-01-25', relevance: 'direct' });
    const encryption = hipaa.controls.find((c) => c.id === '164.312(e)(2)(ii)')!;
    expect(encryption).toMatchObject({ obligation: 'addressable', confidence: 'high', unconfirmed: false, interpretation: true });
    expect(encryption.checks.find((l) => l.checkId === 'cert-weak-signature')).toMatchObject({ interpretation: true, grading: null, services: null });
    expect(byDomainList.grading.map((r) => [r.id, r.services, r.failAs])).toEqual([['opportunistic-starttls', ['smtp'], 'warn']]);
    // HIPAA's documentation control is about keeping the report: a process control, given evidence, never passed.
    const retention = hipaa.controls.find((c) => c.id === '164.316(b)(2)')!;
    expect(retention.kind).toBe('process');
    expect(retention.status).toBe('evidence');
    expect(retention.evidence.map((e) => [e.property, e.status])).toEqual([['report-dated', 'pass'], ['records-retained', 'not-tested']]);
    expect(retention.statusReason).toMatch(/^A process control: .*outside what tlsproof can see: Report retained for the required period\.$/);
  });

  it('says a scan gap where a listed asset has no results, per framework', () => {
    const evaluation = fw(byDomainList, 'hipaa').controls.find((c) => c.id === '164.308(a)(8)')!;
    const scope = evaluation.evidence.find((e) => e.property === 'scope-complete')!;
    // A gap in the evidence is a warning, never a failed control by itself.
    expect(scope.status).toBe('warn');
    expect(scope.detail).toContain('no scan results for portal.example.test');
    // GLBA's assets (legacy, expiring) were all scanned, so its board report property is not failed for portal.
    const board = fw(byDomainList, 'glba').controls.find((c) => c.id === '314.4(i)')!;
    expect(board.evidence.find((e) => e.property === 'scope-complete')?.detail).not.toContain('portal');
  });
});

describe('frameworks that govern the evidence', () => {
  it('are judged on the report itself and link no findings', async () => {
    const model = await report(['sec-17a-4', 'frcp', 'finra'], false);
    const sec = fw(model, 'sec-17a-4');
    expect(sec.relevance).toBe('evidence');
    expect(sec.scope.reason).toBe('No domain list was given, so every scanned endpoint is assessed against this framework.');
    for (const c of sec.controls) {
      expect(c.checks).toEqual([]);
      expect(c.findingIds).toEqual([]);
      expect(c.kind).toBe('process');
      expect(c.status).toBe('evidence');
    }
    expect(sec.controls.find((c) => c.id === '240.17a-4(f)')?.evidence.map((e) => [e.property, e.status])).toEqual([
      ['report-dated', 'pass'], ['inputs-hashed', 'pass'], ['records-retained', 'not-tested'],
    ]);
    const fre = fw(model, 'frcp').controls.find((c) => c.id === 'FRE 902(14)')!;
    // Report properties that hold are evidence for the rule, not a pass of it.
    expect(fre.status).toBe('evidence');
    expect(fre.statusReason).toBe('A process control: a TLS scan cannot decide it, so the report supplies evidence and no grade; report property "Inputs identified by SHA-256 digest": met.');
    expect(fw(model, 'frcp').controls.find((c) => c.id === 'FRCP 34')?.status).toBe('evidence');
    // No finding points at an evidence-governing framework.
    expect(model.findings.flatMap((f) => f.controls).some((c) => c.frameworkId === 'sec-17a-4' || c.frameworkId === 'frcp')).toBe(false);
    expect(model.findings.flatMap((f) => f.controls).some((c) => c.frameworkId === 'finra')).toBe(true);
  });
});

describe('fair grading of opportunistic STARTTLS in a report', () => {
  it('fails only the controls about enforcement when a clean MX lacks MTA-STS, and warns on the rest', async () => {
    const ingested = await ingest(['samples/2026-Q3/smtp-good.json'], { cwd: root, observedAt: '2026-09-15T10:00:00Z' });
    const mappings = loadMappings({ builtInDir: builtInMappingsDir() });
    const observations = mergeObservations(ingested.observations);
    const mx = observations.find((o) => o.endpoint.port === 25)!;
    const key = `${mx.endpoint.host}${mx.endpoint.ip ? `[${mx.endpoint.ip}]` : ''}:25`;
    // A clean MX: keep the passing results of the real scan, drop anything else.
    const findings: Finding[] = observations.flatMap((o) => runChecks(o, { reportDate: '2026-10-01' }))
      .filter((f) => f.status === 'pass' && f.checkId !== 'mta-sts-missing');
    // The domain publishes no MTA-STS policy: the finding a DNS probe would give.
    findings.push({
      id: `mta-sts-missing@${key}`, checkId: 'mta-sts-missing', endpoint: mx.endpoint, endpointKey: key, status: 'fail', severity: 'medium',
      messageId: 'no-record', message: 'good.example.test publishes no MTA-STS record', data: {}, evidence: [],
    });
    const frameworks = selectFrameworks(mappings.frameworks, { requested: ['ietf', 'pci-dss', 'hipaa', 'nist-800-177'], scope: mappings.scope });
    const model = ReportModelSchema.parse(buildReportModelFrom({ observations, findings, frameworks, assets: undefined, files: ingested.files, problems: [], grading: mappings.grading }, {
      organisation: 'Example Health', title: 'Email transport encryption evidence', period: undefined, generatedAt: GENERATED_AT,
      reportDate: '2026-10-01', toolVersion: '0.1.0', frameworksRequested: undefined,
    }));
    const status = (f: string, c: string) => fw(model, f).controls.find((x) => x.id === c)!;
    expect(status('ietf', 'RFC 8461')).toMatchObject({ status: 'fail', gradingNote: null });
    for (const [f, c, s] of [['pci-dss', '4.2.1', 'warn'], ['hipaa', '164.308(a)(1)(ii)(B)', 'evidence'], ['nist-800-177', '5 (MTA-STS)', 'warn']] as const) {
      expect(status(f, c).status, `${f} ${c}`).toBe(s);
      expect(status(f, c).gradingNote).toBe('Opportunistic STARTTLS on an MX is conformant: 1 failing finding of mta-sts-missing on smtp counts here as a warning, not a failure (RFC 3207 §4; RFC 8461; RFC 7672; RFC 8460).');
      expect(status(f, c).checks.find((l) => l.checkId === 'mta-sts-missing')?.grading).toBe('opportunistic-starttls');
    }
    // The finding itself stays failed, and points at every control it touched.
    const finding = model.findings.find((f) => f.checkId === 'mta-sts-missing')!;
    expect(finding.status).toBe('fail');
    expect(finding.controls.map((c) => `${c.frameworkId} ${c.controlId}`)).toEqual(['hipaa 164.308(a)(1)(ii)(B)', 'ietf RFC 8461', 'nist-800-177 5 (MTA-STS)', 'pci-dss 4.2.1']);
    // The remediation plan lists every control that fixing it would close, failed or warned.
    // (HIPAA risk management receives the finding as evidence; it is not a control the fix "closes".)
    expect(model.remediation.find((r) => r.checkId === 'mta-sts-missing')?.controls).toEqual([
      { frameworkId: 'ietf', controlId: 'RFC 8461' },
      { frameworkId: 'nist-800-177', controlId: '5 (MTA-STS)' }, { frameworkId: 'pci-dss', controlId: '4.2.1' },
    ]);
  });
});

describe('a framework brought in by many assets', () => {
  it('names a few in its scope sentence and keeps every asset\'s reason in the list', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-many-assets-'));
    try {
      const list = join(dir, 'domains.csv');
      await writeFile(list, ['domain,data_classes', ...Array.from({ length: 40 }, (_, i) => `clinic${i}.example.test,PHI`)].join('\n'));
      const ingested = await ingest(['samples/2026-Q3/smtp-good.json', list], { cwd: root, observedAt: '2026-09-15T10:00:00Z' });
      const mappings = loadMappings({ builtInDir: builtInMappingsDir() });
      const problems = [...ingested.problems];
      const assets = resolveAssetScopes(ingested.domains, mappings.scope, new Set(mappings.frameworks.map((f) => f.framework.id)), problems);
      const frameworks = selectFrameworks(mappings.frameworks, { requested: ['hipaa'], assets, scope: mappings.scope });
      const model = buildReportModelFrom({ observations: ingested.observations, findings: [], frameworks, assets, files: ingested.files, problems, grading: mappings.grading }, {
        organisation: 'Many Clinics', title: 't', period: undefined, generatedAt: GENERATED_AT, reportDate: '2026-10-01', toolVersion: '0.1.0', frameworksRequested: ['hipaa'],
      });
      const hipaa = fw(model, 'hipaa');
      // One sentence per framework, not forty reasons run together.
      expect(hipaa.scope.reason).toBe('In scope through the domain list: 40 assets, among them clinic0.example.test, clinic1.example.test, clinic2.example.test; each asset\'s reason is listed with it in the scope.');
      expect(hipaa.scope.assets).toHaveLength(40);
      expect(hipaa.scope.assets.every((a) => /^data class PHI/.test(a.reason))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
