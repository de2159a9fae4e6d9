/**
 * Check `cert-expiry-30d`: a certificate expires within 30 days of the report date.
 */
import type { Check } from './types.js';
import { expiryWindowCheck } from './shared/expiry-window-check.js';

export const certExpiry30d: Check = expiryWindowCheck({
  id: 'cert-expiry-30d',
  days: 30,
  status: 'fail',
  title: 'Certificate expires within 30 days',
  severity: 'high',
  description:
    'A certificate this close to expiry will break TLS for validating clients within a month unless it is renewed; automated renewal normally replaces certificates 30 days ahead.',
});
