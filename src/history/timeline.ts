/**
 * Each endpoint's observations over time, as the history computations read them: for every stored
 * observation, which findings were open (fail/warn), which could not be tested, which passed, and
 * the certificates seen. A period's state is the last observation of each endpoint whose UTC
 * calendar date falls inside the period. Pure: the store builds these, nothing here does I/O.
 */
import type { Endpoint } from '../model/endpoint.js';
import type { FindingStatus, Severity } from '../model/finding.js';
import type { Period } from '../model/period.js';

export interface TimelineFinding {
  /** `checkId`, plus `#n` for a check with one outcome per certificate. */
  readonly localId: string;
  readonly checkId: string;
  readonly status: FindingStatus;
  readonly severity: Severity;
}

export interface TimelineCertificate {
  readonly index: number;
  readonly commonName: string | null;
  readonly issuer: string | null;
  readonly serial: string | null;
  readonly fingerprintSha256: string | null;
  readonly notAfter: string | null;
}

export interface TimelinePoint {
  readonly runSeq: number;
  /** ISO 8601, UTC. */
  readonly observedAt: string;
  /** UTC calendar date of observedAt (yyyy-MM-dd): what decides the period. */
  readonly day: string;
  readonly scanState: 'completed' | 'partial' | 'failed';
  /** Frameworks the run assessed this endpoint against. */
  readonly frameworks: readonly string[];
  /** Findings that did not pass, by local id. */
  readonly findings: ReadonlyMap<string, TimelineFinding>;
  /** Local ids of the findings that passed. */
  readonly passed: readonly string[];
  readonly certificates: readonly TimelineCertificate[];
}

export interface EndpointTimeline {
  readonly key: string;
  readonly label: string;
  readonly endpoint: Endpoint;
  /** Oldest first (observedAt, then run order). */
  readonly points: readonly TimelinePoint[];
}

/** A run whose observations are dated outside the period it was recorded for. */
export interface SetAsideRun {
  readonly runSeq: number;
  /** The period the run was recorded for. */
  readonly period: Period & { readonly id: string };
  /** How many of its endpoint observations fall outside that period (they count in no period). */
  readonly observations: number;
  /** Earliest and latest of those observation times (ISO 8601). */
  readonly from: string;
  readonly to: string;
  /** Where those times came from. */
  readonly sources: readonly ('input' | 'option' | 'file-mtime')[];
}

export interface HistoryData {
  /** Runs in the store (all of them, whether or not they had observations in range). */
  readonly runs: number;
  readonly timelines: readonly EndpointTimeline[];
  /**
   * Runs recorded for a period whose observations are dated outside it: those observations are
   * not in `timelines` (a run speaks for its own period only), and are listed here to be said.
   */
  readonly setAside?: readonly SetAsideRun[] | undefined;
}

export const isOpen = (f: TimelineFinding | undefined): boolean => f !== undefined && (f.status === 'fail' || f.status === 'warn');

/** Whether the observation says anything about `localId`: a failed scan or an untested check does not. */
export function tested(p: TimelinePoint, localId: string): boolean {
  if (p.scanState === 'failed') return false;
  const f = p.findings.get(localId);
  return f === undefined || f.status === 'fail' || f.status === 'warn' || f.status === 'pass';
}

/** Index of the endpoint's last observation inside `period`, or -1. */
function stateIndex(t: EndpointTimeline, period: Period): number {
  for (let i = t.points.length - 1; i >= 0; i--) {
    const day = t.points[i]!.day;
    if (day <= period.end) return day >= period.start ? i : -1;
  }
  return -1;
}

export interface StatePoint {
  readonly timeline: EndpointTimeline;
  readonly index: number;
  readonly point: TimelinePoint;
}

/** The period's state: the last observation of each endpoint inside it, by endpoint key. */
export function periodState(data: HistoryData, period: Period): Map<string, StatePoint> {
  const out = new Map<string, StatePoint>();
  for (const t of data.timelines) {
    const index = stateIndex(t, period);
    if (index >= 0) out.set(t.key, { timeline: t, index, point: t.points[index]! });
  }
  return out;
}
