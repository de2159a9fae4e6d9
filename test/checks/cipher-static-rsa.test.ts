import { cipherStaticRsa } from '../../src/checks/cipher-static-rsa.js';
import { checkCases, observation } from './helpers.js';
import { pf } from './probe-facts.js';

checkCases(cipherStaticRsa, {
  fail: [{ name: 'kRSA accepted', obs: observation({ staticRsa: pf(true, 'ClientHello TLSv1.2 offering 24 static-RSA suites → ServerHello TLSv1.2 TLS_RSA_WITH_AES_256_GCM_SHA384') }), messageId: 'accepted' }],
  pass: [{ name: 'kRSA refused', obs: observation({ staticRsa: pf(false, '→ fatal alert handshake_failure') }), messageId: 'refused' }],
  notTested: [{ name: 'not probed', obs: observation() }],
});
