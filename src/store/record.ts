/**
 * A report run → the RunRecord the store keeps, and the report's history section from the store.
 * This is the glue the pipeline calls: it reads the input files again (checking each against the
 * SHA-256 the report cites), records the run, then compares the report's period with the previous
 * one using every run in the store.
 */
import { latestRunPerPeriod, reportedControlCounts } from './reported.js';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { comparePeriods, type CompareOptions } from '../history/compare.js';
import type { TrendFramework } from '../history/trend.js';
import type { PeriodComparison } from '../model/history.js';
import type { InputFile } from '../model/input-file.js';
import type { StoredRunTotals } from '../model/sender-reports.js';
import { endpointKey, endpointLabel, type Endpoint } from '../model/endpoint.js';
import { addStoredFinding } from '../history/renamed-checks.js';
import type { HistoryData, SetAsideRun, TimelineFinding, TimelinePoint } from '../history/timeline.js';
import type { Finding } from '../model/finding.js';
import type { Observation } from '../model/observation.js';
import { periodContaining, periodIncludes, type PeriodOptions, type PeriodSpec } from '../model/period.js';
import type { InputProblem } from '../model/problem.js';
import type { ReportModel } from '../model/report-model.js';
import { canonicalJson, sha256Hex, slimObservation } from './codec.js';
import type { ChainHead } from './chain.js';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';
import { exceptionChangesFromStore, hasExceptionRegister, type RecordedExceptions } from './exceptions.js';
import { examineStorePath } from './path.js';
import { EvidenceStore } from './store.js';
import type { RecordedRun, RecordHooks, RunInputRecord, RunEndpointRecord, RunRecord, SignatureRecord, StoredFinding } from './types.js';

/** What a report run asks of the store (the CLI fills it; absent = no store). */
export interface StoreRequest {
  /** Absolute path of the store file. */
  readonly path: string;
  /** The command line as given, recorded with the run. */
  readonly command: readonly string[];
  /** When the run was recorded (ISO 8601). */
  readonly recordedAt: string;
  /** Compare with the stored runs without recording this one (`--store-read-only`): the store is opened read-only. */
  readonly readOnly?: boolean | undefined;
  /** Deadlines, trend length: see CompareOptions. */
  readonly history?: Pick<CompareOptions, 'deadlines' | 'trendPeriods'> | undefined;
  /** @default crypto.randomUUID */
  readonly newId?: (() => string) | undefined;
  readonly hooks?: RecordHooks | undefined;
  readonly busyTimeoutMs?: number | undefined;
}

/** The kind of a stored input that is a user mapping file, not scan evidence. */
export const MAPPING_INPUT_KIND = 'mapping';

/** The options a stored run needs to be rebuilt from its stored inputs. */
export interface RecordedRequest {
  readonly inputs: readonly string[];
  readonly domains: string | null;
  readonly organisation: string | null;
  readonly title: string | null;
  readonly period: string | null;
  readonly frameworks: readonly string[] | null;
  readonly reportDate: string;
  readonly generatedAt: string;
  readonly observedAt: string | null;
  /** Absolute, as resolved for the run. */
  readonly mappingsDirs: readonly string[];
  readonly fiscalYearStartMonth: number | null;
  /**
   * The exceptions file the report applied, by content: its bytes are a blob of the store, so a
   * regenerated report applies the exceptions in force then, whatever the file says today.
   * Absent in runs recorded before exceptions existed; null when the run applied none.
   */
  readonly exceptions?: RecordedExceptions | null | undefined;
}

interface ReportRun {
  readonly toolVersion: string;
  readonly cwd: string;
  readonly request: RecordedRequest;
  readonly period: PeriodSpec | undefined;
  readonly periodOptions: PeriodOptions;
  readonly model: ReportModel;
  readonly files: readonly InputFile[];
  /**
   * Absolute paths of the mapping files read from --mappings folders. Their content is kept with
   * the run (kind "mapping"), so regenerating the report uses the mappings it was made with, not
   * whatever the folder holds by then. Built-in mappings travel with the tool version.
   */
  readonly mappingFiles?: readonly string[] | undefined;
  readonly observations: readonly Observation[];
  readonly findings: readonly Finding[];
  readonly problems: readonly InputProblem[];
  /** Frameworks the report evaluated, for the trend's control status. */
  readonly frameworks: readonly TrendFramework[];
}

