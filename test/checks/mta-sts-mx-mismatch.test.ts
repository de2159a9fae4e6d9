import { mtaStsMxMismatch } from '../../src/checks/mta-sts-mx-mismatch.js';
import { checkCases, observation } from './helpers.js';
import { ENFORCE, sts } from './probe-facts.js';

checkCases(mtaStsMxMismatch, {
  pass: [{ name: 'MX matches', obs: observation({ domainPolicies: [sts('example.test', ENFORCE)] }), messageId: 'match' }],
  fail: [
    { name: 'MX not listed, enforce: high', obs: observation({ domainPolicies: [sts('example.test', { ...ENFORCE, mx: ['other.example.test'], mxMatch: false })] }),
      messageId: 'mismatch', severity: 'high', message: 'MX mx.example.test matches none of the example.test MTA-STS mx patterns (other.example.test; mode enforce)' },
    { name: 'MX not listed, testing: medium', obs: observation({ domainPolicies: [sts('example.test', { ...ENFORCE, mode: 'testing', mx: ['other.example.test'], mxMatch: false })] }), severity: 'medium' },
  ],
  notTested: [
    { name: 'no facts', obs: observation(), messageId: 'not-tested' },
    { name: 'no valid policy', obs: observation({ domainPolicies: [sts('example.test', { record: 'valid', id: '1', policy: 'invalid', policyDetail: 'mode is "strict"' })] }), messageId: 'no-policy' },
  ],
});
