import { mtaStsNotEnforced } from '../../src/checks/mta-sts-not-enforced.js';
import { checkCases, observation } from './helpers.js';
import { ENFORCE, sts } from './probe-facts.js';

checkCases(mtaStsNotEnforced, {
  pass: [{ name: 'enforce', obs: observation({ domainPolicies: [sts('example.test', ENFORCE)] }), messageId: 'enforce' }],
  warn: [{ name: 'testing', obs: observation({ domainPolicies: [sts('example.test', { ...ENFORCE, mode: 'testing' })] }), messageId: 'testing', severity: 'low' }],
  fail: [{ name: 'none', obs: observation({ domainPolicies: [sts('example.test', { ...ENFORCE, mode: 'none', mx: [] })] }), messageId: 'none' }],
  notTested: [
    { name: 'no facts', obs: observation(), messageId: 'not-tested' },
    { name: 'no valid policy', obs: observation({ domainPolicies: [sts('example.test', { record: 'missing', policy: 'not-fetched' })] }), messageId: 'no-policy' },
  ],
});
