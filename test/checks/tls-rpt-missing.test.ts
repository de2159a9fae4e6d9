import { tlsRptMissing } from '../../src/checks/tls-rpt-missing.js';
import { checkCases, observation } from './helpers.js';
import { rpt } from './probe-facts.js';

checkCases(tlsRptMissing, {
  pass: [{ name: 'valid record', obs: observation({ domainPolicies: [rpt('example.test', { record: 'valid', recordText: 'v=TLSRPTv1; rua=mailto:r@example.test', rua: ['mailto:r@example.test'] })] }),
    messageId: 'valid', message: 'example.test publishes TLS-RPT, reports go to mailto:r@example.test' }],
  warn: [
    { name: 'no record', obs: observation({ domainPolicies: [rpt('example.test', { record: 'missing', problem: 'no TXT record starting with v=TLSRPTv1' })] }), messageId: 'missing' },
    { name: 'bad rua', obs: observation({ domainPolicies: [rpt('example.test', { record: 'invalid', recordText: 'v=TLSRPTv1; rua=ftp://x', problem: 'rua URIs must be mailto: or https: (ftp://x)' })] }), data: { state: 'invalid' } },
  ],
  notTested: [
    { name: 'no facts', obs: observation(), messageId: 'not-tested' },
    { name: 'lookup failed', obs: observation({ domainPolicies: [{ domain: 'example.test' }] }) },
  ],
});
