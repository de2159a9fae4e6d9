/**
 * Check `vuln-ticketbleed`: Ticketbleed (F5 session ticket memory leak).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnTicketbleed: Check = vulnerabilityCheck({
  id: 'vuln-ticketbleed',
  vulnerability: 'ticketbleed',
  name: 'Ticketbleed',
  reference: 'CVE-2016-9244',
  title: 'Ticketbleed (F5 session ticket memory leak)',
  passedTitle: 'Not vulnerable to Ticketbleed',
  severity: 'critical',
  description:
    'F5 BIG-IP devices with session tickets enabled leak up to 31 bytes of memory per connection in the session ID they echo back (CVE-2016-9244), which can include other users\' session keys.',
  remediation:
    'Install the F5 fix for CVE-2016-9244 on the load balancer, or disable Session Tickets in the BIG-IP client SSL profile until it is installed.',
});
