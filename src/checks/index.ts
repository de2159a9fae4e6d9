/**
 * The check registry and runner. `checks` below is the one list of checks: adding a check is its
 * file plus one line here (and its row in facts.ts and its links in mappings/). Its order is the
 * report order. `runChecks` turns one Observation into Findings (message filled in, evidence cited).
 */
import { endpointKey } from '../model/endpoint.js';
import type { Service } from '../model/endpoint.js';
import type { Finding } from '../model/finding.js';
import type { Observation } from '../model/observation.js';
import { CHECK_FACTS, checkFacts } from './facts.js';
import type { FactPath } from '../model/observation.js';
import { measurableBy } from '../model/fact-coverage.js';
import { SOURCE_TOOL, type SourceKind } from '../model/source.js';
import { evidenceFor } from './shared/evidence.js';
import { findingSentence, messageTemplate } from './shared/message.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';
import { scanIncomplete } from './scan-incomplete.js';
import { tlsNotOffered } from './tls-not-offered.js';
import { protoSslv2 } from './proto-sslv2.js';
import { protoSslv3 } from './proto-sslv3.js';
import { protoTls10 } from './proto-tls10.js';
import { protoTls11 } from './proto-tls11.js';
import { protoTls12Missing } from './proto-tls12-missing.js';
import { protoTls13Missing } from './proto-tls13-missing.js';
import { cipherNull } from './cipher-null.js';
import { cipherExport } from './cipher-export.js';
import { cipherAnon } from './cipher-anon.js';
import { cipherRc4 } from './cipher-rc4.js';
import { cipher64bitBlock } from './cipher-64bit-block.js';
import { noForwardSecrecy } from './no-forward-secrecy.js';
import { certExpired } from './cert-expired.js';
import { certNotYetValid } from './cert-not-yet-valid.js';
import { certRevoked } from './cert-revoked.js';
import { certExpiring } from './cert-expiring.js';
import { certUntrusted } from './cert-untrusted.js';
import { certSelfSigned } from './cert-self-signed.js';
import { certHostnameMismatch } from './cert-hostname-mismatch.js';
import { certWeakKey } from './cert-weak-key.js';
import { certWeakSignature } from './cert-weak-signature.js';
import { vulnHeartbleed } from './vuln-heartbleed.js';
import { vulnCcs } from './vuln-ccs.js';
import { vulnTicketbleed } from './vuln-ticketbleed.js';
import { vulnRobot } from './vuln-robot.js';
import { vulnPoodle } from './vuln-poodle.js';
import { vulnDrown } from './vuln-drown.js';
import { vulnFreak } from './vuln-freak.js';
import { vulnLogjam } from './vuln-logjam.js';
import { vulnSweet32 } from './vuln-sweet32.js';
import { vulnBeast } from './vuln-beast.js';
import { vulnLucky13 } from './vuln-lucky13.js';
import { vulnStarttlsInjection } from './vuln-starttls-injection.js';
import { authBeforeStarttls } from './auth-before-starttls.js';
import { submissionTlsNotEnforced } from './submission-tls-not-enforced.js';
import { mtaStsMissing } from './mta-sts-missing.js';
import { mtaStsNotEnforced } from './mta-sts-not-enforced.js';
import { mtaStsMxMismatch } from './mta-sts-mx-mismatch.js';
import { tlsRptMissing } from './tls-rpt-missing.js';
import { tlsRptReportsAbsent } from './tls-rpt-reports-absent.js';
import { tlsRptFailureRate } from './tls-rpt-failure-rate.js';
import { tlsRptSenderFailures } from './tls-rpt-sender-failures.js';
import { daneMissing } from './dane-missing.js';
import { daneMismatch } from './dane-mismatch.js';
import { dhWeak } from './dh-weak.js';
import { cipherStaticRsa } from './cipher-static-rsa.js';
import { renegInsecure } from './reneg-insecure.js';
import { renegClientInitiated } from './reneg-client-initiated.js';

