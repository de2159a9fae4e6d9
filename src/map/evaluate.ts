/**
 * Findings × one control → the control's status, under the verdict rules (mappings/README.md,
 * "Verdict rules"). A status is a claim an auditor may rely on, so it never says more than the
 * evidence shows:
 *
 * - Only `technical` controls are graded PASS or FAIL. A link decides one only when it is
 *   `coverage: full` and not our interpretation: a failing finding of such a link fails the
 *   control; a failing finding of a partial, indirect or interpretive link counts as a warning.
 * - PASS needs, on every in-scope endpoint a deciding link applies to (its `services` and the
 *   check's own services), a passed finding of a deciding link, and no failure or warning anywhere.
 *   A technical control whose clean results come only from supporting links, or whose deciding
 *   checks could not be tested everywhere, is `evidence` ("evidence supplied"), not PASS.
 * - `process` controls are never graded: when anything linked was assessed they are `evidence`,
 *   and their failing and warning findings are listed as what the report contributes.
 * - `definition` controls are `not-graded`.
 * - Nothing here turns a warning into a failure: statuses only ever move down (fail → warn).
 *
 * Grading rules (mappings/grading.yaml) still apply first: a link that names a rule has its failing
 * findings on the rule's services counted as the rule says (a warning). Report properties
 * (src/map/evidence.ts) linked with `coverage: full` that tlsproof cannot assess (record retention)
 * keep a technical control from passing.
 *
 * Pure: no I/O.
 */
import { checkApplies, checkById } from '../checks/index.js';
import type { Service } from '../model/endpoint.js';
import type { Finding, FindingStatus } from '../model/finding.js';
import { EVIDENCE_PROPERTIES } from '../model/framework.js';
import type { CheckLink, Control, EvidenceLink, EvidencePropertyId, GradingRule } from '../model/framework.js';
import type { ControlStatus } from '../model/report-model.js';
import type { EvidenceResult } from './evidence.js';

interface EvaluateContext {
  /** Grading rules by id; a link naming a rule not given here is graded normally. */
  readonly grading?: ReadonlyMap<string, GradingRule>;
  /** The framework's report properties, evaluated once (src/map/evidence.ts). */
  readonly evidence?: ReadonlyMap<EvidencePropertyId, EvidenceResult>;
  /**
   * The framework's in-scope endpoints. PASS needs every one a deciding link applies to; when left
   * out, the endpoints the findings name stand for them.
   */
  readonly endpoints?: readonly { readonly key: string; readonly service: Service }[];
}

interface EvidenceEvaluation {
  readonly link: EvidenceLink;
  readonly result: EvidenceResult;
}

interface GradedFindings {
  readonly rule: GradingRule;
  /** Failing findings this rule counted as warnings for this control. */
  readonly findings: Finding[];
}

export interface ControlEvaluation {
  readonly control: Control;
  readonly status: ControlStatus;
  readonly statusReason: string;
  /** Failing and warning findings behind the status (for a process control: what the report contributes). */
  readonly findings: Finding[];
  /** Finding counts for this control: a failure that cannot decide it (graded, or from a supporting link) counts as a warning. */
  readonly counts: Record<FindingStatus, number>;
  readonly endpointsAssessed: number;
  readonly evidence: EvidenceEvaluation[];
  /** Grading rules that changed what a finding did to this control. */
  readonly graded: GradedFindings[];
  /** One sentence for the report when a grading rule applied, else null. */
  readonly gradingNote: string | null;
  /** For a `risk-accepted` control, the status it would have without exceptions (src/map/exceptions.ts); else null. */
  readonly acceptedFrom: 'fail' | 'warn' | null;
  /** In-force exceptions covering findings behind the status, sorted. */
  readonly exceptionIds: readonly string[];
}

export function emptyFindingCounts(): Record<FindingStatus, number> {
  return { fail: 0, warn: 0, pass: 0, 'not-tested': 0, error: 0 };
}

/**
 * How every process control's status reason starts; a renderer that states it once for all of
 * them may print only what follows.
 */
export const PROCESS_CONTROL_REASON = 'A process control: a TLS scan cannot decide it, so the report supplies evidence and no grade';

const NOT_ASSESSED_BY_TOOL: EvidenceResult = { status: 'not-tested', detail: 'Not evaluated for this report.' };

