/**
 * Shapes the ReportModel from everything the pipeline gathered: the assessment's scope and
 * verdicts (src/map/assess.ts) plus anchors, summaries and the per-endpoint detail. It decides no
 * verdict itself. Pure: the clock, the tool version and every option come in as arguments, so the
 * same inputs give the same model.
 */
import { senderSessions, type SenderReports } from '../model/sender-reports.js';
import { createHash } from 'node:crypto';
import { checkById, checks, type CheckId } from '../checks/index.js';
import type { InputFile } from '../model/input-file.js';
import { toInstant, utcCalendarDaysBetween } from '../time.js';
import type { Assessment } from '../map/assess.js';
import { emptyFindingCounts } from '../map/evaluate.js';
import { endpointKey, endpointLabel } from '../model/endpoint.js';
import { SEVERITY_RANK, type Finding, type FindingStatus, type Severity } from '../model/finding.js';
import { aliasId, aliasText, EVIDENCE_PROPERTIES, type GradingRule } from '../model/framework.js';
import { CIPHER_CLASSES, PROTOCOLS, type CipherClass, type Observation } from '../model/observation.js';
import { periodSlug, type Period } from '../model/period.js';
import type { InputProblem } from '../model/problem.js';
import { emptyReportExceptions } from '../model/exceptions.js';
import {
  REPORT_SCHEMA_VERSION, type Asset, type CertificateSummary, type ControlResult, type EndpointSummary,
  type FrameworkResult, type ReportFinding, type ReportModel,
} from '../model/report-model.js';
import type { ReportHistory } from '../model/history.js';
import { DEFAULT_DEADLINES, openFindings, withDeadlines, type Deadlines } from '../history/deadline.js';
import type { VantagePoint } from '../config/schema.js';
import { buildScanContext, type OwnScan } from './scan-context.js';

interface BuildInput {
  readonly observations: readonly Observation[];
  readonly findings: readonly Finding[];
  /** Scope and verdicts from the assessment stage (src/map/assess.ts). */
  readonly assessment: Assessment;
  readonly files: readonly InputFile[];
  readonly problems: readonly InputProblem[];
  /** Grading rules (mappings/grading.yaml) that check links may name; none when left out. */
  readonly grading?: readonly GradingRule[];
  /** Scans tlsproof made during this run (not read from files), for the scan context. */
  readonly ownScans?: readonly OwnScan[];
}

export interface BuildOptions {
  readonly organisation: string;
  readonly title: string;
  readonly period: Period | undefined;
  /** ISO 8601 instant the report is generated at (from --generated-at, SOURCE_DATE_EPOCH or the clock). */
  readonly generatedAt: string;
  /** yyyy-MM-dd the report speaks for. */
  readonly reportDate: string;
  readonly toolVersion: string;
  readonly frameworksRequested: readonly string[] | undefined;
  /** The evidence store's comparison with the previous period; null when there is none. */
  readonly history?: ReportHistory | null | undefined;
  /** TLS-RPT section data (model/sender-reports.ts); absent when no reports were given. */
  readonly senderReports?: SenderReports | undefined;
  /** Remediation deadlines by severity. @default DEFAULT_DEADLINES (src/history/deadline.ts) */
  readonly deadlines?: Deadlines | undefined;
  /** Where the scans ran from, as report.config.yaml states it. */
  readonly vantage?: VantagePoint | undefined;
  /** The exceptions file the assessment applied (its path and digest) and the maximum duration it was held to. */
  readonly exceptions?: { readonly file: string; readonly sha256: string; readonly maxMonths: number } | undefined;
}

const CIPHER_LABELS: Readonly<Record<CipherClass, string>> = {
  null: 'NULL (no encryption)', anon: 'Anonymous (no authentication)', export: 'EXPORT', des: 'LOW grade (DES, RC2, RC4)',
  '3des': '3DES / IDEA (64-bit block)', rc4: 'RC4', cbc: 'CBC without AEAD',
};

const STATUS_ORDER: Readonly<Record<FindingStatus, number>> = { fail: 0, warn: 1, error: 2, 'not-tested': 3, pass: 4 };

