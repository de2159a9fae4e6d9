import { daneMissing } from '../../src/checks/dane-missing.js';
import { checkCases, observation } from './helpers.js';
import { dane } from './probe-facts.js';

const rec = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };

checkCases(daneMissing, {
  pass: [{ name: 'authenticated 3 1 1', obs: observation({ dane: dane({ tlsa: [rec], authenticated: true, matches: true, matched: '3 1 1', detail: '1 TLSA record' }) }), messageId: 'present' }],
  warn: [
    { name: 'no TLSA', obs: observation({ dane: dane({ tlsa: [], authenticated: false, detail: 'no TLSA records (NXDOMAIN)' }) }), messageId: 'no-tlsa' },
    { name: 'not authenticated', obs: observation({ dane: dane({ tlsa: [rec], authenticated: false, detail: 'not authenticated' }) }), messageId: 'unauthenticated' },
    { name: 'PKIX usages only', obs: observation({ dane: dane({ tlsa: [{ ...rec, usage: 1 }], authenticated: true, detail: 'usage 1' }) }), messageId: 'unusable' },
  ],
  notTested: [{ name: 'not probed', obs: observation() }],
  none: [{ name: 'not SMTP', obs: observation({ endpoint: { service: 'imaps', port: 993, transport: 'implicit' }, dane: dane({ tlsa: [], authenticated: false, detail: 'x' }) }) }],
});
