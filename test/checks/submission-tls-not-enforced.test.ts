import { submissionTlsNotEnforced } from '../../src/checks/submission-tls-not-enforced.js';
import { checkCases, observation } from './helpers.js';
import { pf } from './probe-facts.js';

const sub = { service: 'submission', port: 587 } as const;
const accepted = pf(true, 'C: MAIL FROM:<tlsproof-probe@scanner.test>\nS: 250 2.1.0 Ok');
const refused = pf(false, 'C: MAIL FROM:<tlsproof-probe@scanner.test>\nS: 530 5.7.0 Must issue a STARTTLS command first');

checkCases(submissionTlsNotEnforced, {
  fail: [{ name: 'MAIL accepted in plaintext', obs: observation({ endpoint: sub, mail: { mailAcceptedBeforeTls: accepted } }), messageId: 'accepted', evidence: [accepted.source.excerpt] }],
  pass: [{ name: '530 before STARTTLS', obs: observation({ endpoint: sub, mail: { mailAcceptedBeforeTls: refused } }), messageId: 'refused' }],
  notTested: [{ name: 'not probed', obs: observation({ endpoint: sub }) }],
  none: [{ name: 'port 25 is not submission', obs: observation({ mail: { mailAcceptedBeforeTls: accepted } }) }],
});