/** Worst first: status, then severity, then check order, then endpoint. */
function compareFindings(a: Finding, b: Finding): number {
  return STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
    || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
    || checkOrder(a.checkId) - checkOrder(b.checkId)
    || (a.endpointKey < b.endpointKey ? -1 : a.endpointKey > b.endpointKey ? 1 : 0);
}
const CHECK_ORDER = new Map(Object.keys(checks).map((id, i) => [id, i]));
function checkOrder(id: string): number {
  return CHECK_ORDER.get(id) ?? Number.MAX_SAFE_INTEGER;
}

/** Anchor-safe slug; `used` keeps anchors unique within one report. */
function anchorFor(prefix: string, text: string, used: Set<string>): string {
  const base = `${prefix}-${text.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}`;
  let anchor = base;
  for (let i = 2; used.has(anchor); i++) anchor = `${base}-${i}`;
  used.add(anchor);
  return anchor;
}

export function buildReportModel(input: BuildInput, opts: BuildOptions): ReportModel {
  const used = new Set<string>();
  const findings = [...input.findings].sort(compareFindings);
  const obsByKey = new Map(input.observations.map((o) => [endpointKey(o.endpoint), o]));

  const assessment = input.assessment;
  const controlAnchors = new Map<string, string>();
  const frameworks: FrameworkResult[] = assessment.frameworks.map((fa) => {
    const fw = fa.framework;
    const fwAnchor = anchorFor('fw', fw.framework.id, used);
    const controls: ControlResult[] = fa.controls.map(({ evaluation: ev, domains }) => {
      const control = ev.control;
      const anchor = anchorFor(`ctl-${fw.framework.id}`, control.id, used);
      controlAnchors.set(`${fw.framework.id}\u0000${control.id}`, anchor);
      return {
        frameworkId: fw.framework.id, id: control.id, anchor, title: control.title, paraphrase: control.paraphrase,
        obligation: control.obligation ?? null, aliases: (control.aliases ?? []).map((a) => ({ id: aliasId(a), text: aliasText(a) })), effective: control.effective ?? null,
        source: control.source ?? null, confidence: control.confidence,
        interpretation: control.checks.some((c) => c.interpretation) || control.evidence.some((e) => e.interpretation),
        unconfirmed: control.unconfirmed, kind: control.kind, status: ev.status, statusReason: ev.statusReason, gradingNote: ev.gradingNote,
        acceptedFrom: ev.acceptedFrom, exceptionIds: [...ev.exceptionIds],
        checks: control.checks.map((c) => ({
          checkId: c.check, checkTitle: checkById(c.check).meta.title, coverage: c.coverage, rationale: c.rationale,
          interpretation: c.interpretation, services: c.services ? [...c.services] : null, grading: c.grading ?? null,
        })),
        evidence: ev.evidence.map(({ link, result }) => ({
          property: link.property, title: EVIDENCE_PROPERTIES[link.property].title, coverage: link.coverage, rationale: link.rationale,
          interpretation: link.interpretation, status: result.status, detail: result.detail,
        })),
        findingIds: [...ev.findings].sort(compareFindings).map((f) => f.id), counts: ev.counts, endpointsAssessed: ev.endpointsAssessed,
        domains: [...domains],
      };
    });
    return {
      id: fw.framework.id, version: fw.framework.version, title: fw.framework.title, anchor: fwAnchor,
      versionDate: fw.framework.versionDate, relevance: fw.framework.relevance, appliesTo: fw.framework.appliesTo,
      notes: fw.framework.notes ?? null,
      source: { document: fw.framework.document, url: fw.framework.sourceUrl, retrieved: fw.framework.retrieved },
      scope: { endpointKeys: [...fa.endpointKeys], reason: fa.reason, assets: fa.assets.map((a) => ({ ...a, endpointKeys: [...a.endpointKeys] })) },
      counts: { ...fa.counts }, controls,
    };
  });
  const endpointFrameworks = new Map<string, string[]>();
  for (const fa of assessment.frameworks) {
    for (const key of fa.endpointKeys) {
      const list = endpointFrameworks.get(key);
      if (list) list.push(fa.framework.framework.id);
      else endpointFrameworks.set(key, [fa.framework.framework.id]);
    }
  }
  const findingControls = new Map([...assessment.findingControls].map(([id, refs]) => [id, refs.map((r) => ({
    ...r, anchor: controlAnchors.get(`${r.frameworkId}\u0000${r.controlId}`)!,
  }))]));

  const applied = assessment.exceptions;
  const findingOrder = new Map(findings.map((f, i) => [f.id, i]));
  const reportFindings: ReportFinding[] = findings.map((f) => {
    const meta = checks[f.checkId as CheckId].meta;
    const acceptance = applied?.acceptance.get(f.id);
    const lapsed = applied?.lapsed.get(f.id);
    return {
      ...f,
      ...(acceptance !== undefined ? { acceptance: { ...acceptance } } : {}),
      ...(lapsed !== undefined ? { lapsedException: { ...lapsed } } : {}),
      title: meta.title, category: meta.category, remediation: meta.remediation,
      anchor: anchorFor('f', `${f.checkId}-${f.endpointKey}`, used), controls: findingControls.get(f.id) ?? [],
    };
  });

  const findingsByEndpoint = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = findingsByEndpoint.get(f.endpointKey);
    if (list) list.push(f);
    else findingsByEndpoint.set(f.endpointKey, [f]);
  }
  const endpointKeys = [...obsByKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const endpoints: EndpointSummary[] = endpointKeys.map((key) => {
    const obs = obsByKey.get(key)!;
    const own = findingsByEndpoint.get(key) ?? [];
    const counts = emptyFindingCounts();
    let worst: Severity | null = null;
    for (const f of own) {
      counts[f.status]++;
      if ((f.status === 'fail' || f.status === 'warn') && (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst])) worst = f.severity;
    }
    const attribution = assessment.attribution.get(key) ?? [];
    const e = obs.endpoint;
    return {
      key, anchor: anchorFor('ep', key, used), label: endpointLabel(e), host: e.host, ip: e.ip ?? null, port: e.port,
      service: e.service, transport: e.transport, asset: attribution[0]?.domain ?? null,
      attribution: attribution.map((a) => ({ ...a })),
      frameworks: endpointFrameworks.get(key) ?? [],
      observedAt: obs.observedAt, observedAtSource: obs.observedAtSource, tool: obs.tool ?? null,
      scanState: obs.scan.state, scanProblems: obs.scan.problems.map((p) => p.value),
      worstSeverity: worst, counts,
      tlsAvailable: obs.tlsAvailable?.value ?? null, startTlsOffered: obs.startTlsOffered?.value ?? null,
      protocols: PROTOCOLS.map((p) => ({ protocol: p, offered: obs.protocols[p]?.value ?? null })),
      cipherClasses: CIPHER_CLASSES.map((c) => ({ cipherClass: c, label: CIPHER_LABELS[c], offered: obs.cipherClasses[c]?.value ?? null })),
      forwardSecrecy: obs.forwardSecrecy?.value ?? null, preferredCipher: obs.preferredCipher?.value ?? null,
      certificates: obs.certificates.map((c) => certificateSummary(c, opts.reportDate)),
      findingIds: own.map((f) => f.id),
      sourceFiles: [...new Set(obs.sources.map((s) => s.file))],
    };
  });

  const assets: Asset[] = (assessment.assets ?? []).map(({ asset: a, mail, endpointKeys: keys }) => ({
    domain: a.entry.domain, owner: a.entry.owner, businessUnit: a.entry.businessUnit, dataClasses: [...a.entry.dataClasses],
    frameworks: [...a.frameworks].map(([id, reason]) => ({ id, reason })), notes: a.entry.notes, extra: { ...a.entry.extra },
    endpointKeys: [...keys], mail, source: { file: a.entry.file, line: a.entry.line },
  }));

  const failing = reportFindings.filter((f) => f.status === 'fail' || f.status === 'warn');
  const bySeverity = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of failing) bySeverity[f.severity]++;
  const byStatus = emptyFindingCounts();
  for (const f of reportFindings) byStatus[f.status]++;
  const byWorst = { none: 0, info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const e of endpoints) byWorst[e.worstSeverity ?? 'none']++;

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    report: {
      id: reportId(input.files, opts),
      title: opts.title, organisation: opts.organisation,
      period: opts.period ? { ...opts.period } : null,
      generatedAt: opts.generatedAt, reportDate: opts.reportDate,
    },
    tool: { name: 'tlsproof', version: opts.toolVersion },
    scope: {
      assets, endpoints,
      inputs: input.files.map((f) => ({ file: f.file, sha256: f.sha256, bytes: f.bytes, kind: f.kind, records: f.records, problems: f.problems, ...notEvaluated(f) })),
      frameworksRequested: opts.frameworksRequested ? [...opts.frameworksRequested] : null,
      unlistedEndpointKeys: [...assessment.unlistedEndpointKeys],
      assetsWithoutResults: [...assessment.assetsWithoutResults],
      domainsWithoutMail: [...assessment.domainsWithoutMail],
    },
    summary: {
      endpoints: endpoints.length,
      endpointsCompleted: endpoints.filter((e) => e.scanState === 'completed').length,
      findingsBySeverity: bySeverity, findingsByStatus: byStatus, endpointsByWorstSeverity: byWorst,
      frameworks: frameworks.map((f) => ({ id: f.id, title: f.title, version: f.version, counts: f.counts })),
      ...(opts.senderReports ? { senderSessions: senderSessions(opts.senderReports) } : {}),
    },
    frameworks,
    findings: reportFindings,
    remediation: withDeadlines(remediationPlan(failing, frameworks, assets), openFindings(failing, endpoints), opts.deadlines ?? DEFAULT_DEADLINES),
    checks: Object.values(checks).map(({ meta }) => ({
      id: meta.id, title: meta.title, passedTitle: meta.passedTitle, severity: meta.severity, category: meta.category, description: meta.description,
      remediation: meta.remediation, mapped: assessment.frameworks.some((fa) => fa.framework.controls.some((c) => c.checks.some((l) => l.check === meta.id))),
    })),
    problems: [...input.problems],
    scanContext: buildScanContext({ files: input.files, ownScans: input.ownScans ?? [], vantage: opts.vantage }),
    exceptions: opts.exceptions === undefined || applied === undefined
      // Without a register every failing or warning finding is open.
      ? { ...emptyReportExceptions(opts.exceptions?.maxMonths), counts: { open: failing.length, accepted: 0, lapsed: 0 } }
      : {
        source: { file: opts.exceptions.file, sha256: opts.exceptions.sha256 }, maxMonths: opts.exceptions.maxMonths,
        // Matches in report order (worst first), like every other list of findings.
        entries: applied.entries.map(({ entry, state, matchedFindingIds }) => ({
          ...entry, state, matchedFindingIds: [...matchedFindingIds].sort((a, b) => (findingOrder.get(a) ?? 0) - (findingOrder.get(b) ?? 0)),
        })),
        counts: { ...applied.counts },
      },
    history: opts.history ?? null,
    evidence: null,
    ...(opts.senderReports ? { senderReports: opts.senderReports } : {}),
    grading: (input.grading ?? []).map((r) => ({
      id: r.id, title: r.title, statement: r.statement, basis: r.basis, services: [...r.services], failAs: r.failAs,
    })),
  };
}

