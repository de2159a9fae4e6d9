import { tlsRptReportsAbsent } from '../../src/checks/tls-rpt-reports-absent.js';
import type { DomainPolicyFacts } from '../../src/model/observation.js';
import { checkCases, observation } from './helpers.js';
import { rpt } from './probe-facts.js';
import { report, withReports } from './sender-facts.js';

const published: DomainPolicyFacts = rpt('example.test', { record: 'valid', recordText: 'v=TLSRPTv1; rua=mailto:r@example.test', rua: ['mailto:r@example.test'] });
const scanned = observation({ domainPolicies: [published] });

checkCases(tlsRptReportsAbsent, {
  pass: [
    { name: 'reports received for the domain', obs: withReports(scanned, [report('2026-09-14', 10, []), report('2026-09-15', 10, [], { org: 'Microsoft Corporation' })]),
      messageId: 'received', message: 'example.test: 2 TLS-RPT reports received from Google Inc., Microsoft Corporation' },
    { name: 'reports for the domain that name other MX hosts (the scan tied this one to it)',
      obs: withReports(scanned, [report('2026-09-14', 10, [], { mx: ['mx9.example.test'] })]) },
  ],
  warn: [
    { name: 'reports given, none for the domain', obs: withReports(scanned, [report('2026-09-14', 10, [], { domain: 'other.test', mx: ['mx.other.test'] })]),
      messageId: 'absent', message: 'example.test publishes TLS-RPT (rua mailto:r@example.test) but none of the 1 reports read (2026-09-14 to 2026-09-14) is for it' },
    { name: 'an empty mailbox', obs: withReports(scanned, []), data: { reports: 0, range: 'none in the period' } },
  ],
  notTested: [
    { name: 'no domain policies', obs: observation(), messageId: 'not-tested' },
    { name: 'no reports among the inputs', obs: scanned, messageId: 'no-reports-given' },
    { name: 'no valid record', obs: withReports(observation({ domainPolicies: [rpt('example.test', { record: 'missing', problem: 'no record' })] }), []), messageId: 'no-record' },
  ],
});
