import { tlsRptSenderFailures } from '../../src/checks/tls-rpt-sender-failures.js';
import { checkCases, observation } from './helpers.js';
import { failure, report, withReports } from './sender-facts.js';

const obs = observation();

checkCases(tlsRptSenderFailures, {
  pass: [
    { name: 'only MTA-STS policy fetch failures', obs: withReports(obs, [report('2026-09-14', 100, [failure('sts-policy-fetch-error', 3)])]),
      messageId: 'none', message: 'example.test: senders reported no STARTTLS or certificate failure at this MX (103 sessions to the domain)' },
    { name: 'certificate failures at another MX', obs: withReports(obs, [report('2026-09-14', 100, [failure('certificate-expired', 3, 'mx2.example.test')], { mx: ['mx.example.test', 'mx2.example.test'] })]) },
  ],
  fail: [
    { name: 'STARTTLS not offered to a sender', obs: withReports(obs, [report('2026-09-14', 100, [failure('starttls-not-supported', 6), failure('certificate-expired', 31)])]),
      messageId: 'failures', severity: 'high', message: 'example.test: senders reported 37 sessions to this MX that failed for certificate-expired (31), starttls-not-supported (6)' },
    { name: 'a certificate for another name', obs: withReports(obs, [report('2026-09-14', 100, [failure('certificate-host-mismatch', 12)])]), severity: 'medium' },
  ],
  warn: [
    { name: 'validation failures only (may be the sender\'s trust store)', obs: withReports(obs, [report('2026-09-14', 100, [failure('validation-failure', 3), failure('certificate-not-trusted', 2)])]),
      data: { sessions: 5 } },
  ],
  notTested: [
    { name: 'no reports among the inputs', obs, messageId: 'not-tested' },
    { name: 'reports, none for this MX', obs: withReports(obs, [report('2026-09-14', 10, [], { domain: 'other.test', mx: ['mx.other.test'] })]), messageId: 'no-domain' },
  ],
});