/** A link decides a technical control only when it covers it fully, in the control's own terms. */
export function decides(link: CheckLink | EvidenceLink): boolean {
  return link.coverage === 'full' && !link.interpretation;
}

/**
 * @param findingsByCheck in-scope findings of this framework, grouped by check id
 */
export function evaluateControl(control: Control, findingsByCheck: ReadonlyMap<string, readonly Finding[]>,
  context: EvaluateContext = {}): ControlEvaluation {
  if (control.kind === 'definition') {
    return {
      control, status: 'not-graded', findings: [], counts: emptyFindingCounts(), endpointsAssessed: 0, evidence: [], graded: [], gradingNote: null,
      acceptedFrom: null, exceptionIds: [],
      statusReason: 'A definition: it says what a term of the rule means, so it is not graded; the controls that use the term are.',
    };
  }
  const counts = emptyFindingCounts();
  const behind: Finding[] = [];
  const tested = new Set<string>();
  const untested = new Set<string>();
  const graded = new Map<string, GradedFindings>();
  /** Failures of links that cannot decide the control, counted as warnings. */
  let supportingFailures = 0;
  let decidingFailures = 0;
  const failedEndpoints = new Set<string>();
  /** Endpoints a deciding link applies to, and those where a deciding link passed. */
  const decidable = new Set<string>();
  const decidedPass = new Set<string>();
  const endpoints = context.endpoints;
  for (const link of control.checks) {
    const rule = ruleFor(link, context);
    const deciding = decides(link);
    if (deciding && endpoints !== undefined) {
      for (const e of endpoints) if (linkApplies(link, e.service)) decidable.add(e.key);
    }
    for (const f of findingsByCheck.get(link.check) ?? []) {
      if (link.services !== undefined && !link.services.includes(f.endpoint.service)) continue;
      if (deciding && endpoints === undefined) decidable.add(f.endpointKey);
      let status = f.status;
      if (status === 'fail' && rule !== undefined && rule.services.includes(f.endpoint.service)) {
        status = rule.failAs;
        const entry = graded.get(rule.id) ?? { rule, findings: [] };
        entry.findings.push(f);
        graded.set(rule.id, entry);
      }
      if (status === 'fail' && !(deciding && control.kind === 'technical')) {
        status = 'warn';
        supportingFailures++;
      } else if (status === 'fail') {
        decidingFailures++;
        failedEndpoints.add(f.endpointKey);
      }
      counts[status]++;
      if (status === 'fail' || status === 'warn') behind.push(f);
      if (status === 'fail' || status === 'warn' || status === 'pass') tested.add(f.endpointKey);
      else untested.add(f.endpointKey);
      if (deciding && status === 'pass') decidedPass.add(f.endpointKey);
    }
  }
  const evidence = control.evidence.map((link) => ({ link, result: context.evidence?.get(link.property) ?? NOT_ASSESSED_BY_TOOL }));
  const withStatus = (s: EvidenceResult['status']) => evidence.filter((e) => e.result.status === s);
  const blocking = evidence.filter((e) => e.link.coverage === 'full' && e.result.status === 'not-tested');
  const propertyFails = withStatus('fail');
  const decidingPropertyFails = propertyFails.filter((e) => decides(e.link));
  const anyAssessed = tested.size > 0 || evidence.some((e) => e.result.status !== 'not-tested');

  const uncovered = [...decidable].filter((k) => !decidedPass.has(k));
  let status: ControlStatus;
  if (control.kind === 'process') {
    status = anyAssessed ? 'evidence' : 'not-assessed';
  } else if (counts.fail > 0 || decidingPropertyFails.length > 0) {
    status = 'fail';
  } else if (counts.warn > 0 || withStatus('warn').length > 0 || propertyFails.length > 0) {
    status = 'warn';
  } else if (decidable.size > 0 && uncovered.length === 0 && blocking.length === 0) {
    status = 'pass';
  } else {
    status = anyAssessed ? 'evidence' : 'not-assessed';
  }

  const reasonEndpoints = new Set(behind.map((f) => f.endpointKey)).size;
  const gradedCount = [...graded.values()].reduce((s, g) => s + g.findings.length, 0);
  const parts: string[] = [];
  const softened: string[] = [];
  if (gradedCount > 0) softened.push(`${n(gradedCount, 'failing finding')} counted as ${gradedCount === 1 ? 'a warning' : 'warnings'} by grading rule ${[...graded.keys()].join(', ')}`);
  if (supportingFailures > 0 && control.kind === 'technical') {
    softened.push(`${n(supportingFailures, 'failing finding')} of partial, indirect or interpretive links, which can warn but not fail a control`);
  }
  const softClause = softened.length === 0 ? '' : ` (${softened.join('; ')})`;
  if (status === 'fail') {
    if (counts.fail > 0) parts.push(`${n(decidingFailures, 'failing finding')} on ${n(failedEndpoints.size, 'endpoint')} from checks that decide this control (coverage full)`);
    if (decidingPropertyFails.length > 0) parts.push(`report ${propertyList(decidingPropertyFails)} not met`);
  } else if (status === 'warn') {
    if (counts.warn > 0) parts.push(`No failure from a check that decides this control; ${n(counts.warn, 'warning')} on ${n(reasonEndpoints, 'endpoint')} from the linked checks${softClause}`);
    const weak = [...withStatus('warn'), ...propertyFails];
    if (weak.length > 0) parts.push(`${counts.warn > 0 ? 'report' : 'No failures; report'} ${propertyList(weak)} only partly met`);
  } else if (status === 'pass') {
    parts.push(`Every in-scope endpoint a deciding check applies to (${n(decidable.size, 'endpoint')}) passed a check that decides this control, and no linked check failed or warned`);
    if (untested.size > 0) parts.push(`some linked checks could not be tested on ${n(untested.size, 'endpoint')} (see their findings)`);
    if (withStatus('pass').length > 0) parts.push(`the linked report ${propertyList(withStatus('pass'))} ${withStatus('pass').length === 1 ? 'holds' : 'hold'}`);
    if (withStatus('not-tested').length > 0) parts.push(`not assessed by tlsproof: ${titles(withStatus('not-tested'))}`);
  } else if (status === 'evidence' && control.kind === 'process') {
    parts.push(PROCESS_CONTROL_REASON);
    if (tested.size > 0) {
      parts.push(behind.length > 0
        ? `${n(behind.length, 'failing or warning finding')} on ${n(reasonEndpoints, 'endpoint')} to weigh in it, from checks tested on ${n(tested.size, 'endpoint')}`
        : `the linked checks found no problem on ${n(tested.size, 'endpoint')}`);
    }
    const judged = evidence.filter((e) => e.result.status !== 'not-tested');
    if (judged.length > 0) parts.push(`report ${propertyList(judged)}: ${judged.map((e) => e.result.status === 'pass' ? 'met' : e.result.status === 'warn' ? 'partly met' : 'not met').join(', ')}`);
    if (withStatus('not-tested').length > 0) parts.push(`outside what tlsproof can see: ${titles(withStatus('not-tested'))}`);
  } else if (status === 'evidence') {
    const clean = `No linked check failed or warned on ${n(tested.size, 'endpoint')}, but`;
    if (decidable.size === 0) parts.push(`${clean} no linked check decides this control on its own (every link is partial, indirect or our reading), so the results are supplied as evidence, not as a pass`);
    else if (uncovered.length > 0) parts.push(`${clean} the checks that decide it could not be tested on ${n(uncovered.length, 'endpoint')} of ${decidable.size}, so it is not graded as passed`);
    else parts.push(`${clean} ${titles(blocking)} ${blocking.length === 1 ? 'is' : 'are'} outside what tlsproof can see, so it is not graded as passed`);
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
    const ids = [...new Set(g.findings.map((f) => f.checkId))].join(', ');
    return `${g.rule.title}: ${n(g.findings.length, 'failing finding')} of ${ids} on ${g.rule.services.join('/')} ` +
      `${g.findings.length === 1 ? 'counts' : 'count'} here as ${g.rule.failAs === 'warn' ? 'a warning' : g.rule.failAs}, not a failure (${g.rule.basis}).`;
  }).join(' ');

  return {
    control, status, statusReason, findings: behind, counts, endpointsAssessed: tested.size,
    evidence, graded: [...graded.values()], gradingNote, acceptedFrom: null, exceptionIds: [],
  };
}

/** Whether a link's check has anything to say about an endpoint offering `service`. */
function linkApplies(link: CheckLink, service: Service): boolean {
  return (link.services === undefined || link.services.includes(service)) && checkApplies(checkById(link.check), service);
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
