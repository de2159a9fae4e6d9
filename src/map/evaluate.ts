/**
 * Findings × one framework → control results. A control fails if any in-scope finding of a
 * linked check fails, warns if any warns, passes only if something linked was tested and passed,
 * and is "not assessed" otherwise. Pure: no I/O.
 */
import type { Finding, FindingStatus } from '../model/finding.js';
import type { Control } from '../model/framework.js';
import type { ControlStatus } from '../model/report-model.js';

export interface ControlEvaluation {
  readonly control: Control;
  readonly status: ControlStatus;
  readonly statusReason: string;
  /** Failing and warning findings behind the status. */
  readonly findings: Finding[];
  readonly counts: Record<FindingStatus, number>;
  readonly endpointsAssessed: number;
}

export function emptyFindingCounts(): Record<FindingStatus, number> {
  return { fail: 0, warn: 0, pass: 0, 'not-tested': 0, error: 0 };
}

/**
 * @param findingsByCheck in-scope findings of this framework, grouped by check id
 */
export function evaluateControl(control: Control, findingsByCheck: ReadonlyMap<string, readonly Finding[]>): ControlEvaluation {
  const counts = emptyFindingCounts();
  const behind: Finding[] = [];
  const tested = new Set<string>();
  const untested = new Set<string>();
  for (const link of control.checks) {
    for (const f of findingsByCheck.get(link.check) ?? []) {
      counts[f.status]++;
      if (f.status === 'fail' || f.status === 'warn') behind.push(f);
      if (f.status === 'fail' || f.status === 'warn' || f.status === 'pass') tested.add(f.endpointKey);
      else untested.add(f.endpointKey);
    }
  }
  const status: ControlStatus = counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : counts.pass > 0 ? 'pass' : 'not-assessed';
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const endpoints = new Set(behind.map((f) => f.endpointKey)).size;
  const statusReason =
    status === 'fail' ? `${n(counts.fail, 'failing finding')} on ${n(endpoints, 'endpoint')} from the linked checks.`
    : status === 'warn' ? `No failures; ${n(counts.warn, 'warning')} on ${n(endpoints, 'endpoint')} from the linked checks.`
    : status === 'pass' ? `Every linked check that could be tested passed on ${n(tested.size, 'endpoint')}${
      untested.size > 0 ? `; some linked checks could not be tested on ${n(untested.size, 'endpoint')} (see their findings)` : ''}.`
    : counts['not-tested'] + counts.error > 0 ? 'The linked checks could not be tested on any in-scope endpoint.'
    : 'No in-scope endpoint was assessed for this control.';
  return { control, status, statusReason, findings: behind, counts, endpointsAssessed: tested.size };
}
