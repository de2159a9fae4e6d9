import { authBeforeStarttls } from '../../src/checks/auth-before-starttls.js';
import { checkCases, observation } from './helpers.js';
import { pf } from './probe-facts.js';

const plain = pf(['PLAIN', 'LOGIN'], 'S: 250-AUTH PLAIN LOGIN');
const none = pf([] as string[], 'S: 250 STARTTLS');
const imapLogin = pf(['LOGIN'], 'S: * CAPABILITY IMAP4rev1 STARTTLS');

checkCases(authBeforeStarttls, {
  fail: [
    { name: 'SMTP advertises AUTH before STARTTLS', obs: observation({ mail: { authBeforeTls: plain } }), messageId: 'offered',
      message: 'Before STARTTLS the server offers PLAIN, LOGIN, so credentials can be sent in plaintext', evidence: [plain.source.excerpt] },
    { name: 'IMAP without LOGINDISABLED', obs: observation({ endpoint: { service: 'imap', port: 143 }, mail: { authBeforeTls: imapLogin } }), data: { mechanisms: 'LOGIN' } },
  ],
  pass: [{ name: 'nothing before STARTTLS', obs: observation({ mail: { authBeforeTls: none } }), messageId: 'not-offered' }],
  notTested: [{ name: 'no dialogue facts (testssl input)', obs: observation(), messageId: 'not-tested' }],
  none: [{ name: 'implicit TLS port', obs: observation({ endpoint: { service: 'submissions', port: 465, transport: 'implicit' }, mail: { authBeforeTls: plain } }) }],
});
