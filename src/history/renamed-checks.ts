/**
 * Check ids that earlier releases stored and later ones renamed or merged. The evidence store
 * keeps findings as they were recorded (a record is never rewritten); the history reads them
 * through this table, so a run recorded before a rename compares with one recorded after it as
 * the same finding, not as "resolved" plus "new".
 */
import type { Severity } from '../model/finding.js';
import { SEVERITY_RANK } from '../model/finding.js';
import type { TimelineFinding } from './timeline.js';

interface Renamed {
  readonly to: string;
  /** Stored message ids whose finding the new check no longer holds open; it reads them as not tested. */
  readonly closedMessages?: readonly string[];
  /** The status and severity the new check gives what the old one held open. */
  readonly open?: { readonly status: 'warn'; readonly severity: Severity };
}

/**
 * The three cumulative expiry windows (one finding each) became one cert-expiring finding whose
 * severity is the nearest window's; a certificate already expired when observed is cert-expired's
 * finding alone.
 */
const RENAMED_CHECKS: Readonly<Record<string, Renamed>> = {
  'cert-expiry-30d': { to: 'cert-expiring', closedMessages: ['already-expired'], open: { status: 'warn', severity: 'high' } },
  'cert-expiry-60d': { to: 'cert-expiring', closedMessages: ['already-expired'], open: { status: 'warn', severity: 'medium' } },
  'cert-expiry-90d': { to: 'cert-expiring', closedMessages: ['already-expired'], open: { status: 'warn', severity: 'low' } },
};

const STATUS_RANK: Readonly<Record<TimelineFinding['status'], number>> = { fail: 4, warn: 3, error: 2, 'not-tested': 1, pass: 0 };

/**
 * Adds one stored finding to an observation's findings under its current id. Several stored
 * findings that became one (the expiry windows) merge into the most serious: an open one over
 * an untested one, then the higher severity.
 */
export function addStoredFinding(into: Map<string, TimelineFinding>, stored: TimelineFinding & { readonly messageId: string }): void {
  const rename = RENAMED_CHECKS[stored.checkId];
  const { messageId: _, ...plain } = stored;
  let f: TimelineFinding = plain;
  if (rename !== undefined) {
    const localId = `${rename.to}${stored.localId.slice(stored.checkId.length)}`;
    const open = stored.status === 'fail' || stored.status === 'warn';
    const closed = rename.closedMessages?.includes(stored.messageId) ?? false;
    f = closed ? { localId, checkId: rename.to, status: 'not-tested', severity: stored.severity }
      : open && rename.open !== undefined ? { localId, checkId: rename.to, ...rename.open }
      : { ...plain, localId, checkId: rename.to };
  }
  const had = into.get(f.localId);
  if (had === undefined || STATUS_RANK[f.status] > STATUS_RANK[had.status]
    || (STATUS_RANK[f.status] === STATUS_RANK[had.status] && SEVERITY_RANK[f.severity] > SEVERITY_RANK[had.severity])) {
    into.set(f.localId, f);
  }
}

/** The current id of a check id read from the store. */
export function currentCheckId(checkId: string): string {
  return RENAMED_CHECKS[checkId]?.to ?? checkId;
}
