import { noForwardSecrecy } from '../../src/checks/no-forward-secrecy.js';
import { checkCases, fct, observation } from './helpers.js';

const fsYes = fct(true, '"FS","mx.example.test/192.0.2.25","25","OK","offered","",""');
const fsNo = fct(false, '"FS","mx.example.test/192.0.2.25","25","HIGH","No ciphers supporting Forward Secrecy offered","",""');

checkCases(noForwardSecrecy, {
  fail: [
    {
      name: 'no forward secrecy',
      obs: observation({ forwardSecrecy: fsNo }),
      messageId: 'missing',
      severity: 'medium',
      message: 'No cipher suite with forward secrecy is offered',
      evidence: [fsNo.source.excerpt],
    },
  ],
  pass: [{ name: 'forward secrecy offered', obs: observation({ forwardSecrecy: fsYes }), messageId: 'offered', evidence: [fsYes.source.excerpt] }],
  notTested: [{ name: 'not reported', obs: observation(), messageId: 'not-tested', message: 'Forward secrecy was not tested', evidence: [] }],
});