function certificateSummary(c: Observation['certificates'][number], reportDate: string): CertificateSummary {
  const notAfter = c.notAfter?.value ?? null;
  return {
    index: c.index,
    commonName: c.commonName?.value ?? null,
    subjectAltNames: [...(c.subjectAltNames?.value ?? [])],
    issuer: c.issuer?.value ?? null,
    notBefore: c.notBefore?.value ?? null,
    notAfter,
    daysLeft: daysBetween(reportDate, notAfter),
    key: c.keyAlgorithm && c.keyBits ? `${c.keyAlgorithm.value} ${c.keyBits.value} bits` : null,
    signatureAlgorithm: c.signatureAlgorithm?.value ?? null,
    trusted: c.chainTrust?.value.trusted ?? null,
    selfSigned: c.chainTrust?.value.selfSigned ?? null,
    hostnameMatch: c.hostnameMatch?.value ?? null,
    fingerprintSha256: c.fingerprintSha256?.value ?? null,
    ocsp: {
      stapled: c.ocspStapling?.value ?? null,
      status: c.ocspStatus?.value.status ?? null,
      revokedAt: c.ocspStatus?.value.revokedAt ?? null,
      thisUpdate: c.ocspStatus?.value.thisUpdate ?? null,
      nextUpdate: c.ocspStatus?.value.nextUpdate ?? null,
    },
  };
}

