import { daneMismatch } from '../../src/checks/dane-mismatch.js';
import { checkCases, observation } from './helpers.js';
import { dane } from './probe-facts.js';

const rec = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };

checkCases(daneMismatch, {
  pass: [{ name: 'chain matches', obs: observation({ dane: dane({ tlsa: [rec], authenticated: true, matches: true, matched: '3 1 1', detail: 'match' }) }),
    messageId: 'match', message: 'TLSA record 3 1 1 matches the presented certificate chain' }],
  fail: [{ name: 'no record matches', obs: observation({ dane: dane({ tlsa: [rec], authenticated: true, matches: false, detail: 'mismatch' }) }),
    messageId: 'mismatch', severity: 'high', message: 'None of the 1 TLSA record(s) for mx.example.test matches the presented certificate chain' }],
  notTested: [
    { name: 'not probed', obs: observation(), messageId: 'not-tested' },
    { name: 'not authenticated: nothing to enforce', obs: observation({ dane: dane({ tlsa: [rec], authenticated: false, matches: false, detail: 'x' }) }), messageId: 'no-dane' },
  ],
});
