/**
 * The check seam: a check is a pure function of one Observation (no I/O, no clock: dates come
 * from the observation), plus metadata kept as data next to it (ESLint rule shape).
 */
import type { FindingStatus, Severity } from '../model/finding.js';
import type { Observation } from '../model/observation.js';
import type { Service } from '../model/endpoint.js';
import type { Fact } from '../model/source.js';

export interface CheckMeta {
  /** Kebab-case, the same as the check's file name and its key in the registry (index.ts). */
  readonly id: string;
  /** Short name of what is checked, e.g. "TLS 1.0 offered". */
  readonly title: string;
  /**
   * What a passing outcome verified, e.g. "SSL 2.0 not offered": the title names the problem
   * looked for, so a list of passed checks printed by title would read as if it were present.
   */
  readonly passedTitle: string;
  /** Severity of a failing outcome unless the outcome sets its own. */
  readonly severity: Severity;
  readonly category: 'transport' | 'protocol' | 'cipher' | 'certificate' | 'vulnerability' | 'scan';
  /** Why this matters, one or two sentences for the report. */
  readonly description: string;
  /** What to do about a failing outcome. */
  readonly remediation: string;
  /** Services the check applies to; other endpoints get no outcome. */
  readonly appliesTo: readonly Service[] | 'all';
  /** Message templates by id; `{{name}}` is replaced from the outcome's data. */
  readonly messages: Readonly<Record<string, string>>;
}

export interface CheckContext {
  /**
   * The date the report speaks for (ISO 8601). No check judges dates by it: validity and expiry
   * windows count from the observation time (Observation.observedAt), what the evidence shows;
   * the report states what changed by its own date.
   */
  readonly reportDate: string;
}

export interface CheckOutcome {
  readonly status: FindingStatus;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  /** The facts the verdict rests on; their sources become the finding's evidence. */
  readonly evidence: readonly Fact<unknown>[];
  readonly severity?: Severity;
}

export interface Check {
  readonly meta: CheckMeta;
  evaluate(obs: Observation, ctx: CheckContext): readonly CheckOutcome[];
}
