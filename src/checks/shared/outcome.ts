/**
 * Small constructors for check outcomes, so each check states its verdict in one line.
 */
import type { FindingStatus, Severity } from '../../model/finding.js';
import type { Fact } from '../../model/source.js';
import type { CheckOutcome } from '../types.js';

export type OutcomeData = Readonly<Record<string, string | number>>;

/** An outcome; `severity` only when it differs from the check's default. */
export function outcome(
  status: FindingStatus,
  messageId: string,
  data: OutcomeData,
  evidence: readonly Fact<unknown>[],
  severity?: Severity,
): CheckOutcome {
  return severity === undefined ? { status, messageId, data, evidence } : { status, messageId, data, evidence, severity };
}

/** The fact the check needs is absent: the property was not tested, which is never a pass. */
export function notTested(data: OutcomeData = {}, messageId = 'not-tested'): CheckOutcome {
  return { status: 'not-tested', messageId, data, evidence: [] };
}
