import { protoTls11 } from '../../src/checks/proto-tls11.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"TLS1_1","mx.example.test/192.0.2.25","25","HIGH","offered","",""');
const notOffered = fct(false, '"TLS1_1","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const tls12 = fct(true, '"TLS1_2","mx.example.test/192.0.2.25","25","OK","offered","",""');

checkCases(protoTls11, {
  fail: [
    {
      name: 'TLS 1.1 offered',
      obs: observation({ protocols: { 'TLSv1.1': offered, 'TLSv1.2': tls12 } }),
      messageId: 'offered',
      severity: 'medium',
      message: 'TLS 1.1 is offered',
      data: { protocol: 'TLS 1.1' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'TLS 1.1 not offered',
      obs: observation({ protocols: { 'TLSv1.1': notOffered, 'TLSv1.2': tls12 } }),
      messageId: 'not-offered',
      message: 'TLS 1.1 is not offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'other versions tested, TLS 1.1 not reported',
      obs: observation({ protocols: { 'TLSv1.2': tls12 } }),
      messageId: 'not-tested',
      message: 'TLS 1.1 support was not tested',
      evidence: [],
    },
    { name: 'nothing reported', obs: observation(), messageId: 'not-tested' },
  ],
});
