import { cipherAnon } from '../../src/checks/cipher-anon.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"cipherlist_aNULL","mx.example.test/192.0.2.25","25","HIGH","offered","",""');
const notOffered = fct(false, '"cipherlist_aNULL","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const rc4 = fct(true, '"cipherlist_RC4","mx.example.test/192.0.2.25","25","HIGH","offered","",""');

checkCases(cipherAnon, {
  fail: [
    {
      name: 'anonymous (aNULL) suites offered',
      obs: observation({ cipherClasses: { 'anon': offered } }),
      messageId: 'offered',
      severity: 'high',
      message: 'anonymous (aNULL) cipher suites are offered',
      data: { offered: 'anonymous (aNULL)' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'anonymous (aNULL) suites not offered',
      obs: observation({ cipherClasses: { 'anon': notOffered, rc4 } }),
      messageId: 'not-offered',
      message: 'No anonymous (aNULL) cipher suites are offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'another class tested, anonymous (aNULL) not reported',
      obs: observation({ cipherClasses: { rc4 } }),
      messageId: 'not-tested',
      message: 'anonymous (aNULL) cipher suites were not tested',
      evidence: [],
    },
  ],
});
