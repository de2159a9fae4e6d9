/**
 * Whether the evidence's own dates agree with the report's period. An observation's time is a
 * fact (when the scan ran), not the period's label: one dated outside the period is evidence of
 * another period, and one dated only by its file's modification time may be dated by a copy or a
 * clone rather than by the scan. Both are said, with the files, the times and the fix; the
 * pipeline prints them, refuses out-of-period evidence under --strict, and the scope page of the
 * report repeats them. Works on endpoints as the pipeline has them (observations) and as the
 * report model has them (endpoint summaries), so both say the same thing.
 */
import { periodContaining, periodIncludes, type Period, type PeriodKind, type PeriodOptions } from './period.js';
import type { Observation } from './observation.js';
import type { ReportModel } from './report-model.js';

/** One endpoint's observation time and where it came from. */
export interface DatedEndpoint {
  readonly label: string;
  /** ISO 8601. */
  readonly observedAt: string;
  readonly observedAtSource: Observation['observedAtSource'];
  /** Input files the observation was read from. */
  readonly files: readonly string[];
}

interface ObservationTimeIssues {
  /** Dated by their files' modification times: no scan time in the input and no --observed-at. */
  readonly undated: readonly DatedEndpoint[];
  /** Dated (by any source) outside the period. Empty without a period. */
  readonly outsidePeriod: readonly DatedEndpoint[];
}

const SOURCE_WORDS: Record<DatedEndpoint['observedAtSource'], string> = {
  input: 'scan time in the file',
  option: '--observed-at',
  'file-mtime': 'file modification time',
};

/** Endpoints from the pipeline's merged observations. */
export function datedObservations(observations: readonly Observation[]): DatedEndpoint[] {
  return observations.map((o) => ({
    label: `${o.endpoint.host}:${o.endpoint.port}`,
    observedAt: o.observedAt,
    observedAtSource: o.observedAtSource,
    files: [...new Set(o.sources.map((s) => s.file))],
  }));
}

/** The same warnings from a report model (its endpoints and period), for the scope page. */
export function reportObservationTimeWarnings(model: Pick<ReportModel, 'report' | 'scope'>): string[] {
  const endpoints = model.scope.endpoints.map((e) => ({
    label: e.label, observedAt: e.observedAt, observedAtSource: e.observedAtSource, files: e.sourceFiles,
  }));
  return observationTimeWarnings(observationTimeIssues(endpoints, model.report.period), model.report.period);
}

/** The UTC calendar date of an instant: what decides the period (as in the evidence store). */
const utcDay = (isoInstant: string): string => {
  const d = new Date(isoInstant);
  return Number.isNaN(d.getTime()) ? isoInstant.slice(0, 10) : d.toISOString().slice(0, 10);
};

export function observationTimeIssues(endpoints: readonly DatedEndpoint[], period: Period | null | undefined): ObservationTimeIssues {
  return {
    undated: endpoints.filter((e) => e.observedAtSource === 'file-mtime'),
    outsidePeriod: period ? endpoints.filter((e) => !periodIncludes(period, utcDay(e.observedAt))) : [],
  };
}

const LIST = 6;

function fileList(endpoints: readonly DatedEndpoint[]): string[] {
  return [...new Set(endpoints.flatMap((e) => e.files))].sort();
}

function listed(items: readonly string[]): string {
  return items.length <= LIST ? items.join(', ') : `${items.slice(0, LIST).join(', ')} and ${items.length - LIST} more`;
}

/**
 * The warnings, one sentence group per issue, each naming files and times and saying what to do.
 * `periodKind` (when the period is a quarter, month…) lets the out-of-period warning name the
 * period the observations do belong to.
 */
export function observationTimeWarnings(
  issues: ObservationTimeIssues, period: Period | null | undefined, periodKind?: PeriodKind, periodOptions?: PeriodOptions,
): string[] {
  const out: string[] = [];
  if (issues.outsidePeriod.length > 0 && period) {
    const byTime = [...issues.outsidePeriod].sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0));
    const items = byTime.map((e) => `${listed(e.files)} (${e.label}) observed ${e.observedAt} by ${SOURCE_WORDS[e.observedAtSource]}`);
    const days = [...new Set(byTime.map((e) => utcDay(e.observedAt)))];
    const belongs = periodKind && periodKind !== 'range'
      ? [...new Set(days.map((d) => periodContaining(d, periodKind, periodOptions).id))]
      : [];
    out.push(
      `${issues.outsidePeriod.length} observation${issues.outsidePeriod.length === 1 ? ' falls' : 's fall'} outside the period ${period.label} ` +
      `(${period.start} to ${period.end}): ${listed(items)}. They are not evidence of this period: if the scans ran inside it, give ` +
      `--observed-at with the scan time (e.g. --observed-at ${period.end}T12:00:00Z); if not, report them for ` +
      `${belongs.length > 0 ? `--period ${belongs.join(' or ')}` : 'the period they were observed in'}. ` +
      'The evidence store keeps them with the run but counts them in no period. --strict refuses such a run.',
    );
  }
  if (issues.undated.length > 0) {
    const files = fileList(issues.undated);
    const days = [...new Set(issues.undated.map((e) => utcDay(e.observedAt)))].sort();
    out.push(
      `${files.length} input file${files.length === 1 ? ' records' : 's record'} no scan time (${listed(files)}), so ` +
      `${issues.undated.length} endpoint${issues.undated.length === 1 ? ' is' : 's are'} dated by the file${files.length === 1 ? '\'s' : 's\''} modification time ` +
      `(${listed(days)}), which a copy or a clone changes. Give --observed-at with the time the scans ran, or use an export that records it ` +
      '(testssl.sh --jsonfile-pretty, nmap XML, SSLyze JSON, Nessus CSV with Host End, Greenbone CSV with Timestamp).',
    );
  }
  return out;
}
