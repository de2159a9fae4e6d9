import { protoTls13Missing } from '../../src/checks/proto-tls13-missing.js';
import { checkCases, fct, observation } from './helpers.js';

const row = (id: string, finding: string) => `"${id}","mx.example.test/192.0.2.25","25","INFO","${finding}","",""`;
const tls13Yes = fct(true, row('TLS1_3', 'offered with final'));
const tls13No = fct(false, row('TLS1_3', 'not offered'));
const tls12Yes = fct(true, row('TLS1_2', 'offered'));

checkCases(protoTls13Missing, {
  warn: [
    {
      name: 'TLS 1.3 not offered is advisory: warn, low',
      obs: observation({ protocols: { 'TLSv1.2': tls12Yes, 'TLSv1.3': tls13No } }),
      messageId: 'missing',
      severity: 'low',
      message: 'TLS 1.3 is not offered (offered: TLS 1.2)',
      evidence: [tls13No.source.excerpt, tls12Yes.source.excerpt],
    },
  ],
  pass: [
    { name: 'TLS 1.3 offered', obs: observation({ protocols: { 'TLSv1.3': tls13Yes } }), messageId: 'offered', message: 'TLS 1.3 is offered' },
  ],
  notTested: [
    { name: 'TLS 1.3 not reported', obs: observation({ protocols: { 'TLSv1.2': tls12Yes } }), messageId: 'not-tested', evidence: [] },
  ],
});
