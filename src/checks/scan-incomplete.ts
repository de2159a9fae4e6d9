/**
 * Check `scan-incomplete`: did the scanner finish? Every other check is only as complete as the
 * scan behind it, so an unfinished scan is reported as such instead of hiding in "not tested".
 */
import type { Check } from './types.js';
import { outcome } from './shared/outcome.js';

export const scanIncomplete: Check = {
  meta: {
    id: 'scan-incomplete',
    title: 'Scan did not complete',
    passedTitle: 'Scan completed',
    severity: 'medium',
    category: 'scan',
    description:
      'When a scan stops early, the checks that depend on it cannot be assessed, so the report cannot vouch for this endpoint.',
    remediation:
      'Look at the scanner problems listed as evidence (timeouts, connection refused, STARTTLS rejected), fix reachability or firewall rules for the scanning host, and rescan.',
    appliesTo: 'all',
    messages: {
      failed: 'The scan failed, so the checks for this endpoint were not assessed: {{problems}}',
      partial: 'The scan completed only in part, so some checks were not assessed: {{problems}}',
      completed: 'The scanner reported a complete scan',
    },
  },
  evaluate(obs) {
    const { state, problems } = obs.scan;
    if (state === 'completed') return [outcome('pass', 'completed', { state }, problems)];
    const data = {
      state,
      problems: problems.length > 0 ? problems.map((p) => p.value).join('; ') : 'the scanner gave no reason',
    };
    // A failed scan is an error rather than a fail: the endpoint was not shown to be bad, it was not assessed.
    return [state === 'failed' ? outcome('error', 'failed', data, problems) : outcome('warn', 'partial', data, problems)];
  },
};