/** SHA-256 of the canonical JSON of a model without its history and chain head (what regenerating a run reproduces). */
export function modelSha256(model: ReportModel): string {
  // The store's own state (history, chain head) is not part of what regenerating a run reproduces.
  const { history: _history, evidence: _evidence, ...rest } = model;
  return sha256Hex(canonicalJson(rest));
}

const iso = (s: string) => {
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
};

/** The local id of a finding within its endpoint: the check id plus any `#n`. */
function localId(f: Pick<Finding, 'id' | 'checkId' | 'endpointKey'>): string {
  return f.checkId + f.id.slice(`${f.checkId}@${f.endpointKey}`.length);
}

export async function buildRunRecord(run: ReportRun, store: Pick<StoreRequest, 'command' | 'recordedAt' | 'newId'>): Promise<RunRecord> {
  const inputs: RunInputRecord[] = await Promise.all(run.files.map(async (f) => {
    const abs = resolve(run.cwd, f.file);
    const content = await readFile(abs);
    const observedAt = run.request.observedAt ?? (await stat(abs)).mtime.toISOString();
    return {
      file: f.file, kind: f.kind, sha256: f.sha256, bytes: f.bytes, records: f.records, problems: f.problems,
      observedAt, observedAtSource: run.request.observedAt ? 'option' : 'file-mtime', content,
    };
  }));
  const mappings = await Promise.all((run.mappingFiles ?? []).map(async (file) => {
    const content = await readFile(file);
    return {
      file, kind: MAPPING_INPUT_KIND, sha256: sha256Hex(content), bytes: content.length, records: 1, problems: 0,
      observedAt: (await stat(file)).mtime.toISOString(), observedAtSource: 'file-mtime', content,
    };
  }));
  inputs.push(...mappings);
  const exceptions = await exceptionsOf(run);
  const byEndpoint = new Map<string, Finding[]>();
  for (const f of run.findings) {
    const list = byEndpoint.get(f.endpointKey);
    if (list) list.push(f);
    else byEndpoint.set(f.endpointKey, [f]);
  }
  const scope = new Map(run.model.scope.endpoints.map((e) => [e.key, e.frameworks]));
  const endpoints: RunEndpointRecord[] = run.observations.map((o) => {
    const key = endpointKey(o.endpoint);
    const findings: StoredFinding[] = (byEndpoint.get(key) ?? []).map((f) => ({
      localId: localId(f), checkId: f.checkId, status: f.status, severity: f.severity, messageId: f.messageId, message: f.message,
      data: f.data, evidence: f.evidence.map((e) => ({ summary: e.summary, file: e.source.file, line: e.source.line ?? null })),
    }));
    return {
      key, host: o.endpoint.host, ip: o.endpoint.ip ?? null, port: o.endpoint.port, service: o.endpoint.service, transport: o.endpoint.transport,
      observedAt: iso(o.observedAt), observedAtSource: o.observedAtSource, tool: o.tool ?? null, scanState: o.scan.state,
      frameworks: scope.get(key) ?? [], facts: slimObservation(o), findings,
      certificates: o.certificates.map((c) => ({
        index: c.index, commonName: c.commonName?.value ?? null, issuer: c.issuer?.value ?? null, serial: c.serial?.value ?? null,
        fingerprintSha256: c.fingerprintSha256?.value ?? null, notBefore: c.notBefore?.value ?? null, notAfter: c.notAfter?.value ?? null,
      })),
    };
  });
  const m = run.model;
  return {
    uuid: (store.newId ?? randomUUID)(), recordedAt: store.recordedAt, toolVersion: run.toolVersion, command: [...store.command],
    request: { ...run.request, exceptions: exceptions?.cited ?? null }, reportId: m.report.id,
    period: run.period ? { id: run.period.id, label: run.period.label, start: run.period.start, end: run.period.end } : null,
    reportDate: m.report.reportDate, generatedAt: m.report.generatedAt, inputs, endpoints, problems: run.problems,
    controls: m.frameworks.flatMap((fw) => fw.controls.map((c) => ({ frameworkId: fw.id, frameworkVersion: fw.version, controlId: c.id, status: c.status }))),
    summary: m.summary, modelSha256: modelSha256(m),
    ...(exceptions !== undefined ? { blobs: [{ sha256: exceptions.cited.sha256, content: exceptions.content }] } : {}),
  };
}

/**
 * The exceptions file the report applied, read again and checked against the SHA-256 the report
 * cites (as the inputs are): what the store keeps is exactly what the report was built with.
 */
