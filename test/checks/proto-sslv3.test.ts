import { protoSslv3 } from '../../src/checks/proto-sslv3.js';
import { checkCases, fct, observation } from './helpers.js';

const offered = fct(true, '"SSLv3","mx.example.test/192.0.2.25","25","HIGH","offered","",""');
const notOffered = fct(false, '"SSLv3","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const tls12 = fct(true, '"TLS1_2","mx.example.test/192.0.2.25","25","OK","offered","",""');

checkCases(protoSslv3, {
  fail: [
    {
      name: 'SSL 3.0 offered',
      obs: observation({ protocols: { 'SSLv3': offered, 'TLSv1.2': tls12 } }),
      messageId: 'offered',
      severity: 'high',
      message: 'SSL 3.0 is offered',
      data: { protocol: 'SSL 3.0' },
      evidence: [offered.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'SSL 3.0 not offered',
      obs: observation({ protocols: { 'SSLv3': notOffered, 'TLSv1.2': tls12 } }),
      messageId: 'not-offered',
      message: 'SSL 3.0 is not offered',
      evidence: [notOffered.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'other versions tested, SSL 3.0 not reported',
      obs: observation({ protocols: { 'TLSv1.2': tls12 } }),
      messageId: 'not-tested',
      message: 'SSL 3.0 support was not tested',
      evidence: [],
    },
    { name: 'nothing reported', obs: observation(), messageId: 'not-tested' },
  ],
});
