/**
 * Test kit for checks: builders for Observations and facts with fake source records, and
 * `checkCases`, a RuleTester-style table runner. Every case goes through `runChecks`, the runner the
 * pipeline uses, with the whole registry (so an unregistered check finds nothing), and its findings
 * of the check under test are compared; it also proves the outcome's message exists and its
 * placeholders are filled; the last test of each
 * table proves every message the check defines was produced by some case.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/model/endpoint.js';
import type { FindingStatus, Severity } from '../../src/model/finding.js';
import {
  emptyObservation,
  type CertificateFacts,
  type ChainTrust,
  type KeyAlgorithm,
  type Observation,
  type OcspCertificateStatus,
  type VulnFact,
  type VulnId,
  type VulnState,
} from '../../src/model/observation.js';
import type { Fact, SourceRef } from '../../src/model/source.js';
import { runChecks } from '../../src/checks/index.js';
import type { Check, CheckContext } from '../../src/checks/types.js';

export const OBSERVED_AT = '2026-09-15T10:00:00Z';
export const REPORT_DATE = '2026-10-01';
export const CTX: CheckContext = { reportDate: REPORT_DATE };
export const SCAN_FILE = 'scans/mx.example.test.csv';

let nextLine = 2;

/** A fake testssl.sh CSV record; each call gets the next line number. */
export function src(excerpt: string): SourceRef {
  return { kind: 'testssl-csv', file: SCAN_FILE, line: nextLine++, excerpt };
}

/** A fact whose record is `excerpt` (default: a made-up row naming the value). */
export function fct<T>(value: T, excerpt = `"fact","mx.example.test/192.0.2.25","25","INFO","${String(value)}","",""`): Fact<T> {
  return { value, source: src(excerpt) };
}

export function vuln(state: VulnState, detail: string, cve?: string): Fact<VulnFact> {
  return fct<VulnFact>(cve === undefined ? { state, detail } : { state, detail, cve }, `"vuln","mx.example.test/192.0.2.25","25","INFO","${detail}","${cve ?? ''}",""`);
}

export function trust(trusted: boolean, selfSigned: boolean, detail: string): Fact<ChainTrust> {
  return fct<ChainTrust>({ trusted, selfSigned, detail }, `"cert_chain_of_trust","mx.example.test/192.0.2.25","25","INFO","${detail}","",""`);
}

export interface ObservationPatch extends Partial<Omit<Observation, 'endpoint'>> {
  readonly endpoint?: Partial<Endpoint>;
}

/** An Observation of an SMTP (STARTTLS, port 25) endpoint observed at OBSERVED_AT, plus `patch`. */
export function observation(patch: ObservationPatch = {}): Observation {
  const { endpoint, ...rest } = patch;
  const base = emptyObservation(
    { host: 'mx.example.test', ip: '192.0.2.25', port: 25, service: 'smtp', transport: 'starttls', ...endpoint },
    OBSERVED_AT,
    'input',
  );
  return { ...base, ...rest };
}

/** Certificate values without the Fact wrapping; each present value becomes a fact of its own record. */
export interface RawCertificate {
  index?: number;
  commonName?: string;
  subjectAltNames?: readonly string[];
  notBefore?: string;
  notAfter?: string;
  keyAlgorithm?: KeyAlgorithm;
  keyBits?: number;
  signatureAlgorithm?: string;
  chainTrust?: ChainTrust;
  hostnameMatch?: boolean;
  ocspStapling?: boolean;
  ocspStatus?: OcspCertificateStatus;
}

