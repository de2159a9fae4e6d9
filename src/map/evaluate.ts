/**
 * Findings × one control → the control's status. A control fails if any in-scope finding of a
 * linked check fails (or a linked report property fails), warns if any warns, passes only if
 * something linked was tested and passed, and is "not assessed" otherwise. Two refinements:
 *
 * - Grading rules (mappings/grading.yaml): a check link that names a rule has its failing
 *   findings on the rule's services counted as the rule says (a warning), so opportunistic
 *   STARTTLS on an MX is not failed on every transport control for lacking enforcement; the
 *   finding itself stays failed, and controls about enforcement link the check without a rule.
 * - Report properties (src/map/evidence.ts): a property linked with `coverage: full` that tlsproof
 *   cannot assess (record retention) keeps the control from passing — the core of the control is
 *   then unknown, whatever else holds.
 *
 * Pure: no I/O.
 */
import type { Finding, FindingStatus } from '../model/finding.js';
import { EVIDENCE_PROPERTIES } from '../model/framework.js';
import type { CheckLink, Control, EvidenceLink, EvidencePropertyId, GradingRule } from '../model/framework.js';
import type { ControlStatus } from '../model/report-model.js';
import type { EvidenceResult } from './evidence.js';

export interface EvaluateContext {
  /** Grading rules by id; a link naming a rule not given here is graded normally. */
  readonly grading?: ReadonlyMap<string, GradingRule>;
  /** The framework's report properties, evaluated once (src/map/evidence.ts). */
  readonly evidence?: ReadonlyMap<EvidencePropertyId, EvidenceResult>;
}

export interface EvidenceEvaluation {
  readonly link: EvidenceLink;
  readonly result: EvidenceResult;
}

export interface GradedFindings {
  readonly rule: GradingRule;
  /** Failing findings this rule counted as warnings for this control. */
  readonly findings: Finding[];
}

export interface ControlEvaluation {
  readonly control: Control;
  readonly status: ControlStatus;
  readonly statusReason: string;
  /** Failing and warning findings behind the status. */
  readonly findings: Finding[];
  /** Finding counts after grading rules (a graded failure counts as a warning). */
  readonly counts: Record<FindingStatus, number>;
  readonly endpointsAssessed: number;
  readonly evidence: EvidenceEvaluation[];
  /** Grading rules that changed what a finding did to this control. */
  readonly graded: GradedFindings[];
  /** One sentence for the report when a grading rule applied, else null. */
  readonly gradingNote: string | null;
}

export function emptyFindingCounts(): Record<FindingStatus, number> {
  return { fail: 0, warn: 0, pass: 0, 'not-tested': 0, error: 0 };
}

const NOT_ASSESSED_BY_TOOL: EvidenceResult = { status: 'not-tested', detail: 'Not evaluated for this report.' };

/**
 * @param findingsByCheck in-scope findings of this framework, grouped by check id
 */
