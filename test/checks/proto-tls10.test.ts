import { protoTls10 } from '../../src/checks/proto-tls10.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"TLS1","mx.example.test/192.0.2.25","25","HIGH","offered","",""');
const notOffered = fct(false, '"TLS1","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const tls12 = fct(true, '"TLS1_2","mx.example.test/192.0.2.25","25","OK","offered","",""');

checkCases(protoTls10, {
  fail: [
    {
      name: 'TLS 1.0 offered',
      obs: observation({ protocols: { 'TLSv1.0': offered, 'TLSv1.2': tls12 } }),
      messageId: 'offered',
      severity: 'medium',
      message: 'TLS 1.0 is offered',
      data: { protocol: 'TLS 1.0' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'TLS 1.0 not offered',
      obs: observation({ protocols: { 'TLSv1.0': notOffered, 'TLSv1.2': tls12 } }),
      messageId: 'not-offered',
      message: 'TLS 1.0 is not offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'other versions tested, TLS 1.0 not reported',
      obs: observation({ protocols: { 'TLSv1.2': tls12 } }),
      messageId: 'not-tested',
      message: 'TLS 1.0 support was not tested',
      evidence: [],
    },
    { name: 'nothing reported', obs: observation(), messageId: 'not-tested' },
  ],
});