async function exceptionsOf(run: ReportRun): Promise<{ cited: RecordedExceptions; content: Uint8Array } | undefined> {
  const source = run.model.exceptions.source;
  if (source === null) return undefined;
  const content = await readFile(resolve(run.cwd, source.file));
  const actual = sha256Hex(content);
  if (actual !== source.sha256) {
    throw new ReportError('input-changed', { file: source.file },
      STORE.exceptionsChanged(source.file, source.sha256, actual));
  }
  return { cited: { file: source.file, sha256: source.sha256 }, content };
}

/** A report run compared with the store, not yet recorded: what recordCompared needs. */
export interface ComparedRun {
  readonly record: RunRecord;
  /** The report's history section; null when the store held no other run to compare with. */
  readonly history: PeriodComparison | null;
  /**
   * The newest link of the chain the history was read from, leaving out earlier runs of this very
   * report (as the history does); null in a store without such runs. Printed in the report, so
   * an auditor holds a copy: `tlsproof store verify --head SEQ:SHA256` checks it later.
   */
  readonly chainHead: ChainHead | null;
  /**
   * The latest run of each of the last eight periods before this one, with its stored summary, for
   * trends the summary carries (TLS-RPT sessions); empty unless the run has sender reports.
   */
  readonly earlierPeriods: readonly StoredRunTotals[];
}

/**
 * Compares the run with every run in the store, without recording it: the report's period (or,
 * without --period, the quarter of its latest observation) against the previous one, and the
 * chain head. A store that exists is opened for writing here already (refusing a damaged one,
 * upgrading an old one), so a store that cannot take the run stops the report before any
 * output is written. Earlier runs of the very same report (same model hash) are left out, so the
 * same inputs and --generated-at keep giving byte-identical reports.
 */
export async function compareWithStore(store: StoreRequest, run: ReportRun): Promise<ComparedRun> {
  const record = await buildRunRecord(run, store);
  const es = store.readOnly || examineStorePath(store.path, 'write') === 'file'
    ? EvidenceStore.open(store.path, { toolVersion: run.toolVersion, mode: store.readOnly ? 'read' : 'write', reuseCheck: true, ...(store.busyTimeoutMs ? { busyTimeoutMs: store.busyTimeoutMs } : {}) })
    : undefined;
  try {
    // A repeat of the same report (same model hash: inputs, options, tool) is not new evidence:
    // earlier repeats are left out, so running a report again gives the same bytes again.
    const repeats = es?.runsWithModel(record.modelSha256) ?? [];
    const chainHead = es?.chainHead(repeats) ?? null;
    // The number this run would get; another run may take it first, and only notes show it.
    const seq = (es?.listRuns() ?? []).reduce((m, r) => Math.max(m, r.seq), 0) + 1;
    const latest = record.endpoints.map((e) => e.observedAt).sort().at(-1);
    const current = run.period ?? periodContaining((latest ?? run.model.report.reportDate).slice(0, 10), 'quarter', run.periodOptions);
    // With --period, observations outside it are set aside (as the store does) and said by comparePeriods.
    const outside = run.period ? [] : record.endpoints.filter((e) => !periodIncludes(current, e.observedAt.slice(0, 10)));
    const notes = outside.length === 0 ? [] : [
      `${outside.length} of this run's ${record.endpoints.length} endpoint observations fall outside ${current.label} (${current.start}..${current.end}) ` +
      `by their observation time (${[...new Set(outside.map((e) => e.observedAtSource))].join(', ')}), so they are not part of this period's state. ` +
      'Give --observed-at when the files\' modification times are not the scan times.',
    ];
    // Each recent period's latest report, for the TLS-RPT trend (earlier periods) and the control trend.
    const periodRuns = es === undefined ? [] : latestRunPerPeriod(es, current.start, repeats);
    const ownPeriod = run.model.report.period;
    const earlierPeriods = run.model.senderReports != null && ownPeriod ? periodRuns.filter((r) => r.period!.start < ownPeriod.start) : [];
    const stored = es?.loadHistoryData(current.end, { excludeRuns: repeats }) ?? { runs: 0, timelines: [], setAside: [] };
    const data = withRun(stored, record, seq, current.end);
    if (data.runs < 2) return { record, history: null, chainHead, earlierPeriods };
    // Each period's control counts as its latest report printed them; this report is the latest of its own.
    const reported = reportedControlCounts(periodRuns);
    reported.set(current.start, { seq, frameworks: run.model.summary.frameworks });
    const history = comparePeriods(data, {
      current, asOf: run.model.report.reportDate, periodOptions: run.periodOptions, frameworks: run.frameworks, notes, reported,
      ...(store.history?.deadlines ? { deadlines: store.history.deadlines } : {}),
      ...(store.history?.trendPeriods ? { trendPeriods: store.history.trendPeriods } : {}),
    });
    // The exception register against the previous period's, this run's register standing for this period.
    if (es !== undefined) {
      const exceptions = exceptionChangesFromStore(es, history.previousPeriod, current, {
        excludeRuns: repeats,
        current: { runSeq: seq, reportDate: run.model.report.reportDate, source: run.model.exceptions.source, entries: run.model.exceptions.entries },
      });
      if (hasExceptionRegister(exceptions)) history.exceptions = exceptions;
    }
    // The period's state is every endpoint's last observation in it, from any run: when earlier
    // runs of the period saw endpoints this one did not, the changes and the trend count more
    // endpoints than this report's summary. Said, so the two never silently disagree.
    const own = record.endpoints.filter((e) => periodIncludes(current, e.observedAt.slice(0, 10))).length;
    const others = history.endpoints.current - own;
    if (others > 0) {
      history.notes.push(`${others} endpoint${others === 1 ? '' : 's'} in ${current.label}'s state ${others === 1 ? 'was' : 'were'} observed by earlier runs of this period, not by this report: ` +
        'the changes and the trend count them, this report\'s summary does not (tlsproof history lists the runs).');
    }
    return { record, history, chainHead, earlierPeriods };
  } finally {
    es?.close();
  }
}

