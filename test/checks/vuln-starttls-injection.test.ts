import { vulnStarttlsInjection } from '../../src/checks/vuln-starttls-injection.js';
import { observation, vuln, vulnerabilityCases } from './helpers.js';

const injectable = vuln('vulnerable', 'VULNERABLE (NOT ok)');

vulnerabilityCases(vulnStarttlsInjection, {
  vulnerability: 'starttls-injection',
  name: 'STARTTLS command injection',
  reference: 'CVE-2011-0411 et al.',
  severity: 'medium',
  extra: {
    pass: [
      {
        name: 'IMAP on 143 (STARTTLS) is judged too',
        obs: observation({ endpoint: { service: 'imap', port: 143 }, vulnerabilities: { 'starttls-injection': vuln('not-vulnerable', 'not vulnerable (OK)') } }),
      },
    ],
    none: [
      {
        name: 'implicit TLS (IMAPS) has no plaintext phase: no outcome even with a fact',
        obs: observation({ endpoint: { service: 'imaps', port: 993, transport: 'implicit' }, vulnerabilities: { 'starttls-injection': injectable } }),
      },
      { name: 'plaintext-only endpoint', obs: observation({ endpoint: { transport: 'none' } }) },
    ],
  },
});
