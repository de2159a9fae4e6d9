import { renegClientInitiated } from '../../src/checks/reneg-client-initiated.js';
import { parseVulnerability } from '../../src/ingest/testssl-csv.js';
import { fct, observation, vulnerabilityCases } from './helpers.js';
import type { VulnFact } from '../../src/model/observation.js';

/** testssl.sh 3.0.8's own `secure_client_renego` findings (the lab's legacy Node server and a modern one). */
function testsslRow(severity: 'OK' | 'MEDIUM', finding: string) {
  return fct<VulnFact>({ state: parseVulnerability(finding, severity), detail: finding },
    `"secure_client_renego","mx.example.test/192.0.2.25","25","${severity}","${finding}","CVE-2011-1473","CWE-310"`);
}

vulnerabilityCases(renegClientInitiated, {
  vulnerability: 'client-renegotiation', name: 'client-initiated renegotiation', reference: 'CVE-2011-1473', severity: 'low',
  extra: {
    fail: [{ name: 'testssl: renegotiation honoured', obs: observation({ vulnerabilities: { 'client-renegotiation': testsslRow('MEDIUM', 'VULNERABLE, potential DoS threat') } }) }],
    pass: [{ name: 'testssl: refused', obs: observation({ vulnerabilities: { 'client-renegotiation': testsslRow('OK', 'not vulnerable') } }) }],
  },
});