/** Every check by id, in report order: the registry. */
export const checks = {
  'scan-incomplete': scanIncomplete,
  'tls-not-offered': tlsNotOffered,
  'proto-sslv2': protoSslv2,
  'proto-sslv3': protoSslv3,
  'proto-tls10': protoTls10,
  'proto-tls11': protoTls11,
  'proto-tls12-missing': protoTls12Missing,
  'proto-tls13-missing': protoTls13Missing,
  'cipher-null': cipherNull,
  'cipher-export': cipherExport,
  'cipher-anon': cipherAnon,
  'cipher-rc4': cipherRc4,
  'cipher-64bit-block': cipher64bitBlock,
  'no-forward-secrecy': noForwardSecrecy,
  'cert-expired': certExpired,
  'cert-not-yet-valid': certNotYetValid,
  'cert-revoked': certRevoked,
  'cert-expiring': certExpiring,
  'cert-untrusted': certUntrusted,
  'cert-self-signed': certSelfSigned,
  'cert-hostname-mismatch': certHostnameMismatch,
  'cert-weak-key': certWeakKey,
  'cert-weak-signature': certWeakSignature,
  'vuln-heartbleed': vulnHeartbleed,
  'vuln-ccs': vulnCcs,
  'vuln-ticketbleed': vulnTicketbleed,
  'vuln-robot': vulnRobot,
  'vuln-poodle': vulnPoodle,
  'vuln-drown': vulnDrown,
  'vuln-freak': vulnFreak,
  'vuln-logjam': vulnLogjam,
  'vuln-sweet32': vulnSweet32,
  'vuln-beast': vulnBeast,
  'vuln-lucky13': vulnLucky13,
  'vuln-starttls-injection': vulnStarttlsInjection,
  'auth-before-starttls': authBeforeStarttls,
  'submission-tls-not-enforced': submissionTlsNotEnforced,
  'mta-sts-missing': mtaStsMissing,
  'mta-sts-not-enforced': mtaStsNotEnforced,
  'mta-sts-mx-mismatch': mtaStsMxMismatch,
  'tls-rpt-missing': tlsRptMissing,
  'tls-rpt-reports-absent': tlsRptReportsAbsent,
  'tls-rpt-failure-rate': tlsRptFailureRate,
  'tls-rpt-sender-failures': tlsRptSenderFailures,
  'dane-missing': daneMissing,
  'dane-mismatch': daneMismatch,
  'dh-weak': dhWeak,
  'cipher-static-rsa': cipherStaticRsa,
  'reneg-insecure': renegInsecure,
  'reneg-client-initiated': renegClientInitiated,
} as const satisfies Record<string, Check>;

export type CheckId = keyof typeof checks;
// Every registered check must have its row in the fact table (and no row may name another id).
const FACT_ROWS: Record<CheckId, readonly FactPath[]> & Record<keyof typeof CHECK_FACTS, unknown> = CHECK_FACTS;
void FACT_ROWS;

/**
 * Checks that stop testing a condition once another check on the same endpoint reports it worse:
 * `cert-expiring` has no window left on a certificate that has expired (cert-expired fails),
 * the MTA-STS mode and MX checks have nothing to read without a policy (mta-sts-missing fails),
 * and TLS-RPT reports are not looked for without a record (tls-rpt-missing warns). The history
 * follows such a finding to the worse one instead of calling it unverified; both judge the same
 * certificate or domain in the same order, so their outcome numbers (`#n`) match.
 */
export const SUPERSEDED_BY: Readonly<Partial<Record<CheckId, readonly CheckId[]>>> = {
  'cert-expiring': ['cert-expired'],
  'mta-sts-not-enforced': ['mta-sts-missing'],
  'mta-sts-mx-mismatch': ['mta-sts-missing'],
  'tls-rpt-reports-absent': ['tls-rpt-missing'],
};

/** Every check id, in report order. */
export const CHECK_IDS = Object.keys(checks) as readonly CheckId[];

export function isCheckId(s: string): s is CheckId {
  return Object.hasOwn(checks, s);
}

