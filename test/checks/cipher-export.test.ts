import { cipherExport } from '../../src/checks/cipher-export.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"cipherlist_EXPORT","mx.example.test/192.0.2.25","25","CRITICAL","offered","",""');
const notOffered = fct(false, '"cipherlist_EXPORT","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const rc4 = fct(true, '"cipherlist_RC4","mx.example.test/192.0.2.25","25","HIGH","offered","",""');

checkCases(cipherExport, {
  fail: [
    {
      name: 'EXPORT suites offered',
      obs: observation({ cipherClasses: { 'export': offered } }),
      messageId: 'offered',
      severity: 'critical',
      message: 'EXPORT cipher suites are offered',
      data: { offered: 'EXPORT' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'EXPORT suites not offered',
      obs: observation({ cipherClasses: { 'export': notOffered, rc4 } }),
      messageId: 'not-offered',
      message: 'No EXPORT cipher suites are offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'another class tested, EXPORT not reported',
      obs: observation({ cipherClasses: { rc4 } }),
      messageId: 'not-tested',
      message: 'EXPORT cipher suites were not tested',
      evidence: [],
    },
  ],
});
