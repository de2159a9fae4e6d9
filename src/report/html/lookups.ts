/**
 * Lookups templates make into the ReportModel (`@root`) by id. They resolve through a per-model
 * index built once, so a template that resolves every finding id of 4,000 endpoints stays
 * linear, and an id the model does not carry is an error (except where a null is documented).
 */
import type { Attribution } from '../../model/discovery.js';
import { attributionLabel } from '../scope-text.js';
import { reportObservationTimeWarnings } from '../../model/observation-times.js';
import type { ControlResult, ControlStatus, EndpointSummary, FrameworkResult, ReportFinding, ReportModel, ScanSource } from '../../model/report-model.js';
import { TIMES_FROM_LABEL } from '../scan-context.js';
import type { FindingStatus, Severity } from '../../model/finding.js';
import { frameworkShortName } from '../framework-names.js';
import { assertStatus } from './labels.js';

/** Lookup tables for one model, keyed by the ids templates hold. */
interface ModelIndex {
  readonly findings: ReadonlyMap<string, ReportFinding>;
  readonly endpoints: ReadonlyMap<string, EndpointSummary>;
  readonly frameworks: ReadonlyMap<string, FrameworkResult>;
  /** Keyed by `frameworkId` + NUL + `controlId`. */
  readonly controls: ReadonlyMap<string, ControlResult>;
  /** For each framework, the checks its controls link. */
  readonly checksByFramework: ReadonlyMap<string, ReadonlySet<string>>;
}

const indexes = new WeakMap<ReportModel, ModelIndex>();

/** The index for `model`, built on first use and kept for as long as the model lives. */
export function indexModel(model: ReportModel): ModelIndex {
  const cached = indexes.get(model);
  if (cached) return cached;
  const controls = new Map<string, ControlResult>();
  for (const fw of model.frameworks) for (const c of fw.controls) controls.set(controlKey(fw.id, c.id), c);
  const index: ModelIndex = {
    findings: new Map(model.findings.map((f) => [f.id, f])),
    endpoints: new Map(model.scope.endpoints.map((e) => [e.key, e])),
    frameworks: new Map(model.frameworks.map((f) => [f.id, f])),
    controls,
    checksByFramework: new Map(model.frameworks.map((fw) => [fw.id, new Set(fw.controls.flatMap((c) => c.checks.map((l) => l.checkId)))])),
  };
  indexes.set(model, index);
  return index;
}

function controlKey(frameworkId: string, controlId: string): string {
  return `${frameworkId}\u0000${controlId}`;
}

/** The index of `model`, refusing anything that is not a report model (templates must pass @root). */
export function modelIndex(model: unknown): ModelIndex {
  if (typeof model !== 'object' || model === null || !('findings' in model) || !('scope' in model)) {
    throw new Error('the first argument must be the report model: pass @root');
  }
  return indexModel(model as ReportModel);
}
export function findingById(model: ReportModel, id: string): ReportFinding {
  const f = modelIndex(model).findings.get(id);
  if (!f) throw new Error(`the report model has no finding "${id}"`);
  return f;
}

export function findingsByIds(model: ReportModel, ids: readonly string[]): ReportFinding[] {
  return ids.map((id) => findingById(model, id));
}

/** `findingsWithStatus @root findingIds "fail" "warn"`: the findings with one of the statuses, in the model's order. */
export function findingsWithStatus(model: ReportModel, ids: readonly string[], ...statuses: string[]): ReportFinding[] {
  for (const s of statuses) assertStatus(s, 'finding status');
  return findingsByIds(model, ids).filter((f) => statuses.includes(f.status));
}

export function endpointByKey(model: ReportModel, key: string): EndpointSummary {
  const e = modelIndex(model).endpoints.get(key);
  if (!e) throw new Error(`the report model has no endpoint "${key}"`);
  return e;
}

export function endpointsByKeys(model: ReportModel, keys: readonly string[]): EndpointSummary[] {
  return keys.map((k) => endpointByKey(model, k));
}

export function controlRef(model: ReportModel, frameworkId: string, controlId: string): ControlResult {
  const c = modelIndex(model).controls.get(controlKey(frameworkId, controlId));
  if (!c) throw new Error(`the report model has no control "${controlId}" in framework "${frameworkId}"`);
  return c;
}

/** A framework's title for labels; an id the model does not carry (filtered out) reads as itself. */
/** A framework's short name (no version) for lists and tables; its section heading keeps the full title. */
export function frameworkTitle(model: ReportModel, frameworkId: string): string {
  const f = modelIndex(model).frameworks.get(frameworkId);
  return f === undefined ? frameworkId : frameworkShortName(f, false);
}

/** A framework's short name with its version, e.g. "NIST SP 800-52r2" (drop-downs, tables, charts). */
export function shortName(f: { id: string; version: string; title: string }): string {
  return frameworkShortName(f);
}

/** The distinct framework ids a finding bears on, space-separated (for `data-` filter attributes). */
export function findingFrameworks(finding: ReportFinding): string {
  return [...new Set(finding.controls.map((c) => c.frameworkId))].join(' ');
}

interface FindingGroup {
  checkId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  findings: ReportFinding[];
}

/** Groups findings by check (and status and severity), in first-seen order, so a control lists each failing check once. */
export function findingGroups(model: ReportModel, ids: readonly string[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findingsByIds(model, ids)) {
    const key = `${f.checkId}\u0000${f.status}\u0000${f.severity}`;
    let g = groups.get(key);
    if (!g) {
      g = { checkId: f.checkId, title: f.title, severity: f.severity, status: f.status, findings: [] };
      groups.set(key, g);
    }
    g.findings.push(f);
  }
  return [...groups.values()];
}

/** Total controls in a status across every framework. */
export function controlsWithStatus(model: ReportModel, status: string): number {
  assertStatus(status, 'control status');
  return model.frameworks.reduce((s, fw) => s + (fw.counts[status as ControlStatus] ?? 0), 0);
}

/** A finding's anchor, or null when the model has no such finding (history can name findings no longer in scope). */
export function findingAnchor(model: ReportModel, id: string): string | null {
  return modelIndex(model).findings.get(id)?.anchor ?? null;
}

/** An endpoint's anchor, or null when the model has no such endpoint (e.g. one removed since the previous period). */
export function endpointAnchor(model: ReportModel, key: string): string | null {
  return modelIndex(model).endpoints.get(key)?.anchor ?? null;
}
/** How an endpoint was tied to a domain, e.g. "scan: MX" (the scope's endpoint table). */
export function attributionRule(a: Attribution): string {
  return attributionLabel(a);
}

/** Observation times that disagree with the period or were only guessed, for the scope section. */
export function observationTimeWarnings(model: ReportModel): string[] {
  return reportObservationTimeWarnings(model);
}

/**
 * From this many endpoints the page asks the browser to lay out only what is near the viewport
 * (report.css, `html.large`): a 4,000-endpoint report opened in 95 s and filtered in 20 s
 * without it, 25 s and 4 s with it. Smaller reports do without, because text outside the
 * viewport is then missing from the page's innerText until it is scrolled to.
 */
const LARGE_REPORT_ENDPOINTS = 200;

/** Whether the report is large enough for lazy layout. */
export function largeReport(model: ReportModel): boolean {
  return model.scope.endpoints.length >= LARGE_REPORT_ENDPOINTS;
}

/** Where a scan source's times come from (scan-context partial); empty when it has no times. */
export function scanTimesFrom(s: ScanSource['timesFrom']): string {
  return s === null ? '' : TIMES_FROM_LABEL[s];
}