/**
 * Records a compared run, with the signatures of the signed reports it wrote. Call it once every
 * output is written: a run in the store always has its report. Undefined with --store-read-only.
 */
export function recordCompared(store: StoreRequest, compared: ComparedRun, signatures: readonly SignatureRecord[] = []): RecordedRun | undefined {
  if (store.readOnly) return undefined;
  const es = EvidenceStore.open(store.path, { toolVersion: compared.record.toolVersion, mode: 'write', reuseCheck: true, ...(store.busyTimeoutMs ? { busyTimeoutMs: store.busyTimeoutMs } : {}) });
  try {
    return es.recordRun({ ...compared.record, signatures }, store.hooks);
  } finally {
    es.close();
  }
}

/**
 * The stored history plus this (unrecorded) run's observations up to `until`, as loadHistoryData
 * would give them once recorded: with a period, its observations dated outside it are set aside.
 */
function withRun(data: HistoryData, record: RunRecord, seq: number, until: string): HistoryData {
  const timelines = new Map(data.timelines.map((t) => [t.key, { ...t, points: [...t.points] }]));
  const period = record.period;
  const isOutside = (day: string) => period !== null && (day < period.start || day > period.end);
  const setAside = [...(data.setAside ?? [])];
  const away = record.endpoints.filter((e) => isOutside(e.observedAt.slice(0, 10)));
  if (period !== null && away.length > 0) {
    const times = away.map((e) => e.observedAt).sort();
    setAside.push({ runSeq: seq, period, observations: away.length, from: times[0]!, to: times[times.length - 1]!,
      sources: [...new Set(away.map((e) => e.observedAtSource))].sort() as SetAsideRun['sources'] });
  }
  for (const e of record.endpoints) {
    if (e.observedAt.slice(0, 10) > until || isOutside(e.observedAt.slice(0, 10))) continue;
    const findings = new Map<string, TimelineFinding>();
    for (const f of e.findings) if (f.status !== 'pass') addStoredFinding(findings, f);
    const point: TimelinePoint = {
      runSeq: seq, observedAt: e.observedAt, day: e.observedAt.slice(0, 10), scanState: e.scanState, frameworks: e.frameworks, findings,
      passed: e.findings.filter((f) => f.status === 'pass').map((f) => f.localId),
      certificates: e.certificates.map((c) => ({ index: c.index, commonName: c.commonName, issuer: c.issuer, serial: c.serial, fingerprintSha256: c.fingerprintSha256, notAfter: c.notAfter })),
    };
    const t = timelines.get(e.key);
    if (t === undefined) {
      // The record was built from an Observation's Endpoint a moment ago (buildRunRecord): the strings are its own.
      const endpoint: Endpoint = { host: e.host, ...(e.ip === null ? {} : { ip: e.ip }), port: e.port, service: e.service as Endpoint['service'], transport: e.transport as Endpoint['transport'] };
      timelines.set(e.key, { key: e.key, label: endpointLabel(endpoint), endpoint, points: [point] });
    } else {
      t.points.push(point);
      t.points.sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : a.runSeq - b.runSeq));
    }
  }
  return { runs: data.runs + 1, timelines: [...timelines.values()], setAside };
}
