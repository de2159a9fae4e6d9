/**
 * Helpers for checks on email-domain policies (MTA-STS, TLS-RPT): one outcome per domain whose MX
 * is the endpoint, labelled with the domain. Endpoints without policy facts (other scanners, or
 * not an MX) get one not-tested outcome.
 */
import type { DomainPolicyFacts, Observation } from '../../model/observation.js';
import type { CheckOutcome } from '../types.js';
import { notTested } from './outcome.js';

export const DOMAIN_POLICY_MESSAGES = {
  'not-tested': 'Email-domain policies were not tested for this endpoint',
} as const;

export function perDomain(obs: Observation, judge: (p: DomainPolicyFacts, data: { domain: string }) => CheckOutcome): CheckOutcome[] {
  const list = obs.domainPolicies ?? [];
  if (list.length === 0) return [notTested()];
  return list.map((p) => judge(p, { domain: p.domain }));
}