function daysBetween(from: string, to: string | null): number | null {
  const a = toInstant(from);
  const b = to === null ? undefined : toInstant(to);
  return a === undefined || b === undefined ? null : utcCalendarDaysBetween(a, b);
}

/** One item per failing check: which endpoints, which controls it would close, worst first. */
function remediationPlan(failing: readonly ReportFinding[], frameworks: readonly FrameworkResult[], assets: readonly Asset[]): Omit<ReportModel['remediation'][number], 'findings' | 'dueDate' | 'deadlineDays'>[] {
  const byCheck = new Map<string, ReportFinding[]>();
  for (const f of failing) {
    const list = byCheck.get(f.checkId);
    if (list) list.push(f);
    else byCheck.set(f.checkId, [f]);
  }
  const items = [...byCheck].map(([checkId, list]) => {
    const meta = checks[checkId as CheckId].meta;
    const severity = list.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'info');
    // Only controls these findings bear on: a framework that does not apply to any of the
    // item's endpoints has nothing to gain from the fix (its findings carry no such control).
    const mapped = new Set(list.flatMap((f) => f.controls.map((c) => `${c.frameworkId}\u0000${c.controlId}`)));
    const controls = frameworks.flatMap((fw) => fw.controls
      .filter((c) => (c.status === 'fail' || c.status === 'warn') && c.checks.some((l) => l.checkId === checkId)
        && mapped.has(`${fw.id}\u0000${c.id}`))
      .map((c) => ({ frameworkId: fw.id, controlId: c.id })));
    const endpointKeys = [...new Set(list.map((f) => f.endpointKey))];
    return { checkId, title: meta.title, severity, remediation: meta.remediation, endpointKeys, controls, owners: ownersOf(endpointKeys, assets) };
  });
  return items.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.controls.length - a.controls.length
    || b.endpointKeys.length - a.endpointKeys.length || checkOrder(a.checkId) - checkOrder(b.checkId));
}

