import { renegInsecure } from '../../src/checks/reneg-insecure.js';
import { parseVulnerability } from '../../src/ingest/testssl-csv.js';
import { fct, observation, vulnerabilityCases } from './helpers.js';
import type { VulnFact } from '../../src/model/observation.js';

/** testssl.sh 3.0.8's own `secure_renego` findings, read the way its reader reads them. */
function testsslRow(severity: 'OK' | 'HIGH', finding: string) {
  return fct<VulnFact>({ state: parseVulnerability(finding, severity), detail: finding },
    `"secure_renego","mx.example.test/192.0.2.25","25","${severity}","${finding}","","CWE-310"`);
}

vulnerabilityCases(renegInsecure, {
  vulnerability: 'secure-renegotiation', name: 'insecure renegotiation', reference: 'CVE-2009-3555, RFC 5746', severity: 'high',
  extra: {
    fail: [{ name: 'testssl: RFC 5746 not supported', obs: observation({ vulnerabilities: { 'secure-renegotiation': testsslRow('HIGH', 'Not supported / VULNERABLE (NOT ok)') } }) }],
    pass: [{ name: 'testssl: RFC 5746 supported', obs: observation({ vulnerabilities: { 'secure-renegotiation': testsslRow('OK', 'supported') } }) }],
  },
});
