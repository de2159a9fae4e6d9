import { tlsRptFailureRate } from '../../src/checks/tls-rpt-failure-rate.js';
import { CTX, checkCases, observation } from './helpers.js';
import { failure, report, withReports } from './sender-facts.js';

const obs = observation();

checkCases(tlsRptFailureRate, {
  pass: [
    { name: 'failures under 5% every day', obs: withReports(obs, [report('2026-09-14', 980, [failure('validation-failure', 20)]), report('2026-09-15', 1000, [])]),
      messageId: 'below', message: 'example.test: on each of 2 days at most 5% of sessions failed at this MX (20 of 2000 sessions over the period)' },
    { name: 'failures at another MX of the domain do not count here',
      obs: withReports(obs, [report('2026-09-14', 800, [failure('certificate-expired', 200, 'mx2.example.test')], { mx: ['mx.example.test', 'mx2.example.test'] })]),
      data: { failedHere: 0, sessions: 1000 } },
  ],
  warn: [
    { name: 'one day above the default threshold',
      obs: withReports(obs, [report('2026-09-14', 990, [failure('starttls-not-supported', 10)]), report('2026-09-15', 900, [failure('certificate-expired', 100)])]),
      messageId: 'above', message: 'example.test: on 1 of 2 days more than 5% of sessions failed at this MX (worst 2026-09-15: 100 of 1000 sessions, 10%)' },
    { name: 'a lower configured threshold', ctx: { ...CTX, senderFailureRateThreshold: 0.5 },
      obs: withReports(obs, [report('2026-09-14', 990, [failure('starttls-not-supported', 10)])]), data: { threshold: 0.5, days: 1, worstRate: 1 } },
    { name: 'a single-MX domain whose sender gave totals without details', obs: withReports(obs, [report('2026-09-14', 90, [], { failed: 10 })]),
      data: { worstFailed: 10, worstSessions: 100 } },
  ],
  notTested: [
    { name: 'no reports among the inputs', obs, messageId: 'not-tested' },
    { name: 'reports, none for this MX', obs: withReports(obs, [report('2026-09-14', 10, [], { domain: 'other.test', mx: ['mx.other.test'] })]),
      messageId: 'no-domain', message: 'None of the 1 TLS-RPT reports read concerns this MX' },
    { name: 'reports that count no session', obs: withReports(obs, [report('2026-09-14', 0, [])]), messageId: 'no-sessions' },
  ],
});