/**
 * The check a mapping link names. Mapping files are checked against the registry when they load
 * (map/load.ts), so an unknown id here is a bug, not an input problem.
 */
export function checkById(id: string): Check {
  if (!isCheckId(id)) throw new Error(`no check "${id}" in the registry`);
  return checks[id];
}

interface Entry {
  readonly check: Check;
  /** `undefined` = applies to every service. */
  readonly services: ReadonlySet<Service> | undefined;
}

function entryOf(check: Check): Entry {
  const { appliesTo } = check.meta;
  return { check, services: appliesTo === 'all' ? undefined : new Set(appliesTo) };
}

// Resolved once: runChecks runs on thousands of endpoints.
const ENTRIES: readonly Entry[] = CHECK_IDS.map((id) => entryOf(checks[id]));

/** Whether `check` has anything to say about an endpoint offering `service`. */
export function checkApplies(check: Check, service: Service): boolean {
  const { appliesTo } = check.meta;
  return appliesTo === 'all' || appliesTo.includes(service);
}

/**
 * The finding for one outcome. `index` and `count` place the outcome among its check's outcomes
 * for this endpoint: several (one per certificate) get `#1`, `#2`… so finding ids stay unique.
 * Throws when the outcome names a message the check lacks or leaves a placeholder without data.
 */
function toFinding(
  check: Check,
  outcome: CheckOutcome,
  obs: Observation,
  key: string,
  index = 0,
  count = 1,
): Finding {
  const { meta } = check;
  const data: Record<string, string | number> = { ...outcome.data };
  if (outcome.status === 'not-tested' && outcome.evidence.length === 0) {
    const tools = notMeasuredBy(meta.id, obs);
    if (tools !== undefined) data['notMeasuredBy'] = tools;
  }
  const message = findingSentence(messageTemplate(meta, outcome.messageId), data);
  return {
    id: count > 1 ? `${meta.id}@${key}#${index + 1}` : `${meta.id}@${key}`,
    checkId: meta.id,
    endpoint: obs.endpoint,
    endpointKey: key,
    status: outcome.status,
    severity: outcome.severity ?? meta.severity,
    messageId: outcome.messageId,
    message,
    data,
    evidence: evidenceFor(outcome.evidence),
  };
}

// An endpoint's sources are scanned once, not once per untested check.
const sourceKinds = new WeakMap<Observation, readonly SourceKind[]>();

/**
 * The tools behind `obs` when none of them can measure any fact `id` is decided by (per the
 * source fact tables), e.g. `nmap`; undefined when some tool could have (then "not tested" means
 * it did not, this time) or the observation names no source.
 */
function notMeasuredBy(id: string, obs: Observation): string | undefined {
  let kinds = sourceKinds.get(obs);
  if (kinds === undefined) {
    kinds = [...new Set(obs.sources.map((s) => s.kind))];
    sourceKinds.set(obs, kinds);
  }
  if (kinds.length === 0) return undefined;
  const facts = checkFacts(id);
  if (kinds.some((k) => facts.some((f) => measurableBy(k).has(f)))) return undefined;
  return [...new Set(kinds.map((k) => SOURCE_TOOL[k]))].join(', ');
}

/**
 * Runs every applicable check on one observation, in report order. Pure: the report date comes
 * from `ctx`. Throws only on a bug in a check (unknown messageId, missing message data). `only`
 * replaces the registry with other checks (tests of the runner itself use made-up checks).
 */
export function runChecks(obs: Observation, ctx: CheckContext, only?: readonly Check[]): Finding[] {
  const key = endpointKey(obs.endpoint);
  const service = obs.endpoint.service;
  const findings: Finding[] = [];
  for (const { check, services } of only === undefined ? ENTRIES : only.map(entryOf)) {
    if (services !== undefined && !services.has(service)) continue;
    const outcomes = check.evaluate(obs, ctx);
    const count = outcomes.length;
    for (let i = 0; i < count; i++) {
      const o = outcomes[i];
      if (o !== undefined) findings.push(toFinding(check, o, obs, key, i, count));
    }
  }
  return findings;
}
