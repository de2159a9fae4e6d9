/**
 * Check `cert-expiry-90d`: a certificate expires within 90 days of the report date (advisory).
 */
import type { Check } from './types.js';
import { expiryWindowCheck } from './shared/expiry-window-check.js';

export const certExpiry90d: Check = expiryWindowCheck({
  id: 'cert-expiry-90d',
  days: 90,
  status: 'warn',
  title: 'Certificate expires within 90 days',
  severity: 'low',
  description:
    'A certificate expiring within the next quarter should be on the renewal schedule, so the report period does not end with an outage.',
});
