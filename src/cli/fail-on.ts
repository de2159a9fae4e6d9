/**
 * `--fail-on` for CI: which findings trip the gate. `fail` trips on any failing finding, `warn` on
 * any failing or warning one, a severity on any failing or warning finding at or above it.
 * Every finding in the report counts (passing, not-tested and error findings never do).
 */
import { ReportError } from '../errors.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../model/finding.js';
import type { ReportModel } from '../model/report-model.js';

export type FailOn = { readonly kind: 'status'; readonly status: 'fail' | 'warn' } | { readonly kind: 'severity'; readonly severity: Severity };

export function parseFailOn(value: string | undefined): FailOn | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'fail' || v === 'warn') return { kind: 'status', status: v };
  if ((SEVERITIES as readonly string[]).includes(v)) return { kind: 'severity', severity: v as Severity };
  throw new ReportError('usage', { value }, `--fail-on "${value}" is not one of fail, warn, ${SEVERITIES.join(', ')}.`);
}

/** The findings that trip the gate, worst first. */
export function gateFindings(model: ReportModel, gate: FailOn): ReportModel['findings'] {
  const tripped = model.findings.filter((f) => {
    if (f.status !== 'fail' && f.status !== 'warn') return false;
    // A risk accepted by an exception in force is a decision on record, not a new problem for CI; a lapsed one trips again.
    if (f.acceptance !== undefined) return false;
    if (gate.kind === 'status') return gate.status === 'warn' || f.status === 'fail';
    return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[gate.severity];
  });
  return tripped.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id.localeCompare(b.id));
}

export function describeGate(gate: FailOn): string {
  return gate.kind === 'status' ? (gate.status === 'fail' ? 'failing findings' : 'failing or warning findings') : `findings of severity ${gate.severity} or above`;
}