export function evaluateControl(control: Control, findingsByCheck: ReadonlyMap<string, readonly Finding[]>,
  context: EvaluateContext = {}): ControlEvaluation {
  const counts = emptyFindingCounts();
  const behind: Finding[] = [];
  const tested = new Set<string>();
  const untested = new Set<string>();
  const graded = new Map<string, GradedFindings>();
  for (const link of control.checks) {
    const rule = ruleFor(link, context);
    for (const f of findingsByCheck.get(link.check) ?? []) {
      if (link.services !== undefined && !link.services.includes(f.endpoint.service)) continue;
      let status = f.status;
      if (status === 'fail' && rule !== undefined && rule.services.includes(f.endpoint.service)) {
        status = rule.failAs;
        const entry = graded.get(rule.id) ?? { rule, findings: [] };
        entry.findings.push(f);
        graded.set(rule.id, entry);
      }
      counts[status]++;
      if (status === 'fail' || status === 'warn') behind.push(f);
      if (status === 'fail' || status === 'warn' || status === 'pass') tested.add(f.endpointKey);
      else untested.add(f.endpointKey);
    }
  }
  const evidence = control.evidence.map((link) => ({ link, result: context.evidence?.get(link.property) ?? NOT_ASSESSED_BY_TOOL }));
  const withStatus = (s: EvidenceResult['status']) => evidence.filter((e) => e.result.status === s);
  const blocking = evidence.filter((e) => e.link.coverage === 'full' && e.result.status === 'not-tested');

  const status: ControlStatus = counts.fail > 0 || withStatus('fail').length > 0 ? 'fail'
    : counts.warn > 0 || withStatus('warn').length > 0 ? 'warn'
    : (counts.pass > 0 || withStatus('pass').length > 0) && blocking.length === 0 ? 'pass'
    : 'not-assessed';

  const endpoints = new Set(behind.map((f) => f.endpointKey)).size;
  const parts: string[] = [];
  const gradedCount = [...graded.values()].reduce((s, g) => s + g.findings.length, 0);
  const gradedClause = gradedCount === 0 ? '' : ` (${n(gradedCount, 'failing finding')} counted as ${gradedCount === 1 ? 'a warning' : 'warnings'} by grading rule ${[...graded.keys()].join(', ')})`;
  if (status === 'fail') {
    if (counts.fail > 0) parts.push(`${n(counts.fail, 'failing finding')} on ${n(endpoints, 'endpoint')} from the linked checks`);
    if (withStatus('fail').length > 0) parts.push(`report ${propertyList(withStatus('fail'))} not met`);
  } else if (status === 'warn') {
    if (counts.warn > 0) parts.push(`No failures; ${n(counts.warn, 'warning')} on ${n(endpoints, 'endpoint')} from the linked checks${gradedClause}`);
    if (withStatus('warn').length > 0) parts.push(`${counts.warn > 0 ? 'report' : 'No failures; report'} ${propertyList(withStatus('warn'))} only partly met`);
  } else if (status === 'pass') {
    if (counts.pass > 0) {
      parts.push(`Every linked check that could be tested passed on ${n(tested.size, 'endpoint')}${
        untested.size > 0 ? `; some linked checks could not be tested on ${n(untested.size, 'endpoint')} (see their findings)` : ''}`);
    }
    if (withStatus('pass').length > 0) parts.push(`${counts.pass > 0 ? 'the' : 'The'} linked report ${propertyList(withStatus('pass'))} ${withStatus('pass').length === 1 ? 'holds' : 'hold'}`);
    if (withStatus('not-tested').length > 0) parts.push(`not assessed by tlsproof: ${titles(withStatus('not-tested'))}`);
  } else if (blocking.length > 0 && withStatus('pass').length > 0) {
    parts.push(`Not assessed: ${titles(blocking)} ${blocking.length === 1 ? 'is' : 'are'} outside what tlsproof can see`);
    parts.push(`of what it can check, ${titles(withStatus('pass')).toLowerCase()} ${withStatus('pass').length === 1 ? 'holds' : 'hold'}`);
  } else if (counts['not-tested'] + counts.error > 0) {
    parts.push('The linked checks could not be tested on any in-scope endpoint');
  } else if (evidence.length > 0) {
    // Each property says why it could not be judged (nothing in scope, outside tlsproof's view…).
    const why = [...new Set(evidence.map((e) => e.result.detail.replace(/\.$/, '')))];
    parts.push(`Not assessed: ${why.map((d, i) => (i === 0 ? d : `${d.charAt(0).toLowerCase()}${d.slice(1)}`)).join('; ')}`);
  } else {
    parts.push('No in-scope endpoint was assessed for this control');
  }
  const joined = parts.join('; ');
  const statusReason = `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`;

  const gradingNote = graded.size === 0 ? null : [...graded.values()].map((g) => {
    const checks = [...new Set(g.findings.map((f) => f.checkId))].join(', ');
    return `${g.rule.title}: ${n(g.findings.length, 'failing finding')} of ${checks} on ${g.rule.services.join('/')} ` +
      `${g.findings.length === 1 ? 'counts' : 'count'} here as ${g.rule.failAs === 'warn' ? 'a warning' : g.rule.failAs}, not a failure (${g.rule.basis}).`;
  }).join(' ');

  return {
    control, status, statusReason, findings: behind, counts, endpointsAssessed: tested.size,
    evidence, graded: [...graded.values()], gradingNote,
  };
}

function ruleFor(link: CheckLink, context: EvaluateContext): GradingRule | undefined {
  return link.grading === undefined ? undefined : context.grading?.get(link.grading);
}

function n(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

function titles(list: readonly EvidenceEvaluation[]): string {
  return list.map((e) => EVIDENCE_PROPERTIES[e.link.property].title).join(', ');
}

function propertyList(list: readonly EvidenceEvaluation[]): string {
  return `${list.length === 1 ? 'property' : 'properties'} ${list.map((e) => `"${EVIDENCE_PROPERTIES[e.link.property].title}"`).join(', ')}`;
}
