import { mtaStsMissing } from '../../src/checks/mta-sts-missing.js';
import { checkCases, observation } from './helpers.js';
import { dane, ENFORCE, sts } from './probe-facts.js';

// An MX authenticated by DANE-EE (RFC 7672): DNSSEC-validated usage-3 TLSA that matches the chain.
const ee = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const daneEe = dane({ tlsa: [ee], authenticated: true, matches: true, matched: '3 1 1', detail: 'chain matches 3 1 1' });


checkCases(mtaStsMissing, {
  pass: [{ name: 'valid enforce policy', obs: observation({ domainPolicies: [sts('example.test', ENFORCE)] }), messageId: 'valid',
    message: 'example.test publishes a valid MTA-STS policy (mode enforce, max_age 604800)' },
  { name: 'no policy, but DANE is validated for this MX', obs: observation({ dane: daneEe, domainPolicies: [sts('example.test', { record: 'missing', policy: 'not-fetched', policyDetail: 'no TXT record' })] }),
    messageId: 'dane-validated', severity: 'info',
    message: 'example.test publishes no usable MTA-STS policy (missing), but this MX is authenticated by DANE (DNSSEC-validated TLSA 3 1 1 matches it), which DANE-capable senders enforce without one (RFC 7672)' }],
  fail: [
    { name: 'no TXT record', obs: observation({ domainPolicies: [sts('example.test', { record: 'missing', policy: 'not-fetched', policyDetail: 'no TXT record starting with v=STSv1' })] }),
      messageId: 'no-record', message: 'example.test publishes no MTA-STS record (_mta-sts TXT missing): no TXT record starting with v=STSv1' },
    { name: 'DANE published but not authenticated: MTA-STS still missing', obs: observation({ dane: dane({ tlsa: [ee], authenticated: false, matches: true, matched: '3 1 1', detail: 'no AD' }), domainPolicies: [sts('example.test', { record: 'missing', policy: 'not-fetched', policyDetail: 'none' })] }),
      messageId: 'no-record' },
    { name: 'policy fetch failed', obs: observation({ domainPolicies: [sts('example.test', { record: 'valid', recordText: 'v=STSv1; id=1', id: '1', policy: 'fetch-failed', policyDetail: 'HTTP 404' })] }),
      messageId: 'policy-unavailable', data: { state: 'fetch-failed', detail: 'HTTP 404' } },
  ],
  notTested: [
    { name: 'no policy facts', obs: observation(), messageId: 'not-tested' },
    { name: 'domain without an MTA-STS lookup', obs: observation({ domainPolicies: [{ domain: 'example.test' }] }) },
  ],
  mixed: [{
    name: 'one MX serving two domains: one outcome per domain',
    obs: observation({ domainPolicies: [sts('a.test', ENFORCE), sts('b.test', { record: 'invalid', recordText: 'v=STSv1', policy: 'not-fetched', policyDetail: 'no id= field' })] }),
    outcomes: [{ status: 'pass', data: { domain: 'a.test' } }, { status: 'fail', data: { domain: 'b.test', state: 'invalid' } }],
  }],
});
