/**
 * Check factory for "certificate expires within N days of the report date". The windows are
 * cumulative: a certificate expiring in 10 days trips the 30-, 60- and 90-day checks alike, so a
 * control mapped to any one of them sees it.
 */
import type { Severity } from '../../model/finding.js';
import type { CheckId } from '../ids.js';
import type { Check } from '../types.js';
import { CERTIFICATE_MESSAGES, DATE_MESSAGES, expiryInstants, instantOrError, perCertificate } from './certificate-check.js';
import { outcome } from './outcome.js';
import { utcCalendarDaysBetween } from '../../time.js';

export const RENEWAL_REMEDIATION =
  'Renew the certificate before it expires and reload the service (Postfix `postfix reload`, Dovecot ' +
  '`doveadm reload`). Automate renewal, e.g. ACME (certbot, acme.sh) with a deploy hook that reloads every ' +
  'service using the certificate, and monitor expiry.';

interface ExpiryWindowSpec {
  readonly id: CheckId;
  readonly days: number;
  /** `fail` for the nearest window, `warn` for the advisory ones. */
  readonly status: 'fail' | 'warn';
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
}

export function expiryWindowCheck(spec: ExpiryWindowSpec): Check {
  const { days, status } = spec;
  return {
    meta: {
      id: spec.id,
      title: spec.title,
      severity: spec.severity,
      category: 'certificate',
      description: spec.description,
      remediation: RENEWAL_REMEDIATION,
      appliesTo: 'all',
      messages: {
        ...CERTIFICATE_MESSAGES,
        ...DATE_MESSAGES,
        expiring:
          'Certificate {{certificate}} expires on {{notAfter}}, {{daysLeft}} days after the report date {{reportDate}} (window: {{window}} days)',
        'expired-by-report-date':
          'Certificate {{certificate}} was valid when observed on {{observedAt}} but expired on {{notAfter}}, {{daysAgo}} days before the report date {{reportDate}}',
        'already-expired':
          'Certificate {{certificate}} had already expired on {{notAfter}} when observed on {{observedAt}} (see cert-expired)',
        valid:
          'Certificate {{certificate}} expires on {{notAfter}}, {{daysLeft}} days after the report date {{reportDate}} (window: {{window}} days)',
      },
    },
    evaluate(obs, ctx) {
      return perCertificate(obs, (cert, data) => {
        const e = expiryInstants(obs, cert, data);
        if ('outcome' in e) return e.outcome;
        const { notAfter, evidence } = e;
        const report = instantOrError(ctx.reportDate, 'report date', data, evidence);
        if ('error' in report) return report.error;

        const base = { ...data, notAfter: notAfter.value, observedAt: obs.observedAt, reportDate: ctx.reportDate };
        // Why a certificate already expired when observed still fails (or warns) here instead of
        // being "not tested": a window check must never judge an expired certificate more kindly
        // than one that is merely about to expire. A framework control mapped only to
        // cert-expiry-30d would otherwise read "not assessed" for the worst case. The message
        // points to cert-expired, which owns the defect.
        if (e.endMs < e.observedMs) return outcome(status, 'already-expired', base, evidence);
        const daysLeft = utcCalendarDaysBetween(report.ms, e.endMs);
        // Valid at observation but gone by the report date: the report speaks for that date.
        if (daysLeft < 0) return outcome(status, 'expired-by-report-date', { ...base, daysAgo: -daysLeft }, evidence);
        const windowData = { ...base, daysLeft, window: days };
        return daysLeft <= days
          ? outcome(status, 'expiring', windowData, evidence)
          : outcome('pass', 'valid', windowData, evidence);
      });
    },
  };
}
