import { cipherNull } from '../../src/checks/cipher-null.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"cipherlist_NULL","mx.example.test/192.0.2.25","25","CRITICAL","offered","",""');
const notOffered = fct(false, '"cipherlist_NULL","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const rc4 = fct(true, '"cipherlist_RC4","mx.example.test/192.0.2.25","25","HIGH","offered","",""');

checkCases(cipherNull, {
  fail: [
    {
      name: 'NULL suites offered',
      obs: observation({ cipherClasses: { 'null': offered } }),
      messageId: 'offered',
      severity: 'critical',
      message: 'NULL cipher suites are offered',
      data: { offered: 'NULL' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'NULL suites not offered',
      obs: observation({ cipherClasses: { 'null': notOffered, rc4 } }),
      messageId: 'not-offered',
      message: 'No NULL cipher suites are offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'another class tested, NULL not reported',
      obs: observation({ cipherClasses: { rc4 } }),
      messageId: 'not-tested',
      message: 'NULL cipher suites were not tested',
      evidence: [],
    },
  ],
});
