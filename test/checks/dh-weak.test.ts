import { dhWeak } from '../../src/checks/dh-weak.js';
import { checkCases, observation } from './helpers.js';
import { pf } from './probe-facts.js';

checkCases(dhWeak, {
  fail: [{ name: '1024-bit group', obs: observation({ dhBits: pf(1024, 'ClientHello TLSv1.2 offering 20 DHE suites → ServerHello (DH 1024 bits)') }), messageId: 'weak',
    message: 'DHE uses a 1024-bit group; at least 2048 bits are needed' }],
  pass: [
    { name: '2048-bit group', obs: observation({ dhBits: pf(2048, 'DH 2048 bits') }), messageId: 'strong' },
    { name: 'DHE refused', obs: observation({ dheOffered: pf(false, 'ClientHello TLSv1.2 offering 20 DHE suites → fatal alert handshake_failure') }), messageId: 'no-dhe' },
  ],
  notTested: [{ name: 'not probed', obs: observation(), messageId: 'not-tested' }],
});
