import { cipher64bitBlock } from '../../src/checks/cipher-64bit-block.js';
import { checkCases, fct, observation } from './helpers.js';

const row = (id: string, finding: string) => `"${id}","mx.example.test/192.0.2.25","25","INFO","${finding}","",""`;
const tdesYes = fct(true, row('cipherlist_3DES_IDEA', 'offered'));
const tdesNo = fct(false, row('cipherlist_3DES_IDEA', 'not offered'));
const desYes = fct(true, row('cipherlist_LOW', 'offered'));
const desNo = fct(false, row('cipherlist_LOW', 'not offered'));

checkCases(cipher64bitBlock, {
  fail: [
    {
      name: '3DES offered, DES not',
      obs: observation({ cipherClasses: { '3des': tdesYes, des: desNo } }),
      messageId: 'offered',
      severity: 'medium',
      message: '3DES/IDEA cipher suites are offered',
      data: { offered: '3DES/IDEA', classes: '3DES/IDEA, DES' },
      evidence: [tdesYes.source.excerpt],
    },
    {
      name: 'both offered: data names both',
      obs: observation({ cipherClasses: { '3des': tdesYes, des: desYes } }),
      data: { offered: '3DES/IDEA, DES' },
      evidence: [tdesYes.source.excerpt, desYes.source.excerpt],
    },
    {
      name: 'DES offered, 3DES not reported: one sighting is enough',
      obs: observation({ cipherClasses: { des: desYes } }),
      data: { offered: 'DES' },
    },
  ],
  pass: [
    {
      name: 'neither offered',
      obs: observation({ cipherClasses: { '3des': tdesNo, des: desNo } }),
      messageId: 'not-offered',
      message: 'No 3DES/IDEA, DES cipher suites are offered',
      evidence: [tdesNo.source.excerpt, desNo.source.excerpt],
    },
  ],
  notTested: [
    { name: 'neither reported', obs: observation(), messageId: 'not-tested', message: '3DES/IDEA, DES cipher suites were not tested', evidence: [] },
    {
      name: '3DES not offered but DES not reported: no pass on half the evidence',
      obs: observation({ cipherClasses: { '3des': tdesNo } }),
      messageId: 'partly-tested',
      message: 'DES cipher suites were not tested (3DES/IDEA not offered)',
      evidence: [tdesNo.source.excerpt],
    },
  ],
});
