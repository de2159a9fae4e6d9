/**
 * Check `cert-expiring`: a certificate expires soon after it was observed. One finding per
 * certificate whose severity rises as the expiry window closes (90 → 60 → 30 days), not one
 * finding per window: the certificate is one fact, and counts and charts must count it once.
 *
 * Days count from the observation time, not the report date: the finding says what the evidence
 * shows, so re-rendering the same evidence later never changes it (the report adds "expired
 * since" as of its own date where that differs). The outcome is a warning, never a failure: the
 * certificate still works; only an expired or not-yet-valid one fails (cert-expired,
 * cert-not-yet-valid own those).
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, DATE_MESSAGES, expiryInstants, perCertificate } from './shared/certificate-check.js';
import { outcome } from './shared/outcome.js';
import { EXPIRY_WINDOWS, RENEWAL_REMEDIATION } from './shared/expiry.js';
import { utcCalendarDaysBetween } from '../time.js';

const WIDEST = EXPIRY_WINDOWS[EXPIRY_WINDOWS.length - 1]!.days;

export const certExpiring: Check = {
  meta: {
    id: 'cert-expiring',
    title: 'Certificate expires soon',
    passedTitle: 'Certificate not expiring soon',
    severity: 'high',
    category: 'certificate',
    description:
      'A certificate close to expiry will break TLS for validating clients unless it is renewed in time; the severity rises as the date nears ' +
      `(${EXPIRY_WINDOWS.map((w) => `${w.days} days or less: ${w.severity}`).join('; ')}).`,
    remediation: RENEWAL_REMEDIATION,
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      ...DATE_MESSAGES,
      expiring:
        'Certificate {{certificate}} expires on {{notAfter}}, {{daysLeft}} days after it was observed on {{observedAt}} (inside the {{window}}-day window)',
      valid:
        'Certificate {{certificate}} expires on {{notAfter}}, {{daysLeft}} days after it was observed on {{observedAt}} (outside the {{window}}-day window)',
      expired:
        'Certificate {{certificate}} had already expired on {{notAfter}} when observed on {{observedAt}}: no expiry window applies (cert-expired reports it)',
    },
  },
  evaluate(obs) {
    return perCertificate(obs, (cert, data) => {
      const e = expiryInstants(obs, cert, data);
      if ('outcome' in e) return e.outcome;
      const base = { ...data, notAfter: e.notAfter.value, observedAt: obs.observedAt };
      // Past the windows: the expiry itself is cert-expired's finding. Not a pass (a control
      // linked to this check must not pass on an expired certificate, and the history must not
      // call the warning "resolved" when the certificate ran out) and not a second open finding.
      if (e.endMs < e.observedMs) return outcome('not-tested', 'expired', base, e.evidence);
      const daysLeft = utcCalendarDaysBetween(e.observedMs, e.endMs);
      const window = EXPIRY_WINDOWS.find((w) => daysLeft <= w.days);
      return window === undefined
        ? outcome('pass', 'valid', { ...base, daysLeft, window: WIDEST }, e.evidence)
        : outcome('warn', 'expiring', { ...base, daysLeft, window: window.days }, e.evidence, window.severity);
    });
  },
};
