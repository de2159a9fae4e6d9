import { protoTls12Missing } from '../../src/checks/proto-tls12-missing.js';
import { checkCases, fct, observation } from './helpers.js';

const row = (id: string, finding: string) => `"${id}","mx.example.test/192.0.2.25","25","INFO","${finding}","",""`;
const tls12Yes = fct(true, row('TLS1_2', 'offered'));
const tls12No = fct(false, row('TLS1_2', 'not offered'));
const tls13Yes = fct(true, row('TLS1_3', 'offered with final'));
const tls10Yes = fct(true, row('TLS1', 'offered'));
const tls11No = fct(false, row('TLS1_1', 'not offered'));

const tls13No = fct(false, row('TLS1_3', 'not offered'));

checkCases(protoTls12Missing, {
  fail: [
    {
      name: 'only TLS 1.0 offered',
      obs: observation({ protocols: { 'TLSv1.0': tls10Yes, 'TLSv1.1': tls11No, 'TLSv1.2': tls12No, 'TLSv1.3': tls13No } }),
      messageId: 'missing',
      severity: 'high',
      message: 'TLS 1.2 is not offered, nor TLS 1.3 (offered: TLS 1.0)',
      // The missing version first, then what is offered instead; the TLS 1.1 "no" is not cited.
      evidence: [tls12No.source.excerpt, tls10Yes.source.excerpt],
    },
    {
      name: 'TLS 1.3 not tested: the failure says so',
      obs: observation({ protocols: { 'TLSv1.0': tls10Yes, 'TLSv1.2': tls12No } }),
      messageId: 'missing-tls13-unknown',
      message: 'TLS 1.2 is not offered and TLS 1.3 support was not tested (offered: TLS 1.0)',
    },
    {
      name: 'nothing offered at all',
      obs: observation({ protocols: { 'TLSv1.2': tls12No, 'TLSv1.3': tls13No } }),
      data: { offered: 'none' },
      evidence: [tls12No.source.excerpt],
    },
  ],
  pass: [
    {
      name: 'TLS 1.2 offered',
      obs: observation({ protocols: { 'TLSv1.2': tls12Yes } }),
      messageId: 'offered',
      message: 'TLS 1.2 is offered',
      evidence: [tls12Yes.source.excerpt],
    },
    {
      // RFC 8446 / RFC 9325 allow a TLS 1.3-only server: an informational note, never a failure.
      name: 'TLS 1.3 only passes, with a note for profiles that also ask for TLS 1.2',
      obs: observation({ protocols: { 'TLSv1.2': tls12No, 'TLSv1.3': tls13Yes, 'TLSv1.0': tls10Yes } }),
      messageId: 'tls13-only',
      severity: 'info',
      message: 'TLS 1.2 is not offered, but TLS 1.3 is: a TLS 1.3-only server is allowed (RFC 8446, RFC 9325). Note only: a profile that also asks for TLS 1.2 (NIST SP 800-52r2 §3.1) and peers limited to TLS 1.2 are left out',
      evidence: [tls12No.source.excerpt, tls13Yes.source.excerpt],
    },
  ],
  notTested: [
    {
      name: 'TLS 1.3 offered but TLS 1.2 not reported',
      obs: observation({ protocols: { 'TLSv1.3': tls13Yes } }),
      messageId: 'not-tested',
      message: 'TLS 1.2 support was not tested',
      evidence: [],
    },
  ],
});