export function cert(raw: RawCertificate): CertificateFacts {
  const index = raw.index ?? 1;
  const row = (id: string, value: string) => `"${id} <#${index}>","mx.example.test/192.0.2.25","25","INFO","${value}","",""`;
  const c: CertificateFacts = { index };
  if (raw.commonName !== undefined) c.commonName = fct(raw.commonName, row('cert_commonName', raw.commonName));
  if (raw.subjectAltNames !== undefined) c.subjectAltNames = fct(raw.subjectAltNames, row('cert_subjectAltName', raw.subjectAltNames.join(' ')));
  if (raw.notBefore !== undefined) c.notBefore = fct(raw.notBefore, row('cert_notBefore', raw.notBefore));
  if (raw.notAfter !== undefined) c.notAfter = fct(raw.notAfter, row('cert_notAfter', raw.notAfter));
  // Like testssl's cert_keySize row, algorithm and size share one record.
  const keyRecord = src(row('cert_keySize', [raw.keyAlgorithm, raw.keyBits === undefined ? undefined : `${raw.keyBits} bits`].filter((x) => x !== undefined).join(' ')));
  if (raw.keyAlgorithm !== undefined) c.keyAlgorithm = { value: raw.keyAlgorithm, source: keyRecord };
  if (raw.keyBits !== undefined) c.keyBits = { value: raw.keyBits, source: keyRecord };
  if (raw.signatureAlgorithm !== undefined) c.signatureAlgorithm = fct(raw.signatureAlgorithm, row('cert_signatureAlgorithm', raw.signatureAlgorithm));
  if (raw.chainTrust !== undefined) c.chainTrust = fct(raw.chainTrust, row('cert_chain_of_trust', raw.chainTrust.detail));
  if (raw.hostnameMatch !== undefined) c.hostnameMatch = fct(raw.hostnameMatch, row('cert_trust', raw.hostnameMatch ? 'Ok via SAN' : 'certificate does not match supplied URI'));
  // Like tlsproof's scanner, stapling and the staple's status share one record.
  if (raw.ocspStapling !== undefined || raw.ocspStatus !== undefined) {
    const said = raw.ocspStatus === undefined ? 'no status for this certificate' : raw.ocspStatus.status;
    const ocspRecord = src(row('OCSP_stapling', raw.ocspStapling === false ? 'not offered' : `offered: ${said}`));
    if (raw.ocspStapling !== undefined) c.ocspStapling = { value: raw.ocspStapling, source: ocspRecord };
    if (raw.ocspStatus !== undefined) c.ocspStatus = { value: raw.ocspStatus, source: ocspRecord };
  }
  return c;
}

/** What a case expects of one outcome; omitted fields are not checked. */
export interface ExpectedOutcome {
  readonly messageId?: string;
  /** Subset match against the outcome's data. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** The finding's severity (the outcome's own, else the check's). */
  readonly severity?: Severity;
  /** The rendered message, exactly. */
  readonly message?: string;
  /** Excerpts of the records cited as evidence, in order. Default for pass/fail/warn: at least one. */
  readonly evidence?: readonly string[];
}

export interface Case extends ExpectedOutcome {
  readonly name: string;
  readonly obs: Observation;
  readonly ctx?: CheckContext;
}

export interface MixedCase {
  readonly name: string;
  readonly obs: Observation;
  readonly ctx?: CheckContext;
  readonly outcomes: readonly (ExpectedOutcome & { readonly status: FindingStatus })[];
}

export interface Cases {
  readonly pass?: readonly Case[];
  readonly fail?: readonly Case[];
  readonly warn?: readonly Case[];
  readonly notTested?: readonly Case[];
  readonly error?: readonly Case[];
  /** Several outcomes (one per certificate), listed in order. */
  readonly mixed?: readonly MixedCase[];
  /** The check says nothing about this endpoint. */
  readonly none?: readonly { readonly name: string; readonly obs: Observation; readonly ctx?: CheckContext }[];
}

const BUCKETS = [
  ['pass', 'pass'],
  ['fail', 'fail'],
  ['warn', 'warn'],
  ['notTested', 'not-tested'],
  ['error', 'error'],
] as const;

/**
 * One `it` per case, grouped by expected status, then one asserting that the cases between them
 * produced every message the check defines (so no template goes untested).
 */
export function checkCases(check: Check, cases: Cases): void {
  const seen = new Set<string>();

  function verify(c: { obs: Observation; ctx?: CheckContext | undefined }, expected: readonly (ExpectedOutcome & { status: FindingStatus })[]): void {
    const before = structuredClone(c.obs);
    const findings = findingsOf(check, c.obs, c.ctx ?? CTX);
    expect(c.obs, 'evaluate must not modify the observation').toEqual(before);
    expect(findingsOf(check, c.obs, c.ctx ?? CTX), 'evaluate must be deterministic').toEqual(findings);
    expect(findings.map((f) => f.status)).toEqual(expected.map((e) => e.status));
    findings.forEach((f, i) => {
      const e = expected[i];
      if (e === undefined) return;
      seen.add(f.messageId);
      expect(f.checkId).toBe(check.meta.id);
      if (e.messageId !== undefined) expect(f.messageId).toBe(e.messageId);
      if (e.data !== undefined) expect(f.data).toMatchObject(e.data);
      if (e.severity !== undefined) expect(f.severity).toBe(e.severity);
      if (e.message !== undefined) expect(f.message).toBe(e.message);
      const excerpts = f.evidence.map((ev) => ev.source.excerpt);
      if (e.evidence !== undefined) expect(excerpts).toEqual(e.evidence);
      else if (e.status === 'pass' || e.status === 'fail' || e.status === 'warn') expect(excerpts.length).toBeGreaterThan(0);
      for (const ev of f.evidence) expect(ev.summary.trim()).not.toBe('');
    });
  }

  describe(check.meta.id, () => {
    for (const [bucket, status] of BUCKETS) {
      for (const c of cases[bucket] ?? []) {
        it(`${status}: ${c.name}`, () => verify(c, [{ ...c, status }]));
      }
    }
    for (const c of cases.mixed ?? []) {
      it(`mixed: ${c.name}`, () => verify(c, c.outcomes));
    }
    for (const c of cases.none ?? []) {
      it(`no outcome: ${c.name}`, () => verify(c, []));
    }
    it('produces every message it defines', () => {
      expect([...seen].sort()).toEqual(Object.keys(check.meta.messages).sort());
    });
  });
}

