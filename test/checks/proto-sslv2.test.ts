import { protoSslv2 } from '../../src/checks/proto-sslv2.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"SSLv2","mx.example.test/192.0.2.25","25","HIGH","offered","",""');
const notOffered = fct(false, '"SSLv2","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const tls12 = fct(true, '"TLS1_2","mx.example.test/192.0.2.25","25","OK","offered","",""');

checkCases(protoSslv2, {
  fail: [
    {
      name: 'SSL 2.0 offered',
      obs: observation({ protocols: { 'SSLv2': offered, 'TLSv1.2': tls12 } }),
      messageId: 'offered',
      severity: 'critical',
      message: 'SSL 2.0 is offered',
      data: { protocol: 'SSL 2.0' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'SSL 2.0 not offered',
      obs: observation({ protocols: { 'SSLv2': notOffered, 'TLSv1.2': tls12 } }),
      messageId: 'not-offered',
      message: 'SSL 2.0 is not offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'other versions tested, SSL 2.0 not reported',
      obs: observation({ protocols: { 'TLSv1.2': tls12 } }),
      messageId: 'not-tested',
      message: 'SSL 2.0 support was not tested',
      evidence: [],
    },
    { name: 'nothing reported', obs: observation(), messageId: 'not-tested' },
  ],
});
