/**
 * An MX authenticated by DANE-EE (RFC 7672 §3.1–3.2) with a self-signed, differently named
 * certificate and no MTA-STS policy, through the checks and every shipped mapping: the
 * transmission-security controls do not fail (HIPAA 164.312(e)(1), NIST SP 800-52r2 3.2), and the
 * findings say why. The same server without DANE fails them, so the test can tell the difference.
 */
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { evaluateControl, type ControlEvaluation } from '../../src/map/evaluate.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import type { Finding } from '../../src/model/finding.js';
import type { Observation } from '../../src/model/observation.js';
import { cert, fct, observation } from '../checks/helpers.js';
import { dane, sts } from '../checks/probe-facts.js';

const { frameworks, grading } = loadMappings({ builtInDir: builtInMappingsDir() });
const grades = new Map(grading.map((r) => [r.id, r]));
const CERT_CHECKS = ['cert-self-signed', 'cert-untrusted', 'cert-hostname-mismatch'];

function mx(withDane: boolean): Observation {
  return observation({
    tlsAvailable: fct(true), startTlsOffered: fct(true),
    protocols: { 'TLSv1.2': fct(true), 'TLSv1.3': fct(true) },
    certificates: [cert({
      commonName: 'localhost', subjectAltNames: ['localhost'], hostnameMatch: false, notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-06-01T00:00:00Z',
      keyAlgorithm: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption',
      chainTrust: { trusted: false, selfSigned: true, detail: 'failed (self signed).' },
    })],
    ...(withDane ? { dane: dane({ tlsa: [{ usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) }], authenticated: true, matches: true, matched: '3 1 1', detail: 'chain matches 3 1 1' }) } : {}),
    domainPolicies: [sts('example.test', { record: 'missing', policy: 'not-fetched', policyDetail: 'no TXT record' })],
  });
}

function evaluate(obs: Observation): { findings: Finding[]; control: (fw: string, id: string) => ControlEvaluation } {
  const findings = runChecks(obs, { reportDate: '2026-10-01' });
  const byCheck = new Map<string, Finding[]>();
  for (const f of findings) byCheck.set(f.checkId, [...(byCheck.get(f.checkId) ?? []), f]);
  const endpoints = [{ key: findings[0]!.endpointKey, service: obs.endpoint.service }];
  return {
    findings,
    control(fwId, id) {
      const c = frameworks.find((fw) => fw.framework.id === fwId)!.controls.find((x) => x.id === id)!;
      return evaluateControl(c, byCheck, { grading: grades, endpoints });
    },
  };
}

describe('an MX authenticated by DANE-EE with a self-signed certificate', () => {
  const withDane = evaluate(mx(true));
  const without = evaluate(mx(false));

  it('passes the certificate checks, each saying it is DANE-EE that authenticates the MX', () => {
    for (const id of CERT_CHECKS) {
      const f = withDane.findings.find((x) => x.checkId === id)!;
      expect(f, id).toMatchObject({ status: 'pass', messageId: 'dane-ee', severity: 'info' });
      expect(f.message, id).toContain('RFC 7672');
    }
    expect(withDane.findings.find((x) => x.checkId === 'mta-sts-missing')).toMatchObject({ status: 'pass', messageId: 'dane-validated' });
  });

  it('does not fail HIPAA 164.312(e)(1) or NIST SP 800-52r2 3.2, and no certificate finding stands behind a control', () => {
    expect(withDane.control('hipaa', '164.312(e)(1)').status).not.toBe('fail');
    expect(withDane.control('nist-800-52', '3.2').status).toBe('pass');
    for (const fw of frameworks) {
      for (const c of fw.controls) {
        const ev = withDane.control(fw.framework.id, c.id);
        expect(ev.findings.filter((f) => [...CERT_CHECKS, 'mta-sts-missing'].includes(f.checkId)), `${fw.framework.id} ${c.id}`).toEqual([]);
      }
    }
  });

  it('without DANE the same certificate fails the certificate control and warns transmission security', () => {
    expect(without.findings.find((x) => x.checkId === 'cert-self-signed')?.status).toBe('fail');
    expect(without.control('nist-800-52', '3.2').status).toBe('fail');
    const hipaa = without.control('hipaa', '164.312(e)(1)');
    expect(hipaa.status).toBe('warn');
    expect(hipaa.findings.map((f) => f.checkId)).toEqual(expect.arrayContaining(CERT_CHECKS));
  });
});