/** What a vulnerability check must say; the tables below are the same for all twelve. */
export interface VulnerabilitySpec {
  readonly vulnerability: VulnId;
  readonly name: string;
  /** Reference used when the scanner names no CVE. */
  readonly reference: string;
  readonly severity: Severity;
  /** Endpoint the cases run on (default: SMTP over STARTTLS). */
  readonly endpoint?: Partial<Endpoint>;
  readonly extra?: Cases;
}

/** The standard table for a vuln-* check: state → status, message wording, CVE fallback. */
export function vulnerabilityCases(check: Check, spec: VulnerabilitySpec): void {
  const { vulnerability: id, name, reference, severity } = spec;
  const on = (f?: Fact<VulnFact>) =>
    observation({ ...(spec.endpoint === undefined ? {} : { endpoint: spec.endpoint }), ...(f === undefined ? {} : { vulnerabilities: { [id]: f } }) });
  const vulnerable = vuln('vulnerable', 'VULNERABLE (NOT ok)', 'CVE-2099-0001');
  const vulnerableNoCve = vuln('vulnerable', 'VULNERABLE, uses 64 bit block ciphers');
  const maybe = vuln('potentially-vulnerable', 'potentially VULNERABLE, timing differs');
  const fine = vuln('not-vulnerable', 'not vulnerable (OK)');
  const unknown = vuln('unknown', 'test failed (couldn\'t connect)');
  const silent = vuln('not-vulnerable', '   ');
  const extra = spec.extra ?? {};
  checkCases(check, {
    ...extra,
    fail: [
      {
        name: 'vulnerable, CVE from the scanner',
        obs: on(vulnerable),
        messageId: 'vulnerable',
        severity,
        message: `Vulnerable to ${name} (CVE-2099-0001): VULNERABLE (NOT ok)`,
        data: { state: 'vulnerable', reference: 'CVE-2099-0001' },
        evidence: [vulnerable.source.excerpt],
      },
      {
        name: 'vulnerable, scanner names no CVE: the known reference is used',
        obs: on(vulnerableNoCve),
        message: `Vulnerable to ${name} (${reference}): VULNERABLE, uses 64 bit block ciphers`,
      },
      ...(extra.fail ?? []),
    ],
    warn: [
      {
        name: 'potentially vulnerable',
        obs: on(maybe),
        messageId: 'potentially-vulnerable',
        severity,
        message: `Potentially vulnerable to ${name} (${reference}): potentially VULNERABLE, timing differs`,
      },
      ...(extra.warn ?? []),
    ],
    pass: [
      { name: 'not vulnerable', obs: on(fine), messageId: 'not-vulnerable', message: `Not vulnerable to ${name}: not vulnerable (OK)`, evidence: [fine.source.excerpt] },
      { name: 'not vulnerable, blank detail', obs: on(silent), message: `Not vulnerable to ${name}: not vulnerable` },
      ...(extra.pass ?? []),
    ],
    notTested: [
      { name: 'not reported', obs: on(), messageId: 'not-tested', message: `${name} was not tested`, evidence: [] },
      {
        name: 'scanner could not tell: not tested, never a pass',
        obs: on(unknown),
        messageId: 'unknown',
        message: `The scanner could not determine whether the server is vulnerable to ${name}: test failed (couldn't connect)`,
        evidence: [unknown.source.excerpt],
      },
      ...(extra.notTested ?? []),
    ],
  });
}

/** What the production runner reports for `check` on `obs` (through the registry, in report order). */
export function findingsOf(check: Check, obs: Observation, ctx: CheckContext = CTX) {
  return runChecks(obs, ctx).filter((f) => f.checkId === check.meta.id);
}
