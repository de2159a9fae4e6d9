/**
 * What the expiry checks share: the warning windows and what to do about an expiring certificate.
 */
import type { Severity } from '../../model/finding.js';

/**
 * The windows, nearest first: a certificate with `days` or fewer whole UTC days left warns with
 * `severity`. 30 days is when ACME clients renew and most controls' "imminent expiry" concern
 * starts; 60 and 90 days leave room for manual renewals.
 */
export const EXPIRY_WINDOWS: readonly { readonly days: number; readonly severity: Severity }[] = [
  { days: 30, severity: 'high' },
  { days: 60, severity: 'medium' },
  { days: 90, severity: 'low' },
];

export const RENEWAL_REMEDIATION =
  'Renew the certificate before it expires and reload the service (Postfix `postfix reload`, Dovecot ' +
  '`doveadm reload`). Automate renewal, e.g. ACME (certbot, acme.sh) with a deploy hook that reloads every ' +
  'service using the certificate, and monitor expiry.';
