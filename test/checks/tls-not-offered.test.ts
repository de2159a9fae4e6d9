import { tlsNotOffered } from '../../src/checks/tls-not-offered.js';
import { checkCases, fct, observation } from './helpers.js';

const starttlsYes = fct(true, '"service","mx.example.test/192.0.2.25","25","INFO","SMTP, STARTTLS","",""');
const starttlsNo = fct(false, '"scanProblem","mx.example.test/192.0.2.25","25","FATAL","STARTTLS not offered","",""');
const tlsYes = fct(true, '"TLS1_2","mx.example.test/192.0.2.25","25","OK","offered","",""');
const tlsNo = fct(false, '"scanProblem","mx.example.test/192.0.2.25","25","FATAL","TLS handshake failed","",""');
const imaps = { service: 'imaps', port: 993, transport: 'implicit' } as const;

checkCases(tlsNotOffered, {
  pass: [
    {
      name: 'STARTTLS offered and handshake succeeded',
      obs: observation({ startTlsOffered: starttlsYes, tlsAvailable: tlsYes }),
      messageId: 'tls-available',
      message: 'TLS is available (STARTTLS)',
      evidence: [starttlsYes.source.excerpt, tlsYes.source.excerpt],
    },
    { name: 'STARTTLS offered, handshake not reported', obs: observation({ startTlsOffered: starttlsYes }), evidence: [starttlsYes.source.excerpt] },
    { name: 'implicit TLS available', obs: observation({ endpoint: imaps, tlsAvailable: tlsYes }), message: 'TLS is available (implicit TLS)', severity: 'high' },
  ],
  fail: [
    {
      name: 'SMTP without STARTTLS is critical',
      obs: observation({ startTlsOffered: starttlsNo, tlsAvailable: tlsNo }),
      messageId: 'starttls-not-offered',
      severity: 'critical',
      message: 'STARTTLS is not offered, so smtp traffic can only be sent in plaintext',
      evidence: [starttlsNo.source.excerpt],
    },
    {
      name: 'IMAP on 143 without STARTTLS is critical',
      obs: observation({ endpoint: { service: 'imap', port: 143 }, startTlsOffered: starttlsNo }),
      severity: 'critical',
      data: { service: 'imap' },
    },
    {
      name: 'STARTTLS offered but the handshake failed',
      obs: observation({ startTlsOffered: starttlsYes, tlsAvailable: tlsNo }),
      messageId: 'handshake-failed',
      evidence: [starttlsYes.source.excerpt, tlsNo.source.excerpt],
    },
    {
      name: 'STARTTLS transport, STARTTLS not reported, handshake failed',
      obs: observation({ tlsAvailable: tlsNo }),
      messageId: 'tls-unavailable',
      message: 'No TLS handshake succeeded on this smtp endpoint',
    },
    {
      name: 'implicit TLS port without TLS is high, not critical (no plaintext fallback)',
      obs: observation({ endpoint: imaps, tlsAvailable: tlsNo }),
      messageId: 'tls-unavailable',
      severity: 'high',
    },
    {
      name: 'endpoint listed as plaintext only',
      obs: observation({ endpoint: { port: 25, transport: 'none' } }),
      messageId: 'plaintext-only',
      message: 'The endpoint is listed as plaintext only (smtp without TLS)',
      severity: 'critical',
      evidence: [],
    },
  ],
  notTested: [
    { name: 'STARTTLS transport, nothing reported', obs: observation(), messageId: 'not-tested', evidence: [] },
    { name: 'implicit transport, nothing reported', obs: observation({ endpoint: imaps }), messageId: 'not-tested' },
    {
      name: 'implicit transport ignores a STARTTLS fact',
      obs: observation({ endpoint: imaps, startTlsOffered: starttlsYes }),
      messageId: 'not-tested',
    },
  ],
});
