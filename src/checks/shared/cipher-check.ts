/**
 * Check factory for "a class of weak cipher suites is offered" (obs.cipherClasses). A check may
 * cover several classes (64-bit block ciphers = DES and 3DES/IDEA); it fails when any is offered
 * and passes only when every one is known not to be.
 */
import type { Severity } from '../../model/finding.js';
import type { CipherClass, Observation } from '../../model/observation.js';
import type { Fact } from '../../model/source.js';
import type { Check, CheckOutcome } from '../types.js';
import { notTested, outcome } from './outcome.js';

const CIPHER_CLASS_LABELS: Readonly<Record<CipherClass, string>> = {
  null: 'NULL',
  anon: 'anonymous (aNULL)',
  export: 'EXPORT',
  des: 'DES',
  '3des': '3DES/IDEA',
  rc4: 'RC4',
  cbc: 'CBC',
};

/** Shared fix for weak suites: one exclusion list covers every class these checks look for. */
export const WEAK_CIPHER_REMEDIATION =
  'Remove the weak suites from the server cipher list. Postfix: `smtpd_tls_mandatory_ciphers = high` and ' +
  '`smtpd_tls_exclude_ciphers = eNULL, aNULL, EXPORT, LOW, DES, 3DES, IDEA, RC4, MD5` (add `tls_preempt_cipherlist = yes`). ' +
  'Dovecot: `ssl_cipher_list = HIGH:!aNULL:!eNULL:!EXPORT:!LOW:!DES:!3DES:!IDEA:!RC4:!MD5` and `ssl_prefer_server_ciphers = yes`. ' +
  'Restart the service and rescan.';

/** Messages of every cipher-class check; `partly-tested` only exists for multi-class checks. */
const SINGLE_CLASS_MESSAGES = {
  offered: '{{offered}} cipher suites are offered',
  'not-offered': 'No {{classes}} cipher suites are offered',
  'not-tested': '{{classes}} cipher suites were not tested',
} as const;
const MULTI_CLASS_MESSAGES = {
  ...SINGLE_CLASS_MESSAGES,
  'partly-tested': '{{untested}} cipher suites were not tested ({{notOffered}} not offered)',
} as const;

export function cipherClassMessages(classes: readonly CipherClass[]): Readonly<Record<string, string>> {
  return classes.length > 1 ? MULTI_CLASS_MESSAGES : SINGLE_CLASS_MESSAGES;
}

function labels(classes: readonly CipherClass[]): string {
  return classes.map((c) => CIPHER_CLASS_LABELS[c]).join(', ');
}

/**
 * The verdict on `classes`: fail citing the offered ones; pass only when all are known not
 * offered; otherwise not tested, citing what is known.
 */
export function cipherClassOutcome(obs: Observation, classes: readonly CipherClass[]): CheckOutcome {
  const offered: CipherClass[] = [];
  const offeredFacts: Fact<boolean>[] = [];
  const notOffered: CipherClass[] = [];
  const notOfferedFacts: Fact<boolean>[] = [];
  const untested: CipherClass[] = [];
  for (const c of classes) {
    const f = obs.cipherClasses[c];
    if (f === undefined) untested.push(c);
    else if (f.value) {
      offered.push(c);
      offeredFacts.push(f);
    } else {
      notOffered.push(c);
      notOfferedFacts.push(f);
    }
  }
  const all = labels(classes);
  if (offered.length > 0) return outcome('fail', 'offered', { classes: all, offered: labels(offered) }, offeredFacts);
  if (untested.length === 0) return outcome('pass', 'not-offered', { classes: all }, notOfferedFacts);
  if (notOffered.length === 0) return notTested({ classes: all });
  return outcome(
    'not-tested',
    'partly-tested',
    { classes: all, untested: labels(untested), notOffered: labels(notOffered) },
    notOfferedFacts,
  );
}

interface CipherClassCheckSpec {
  readonly id: string;
  readonly classes: readonly [CipherClass, ...CipherClass[]];
  readonly title: string;
  readonly passedTitle: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
}

export function cipherClassCheck(spec: CipherClassCheckSpec): Check {
  return {
    meta: {
      id: spec.id,
      title: spec.title,
      passedTitle: spec.passedTitle,
      severity: spec.severity,
      category: 'cipher',
      description: spec.description,
      remediation: spec.remediation,
      appliesTo: 'all',
      messages: cipherClassMessages(spec.classes),
    },
    evaluate: (obs) => [cipherClassOutcome(obs, spec.classes)],
  };
}
