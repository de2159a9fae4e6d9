import { daneMismatch } from '../../src/checks/dane-mismatch.js';
import { cert, checkCases, observation } from './helpers.js';
import { dane } from './probe-facts.js';

const rec = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };

checkCases(daneMismatch, {
  pass: [{ name: 'chain matches', obs: observation({ dane: dane({ tlsa: [rec], authenticated: true, matches: true, matched: '3 1 1', detail: 'match' }) }),
    messageId: 'match', message: 'TLSA record 3 1 1 matches the presented certificate chain' }],
  fail: [{ name: 'no record matches', obs: observation({ dane: dane({ tlsa: [rec], authenticated: true, matches: false, detail: 'mismatch' }) }),
    messageId: 'mismatch', severity: 'high', message: 'None of the 1 TLSA record(s) for mx.example.test matches the presented certificate chain' },
  { name: 'two certificates (RSA and ECDSA), not both matched', obs: observation({
    dane: dane({ tlsa: [rec], authenticated: true, matches: false, detail: 'not every presented chain matches; certificate 1 (EC) matches 3 1 1, certificate 2 (RSA) matches no record' }),
    certificates: [cert({ index: 1, keyAlgorithm: 'EC' }), cert({ index: 2, keyAlgorithm: 'RSA' })],
  }), messageId: 'mismatch-some', severity: 'high',
  message: 'Not every certificate chain mx.example.test presents (2) matches one of its 1 TLSA record(s): senders offered an unmatched one defer mail' }],
  notTested: [
    { name: 'not probed', obs: observation(), messageId: 'not-tested' },
    { name: 'not authenticated: nothing to enforce', obs: observation({ dane: dane({ tlsa: [rec], authenticated: false, matches: false, detail: 'x' }) }), messageId: 'no-dane' },
  ],
});