/** The domain-list rows whose endpoints include any of `keys`, with owner and ticket, in list order. */
function ownersOf(keys: readonly string[], assets: readonly Asset[]): ReportModel['remediation'][number]['owners'] {
  const wanted = new Set(keys);
  return assets.filter((a) => a.endpointKeys.some((k) => wanted.has(k))).map((a) => ({
    domain: a.domain, owner: a.owner,
    ticket: Object.entries(a.extra).find(([column]) => column.trim().toLowerCase() === 'ticket')?.[1]?.trim() || null,
  }));
}

/** Rows a file carried that no check evaluates (testssl verdicts without a check), for the appendix. */
function notEvaluated(f: InputFile): { notEvaluated: { id: string; records: number }[] } {
  return { notEvaluated: (f.skipped ?? []).filter((s) => s.reason === 'not-evaluated').flatMap((s) => s.ids.map(({ id, records }) => ({ id, records }))) };
}

/** Derived from the inputs' hashes and the options, so a regenerated report keeps its id. */
function reportId(files: readonly InputFile[], opts: BuildOptions): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.file}\u0000${f.sha256}\n`);
  h.update(JSON.stringify([opts.organisation, opts.period?.start, opts.period?.end, opts.generatedAt, opts.frameworksRequested ?? null]));
  const prefix = opts.period ? periodSlug(opts.period).replace(/-/g, '') : opts.reportDate.replace(/-/g, '');
  return `TP-${prefix}-${h.digest('hex').slice(0, 10)}`;
}
