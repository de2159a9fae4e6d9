/**
 * Check `cert-expiry-60d`: a certificate expires within 60 days of the report date (advisory).
 */
import type { Check } from './types.js';
import { expiryWindowCheck } from './shared/expiry-window-check.js';

export const certExpiry60d: Check = expiryWindowCheck({
  id: 'cert-expiry-60d',
  days: 60,
  status: 'warn',
  title: 'Certificate expires within 60 days',
  severity: 'medium',
  description:
    'A certificate expiring within two months needs a planned renewal; manual renewals that start later often miss the date.',
});
