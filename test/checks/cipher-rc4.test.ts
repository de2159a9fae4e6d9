import { cipherRc4 } from '../../src/checks/cipher-rc4.js';
import { checkCases, fct, observation, vuln } from './helpers.js';

const classYes = fct(true, '"cipherlist_RC4","mx.example.test/192.0.2.25","25","HIGH","offered","",""');
const classNo = fct(false, '"cipherlist_RC4","mx.example.test/192.0.2.25","25","OK","not offered","",""');
const vulnYes = vuln('vulnerable', 'VULNERABLE (NOT ok): TLS_RSA_WITH_RC4_128_SHA', 'CVE-2013-2566 CVE-2015-2808');
const vulnNo = vuln('not-vulnerable', 'no RC4 ciphers detected');
const vulnMaybe = vuln('potentially-vulnerable', 'RC4 offered only with TLS 1.0, could not confirm');
const vulnUnknown = vuln('unknown', 'test skipped');

checkCases(cipherRc4, {
  fail: [
    {
      name: 'RC4 class offered',
      obs: observation({ cipherClasses: { rc4: classYes } }),
      messageId: 'offered',
      severity: 'high',
      message: 'RC4 cipher suites are offered',
      evidence: [classYes.source.excerpt],
    },
    {
      name: 'class missing, scanner reports RC4 vulnerable',
      obs: observation({ vulnerabilities: { rc4: vulnYes } }),
      messageId: 'vulnerable',
      message: 'Vulnerable to RC4 (CVE-2013-2566 CVE-2015-2808): VULNERABLE (NOT ok): TLS_RSA_WITH_RC4_128_SHA',
      evidence: [vulnYes.source.excerpt],
    },
    {
      name: 'sources disagree: the sighting wins and both records are cited',
      obs: observation({ cipherClasses: { rc4: classNo }, vulnerabilities: { rc4: vulnYes } }),
      messageId: 'vulnerable',
      evidence: [vulnYes.source.excerpt, classNo.source.excerpt],
    },
    {
      name: 'both say offered: the class verdict leads',
      obs: observation({ cipherClasses: { rc4: classYes }, vulnerabilities: { rc4: vulnYes } }),
      messageId: 'offered',
      evidence: [classYes.source.excerpt, vulnYes.source.excerpt],
    },
  ],
  warn: [
    {
      name: 'class missing, scanner unsure',
      obs: observation({ vulnerabilities: { rc4: vulnMaybe } }),
      messageId: 'potentially-vulnerable',
      data: { reference: 'RFC 7465' },
    },
  ],
  pass: [
    { name: 'RC4 class not offered', obs: observation({ cipherClasses: { rc4: classNo } }), messageId: 'not-offered', message: 'No RC4 cipher suites are offered' },
    {
      name: 'class missing, scanner reports not vulnerable',
      obs: observation({ vulnerabilities: { rc4: vulnNo } }),
      messageId: 'not-vulnerable',
      message: 'Not vulnerable to RC4: no RC4 ciphers detected',
    },
  ],
  notTested: [
    { name: 'nothing reported', obs: observation(), messageId: 'not-tested', message: 'RC4 cipher suites were not tested', evidence: [] },
    { name: 'scanner verdict unknown and no class: still not tested', obs: observation({ vulnerabilities: { rc4: vulnUnknown } }), messageId: 'not-tested' },
  ],
});
