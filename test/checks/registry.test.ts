/**
 * Registry integrity: the registry, CHECK_IDS, the files in src/checks and their tests stay in
 * step (ESLint checkRuleFiles, Prowler's CheckID == file name), every check's metadata is usable
 * in a report, and runChecks turns a realistic observation into cited findings. The expectations
 * are written out here (ids in report order, severities) or read from the files on disk, never
 * taken from the registry under test, so a registry bug fails this file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, isCheckId, type CheckId } from '../../src/checks/index.js';
import { checkApplies, checks, runChecks } from '../../src/checks/index.js';
import { templatePlaceholders } from '../../src/checks/shared/message.js';
import type { Check } from '../../src/checks/types.js';
import { FindingSchema, SEVERITIES, type Severity } from '../../src/model/finding.js';
import { CTX, cert, fct, observation, vuln } from './helpers.js';

const SRC_DIR = fileURLToPath(new URL('../../src/checks/', import.meta.url));
const TEST_DIR = fileURLToPath(new URL('./', import.meta.url));
const NOT_CHECKS = new Set(['index', 'types', 'ids', 'facts']);

function isCheck(v: unknown): v is Check {
  return typeof v === 'object' && v !== null && 'meta' in v && 'evaluate' in v && typeof v.evaluate === 'function';
}

/** The severities the brief fixes per check: a change here is a change of contract. */
const EXPECTED_SEVERITY: Readonly<Record<CheckId, Severity>> = {
  'scan-incomplete': 'medium',
  'tls-not-offered': 'critical',
  'proto-sslv2': 'critical',
  'proto-sslv3': 'high',
  'proto-tls10': 'medium',
  'proto-tls11': 'medium',
  'proto-tls12-missing': 'high',
  'proto-tls13-missing': 'low',
  'cipher-null': 'critical',
  'cipher-export': 'critical',
  'cipher-anon': 'high',
  'cipher-rc4': 'high',
  'cipher-64bit-block': 'medium',
  'no-forward-secrecy': 'medium',
  'cert-expired': 'critical',
  'cert-not-yet-valid': 'high',
  'cert-revoked': 'critical',
  'cert-expiring': 'high',
  'cert-untrusted': 'high',
  'cert-self-signed': 'high',
  'cert-hostname-mismatch': 'high',
  'cert-weak-key': 'high',
  'cert-weak-signature': 'high',
  'vuln-heartbleed': 'critical',
  'vuln-ccs': 'critical',
  'vuln-ticketbleed': 'critical',
  'vuln-robot': 'critical',
  'vuln-poodle': 'high',
  'vuln-drown': 'critical',
  'vuln-freak': 'high',
  'vuln-logjam': 'high',
  'vuln-sweet32': 'medium',
  'vuln-beast': 'low',
  'vuln-lucky13': 'low',
  'vuln-starttls-injection': 'medium',
  'auth-before-starttls': 'high',
  'submission-tls-not-enforced': 'high',
  'mta-sts-missing': 'medium',
  'mta-sts-not-enforced': 'low',
  'mta-sts-mx-mismatch': 'high',
  'tls-rpt-missing': 'low',
  'tls-rpt-reports-absent': 'low',
  'tls-rpt-failure-rate': 'medium',
  'tls-rpt-sender-failures': 'medium',
  'dane-missing': 'low',
  'dane-mismatch': 'high',
  'dh-weak': 'medium',
  'cipher-static-rsa': 'low',
  'reneg-insecure': 'high',
  'reneg-client-initiated': 'low',
};

/** The check ids in report order, written out: the registry must match this, not itself. */
const EXPECTED_IDS = Object.keys(EXPECTED_SEVERITY) as CheckId[];

/** The check files on disk, found apart from the registry (every .ts in src/checks but the plumbing). */
const CHECK_FILES = readdirSync(SRC_DIR, { withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.ts'))
  .map((d) => d.name.slice(0, -3))
  .filter((name) => !NOT_CHECKS.has(name))
  .sort();

describe('check registry', () => {
  it('registers exactly the expected checks, in report order', () => {
    expect(EXPECTED_IDS).toHaveLength(50);
    expect(Object.keys(checks)).toEqual(EXPECTED_IDS);
    expect([...CHECK_IDS]).toEqual(EXPECTED_IDS);
    for (const id of EXPECTED_IDS) expect(isCheckId(id), id).toBe(true);
    expect(isCheckId('tls-legacy-protocol')).toBe(false);
  });

  it('has one file per check id in src/checks, and no stray check files', () => {
    expect(CHECK_FILES.length).toBeGreaterThan(0);
    expect(CHECK_FILES).toEqual([...EXPECTED_IDS].sort());
  });

  it.each(CHECK_FILES)('%s: its file exports exactly one check, the registered one, with meta.id = file name', async (file) => {
    const mod: Record<string, unknown> = await import(`${SRC_DIR}${file}.ts`);
    const exported = Object.values(mod).filter(isCheck);
    expect(Object.keys(mod)).toHaveLength(1);
    expect(exported).toHaveLength(1);
    expect(exported[0]?.meta.id).toBe(file);
    expect(exported[0]).toBe((checks as Record<string, Check>)[file]);
  });

  it.each(CHECK_FILES)('%s: has a test file', (file) => {
    expect(existsSync(`${TEST_DIR}${file}.test.ts`)).toBe(true);
  });
});

describe.each(EXPECTED_IDS)('%s metadata', (id) => {
  const { meta } = checks[id];

  it('has the agreed severity', () => {
    expect(SEVERITIES).toContain(meta.severity);
    expect(meta.severity).toBe(EXPECTED_SEVERITY[id]);
  });

  it('has a short title that does not start with "Ensure", a description and a remediation', () => {
    expect(meta.title.length).toBeGreaterThan(3);
    expect(meta.title.length).toBeLessThanOrEqual(60);
    expect(meta.title).not.toMatch(/^ensure/i);
    expect(meta.description.length).toBeGreaterThan(40);
    expect(meta.remediation.length).toBeGreaterThan(40);
    expect(meta.description).toMatch(/\.$/);
  });

  it('has well-formed message templates, including one for "not tested" where a fact can be missing', () => {
    const ids = Object.keys(meta.messages);
    expect(ids.length).toBeGreaterThan(1);
    for (const t of Object.values(meta.messages)) {
      expect(() => templatePlaceholders(t)).not.toThrow();
      expect(t.trim()).toBe(t);
    }
    // scan-incomplete reads scan.state, which is never missing.
    if (id !== 'scan-incomplete') expect(ids).toContain('not-tested');
  });

  it('names its CVE in the description when it is a vulnerability check', () => {
    if (meta.category === 'vulnerability') expect(meta.description).toMatch(/CVE-\d{4}-\d{4,}/);
  });
});

describe('runChecks', () => {
  const row = (id: string, finding: string) => `"${id}","mx.example.test/192.0.2.25","25","INFO","${finding}","",""`;
  const sample = observation({
    startTlsOffered: fct(true, row('service', 'SMTP, STARTTLS')),
    tlsAvailable: fct(true, row('TLS1_2', 'offered')),
    protocols: {
      SSLv2: fct(false, row('SSLv2', 'not offered')),
      SSLv3: fct(false, row('SSLv3', 'not offered')),
      'TLSv1.0': fct(true, row('TLS1', 'offered (deprecated)')),
      'TLSv1.2': fct(true, row('TLS1_2', 'offered')),
    },
    cipherClasses: { null: fct(false, row('cipherlist_NULL', 'not offered')), '3des': fct(true, row('cipherlist_3DES_IDEA', 'offered')) },
    certificates: [
      cert({ index: 1, commonName: 'mx.example.test', notAfter: '2026-10-20T00:00:00Z', keyAlgorithm: 'RSA', keyBits: 2048 }),
      cert({ index: 2, commonName: 'mx.example.test', notAfter: '2027-10-20T00:00:00Z', keyAlgorithm: 'EC', keyBits: 256 }),
    ],
    vulnerabilities: { heartbleed: vuln('not-vulnerable', 'not vulnerable (OK), no heartbeat extension', 'CVE-2014-0160') },
  });
  const findings = runChecks(sample, CTX);

  it('gives every finding the contract shape, a unique id and a filled message', () => {
    for (const f of findings) expect(() => FindingSchema.parse(f)).not.toThrow();
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    for (const f of findings) expect(f.message).not.toMatch(/\{\{|\}\}/);
  });

  it('runs every applicable check in registry order; per-certificate findings get #n ids', () => {
    const order = [...new Set(findings.map((f) => f.checkId))];
    // Every check that applies to SMTP over STARTTLS: all but the submission-only one.
    expect(order).toEqual(EXPECTED_IDS.filter((id) => id !== 'submission-tls-not-enforced'));
    expect(findings.filter((f) => f.checkId === 'cert-expiring').map((f) => f.id)).toEqual([
      'cert-expiring@mx.example.test[192.0.2.25]:25#1',
      'cert-expiring@mx.example.test[192.0.2.25]:25#2',
    ]);
    expect(findings.find((f) => f.checkId === 'proto-tls10')?.id).toBe('proto-tls10@mx.example.test[192.0.2.25]:25');
  });

  it('cites the records behind each verdict', () => {
    const tls10 = findings.find((f) => f.checkId === 'proto-tls10');
    expect(tls10).toMatchObject({
      status: 'fail',
      severity: 'medium',
      message: 'TLS 1.0 is offered',
      evidence: [{ summary: row('TLS1', 'offered (deprecated)'), source: { kind: 'testssl-csv', excerpt: row('TLS1', 'offered (deprecated)') } }],
    });
    const heartbleed = findings.find((f) => f.checkId === 'vuln-heartbleed');
    // Vulnerability evidence is summarised in the scanner's own words.
    expect(heartbleed?.evidence.map((e) => e.summary)).toEqual(['not vulnerable (OK), no heartbeat extension']);
    for (const f of findings.filter((x) => x.status === 'fail' || x.status === 'warn')) {
      expect(f.evidence.length, f.id).toBeGreaterThan(0);
      for (const e of f.evidence) expect(e.source.file).toBe('scans/mx.example.test.csv');
    }
  });

  it('reports missing facts as not tested, never as pass', () => {
    const byId = new Map(findings.map((f) => [f.id, f]));
    expect(byId.get('proto-tls13-missing@mx.example.test[192.0.2.25]:25')?.status).toBe('not-tested');
    expect(byId.get('vuln-robot@mx.example.test[192.0.2.25]:25')?.status).toBe('not-tested');
    expect(byId.get('cipher-64bit-block@mx.example.test[192.0.2.25]:25')).toMatchObject({ status: 'fail', data: { offered: '3DES/IDEA' } });
    // Days count from the observation (2026-09-15), not the report date.
    expect(byId.get('cert-expiring@mx.example.test[192.0.2.25]:25#1')).toMatchObject({ status: 'warn', severity: 'medium', data: { daysLeft: 35 } });
    expect(byId.get('cert-expiring@mx.example.test[192.0.2.25]:25#2')).toMatchObject({ status: 'pass', data: { daysLeft: 400 } });
  });

  it('makes a certificate expiring in 20 days one open finding: warn, high', () => {
    const obs = observation({ certificates: [cert({ index: 1, commonName: 'mx.example.test', notAfter: '2026-10-05T12:00:00Z' })] });
    const open = runChecks(obs, CTX).filter((f) => f.status === 'fail' || f.status === 'warn');
    expect(open.map((f) => [f.checkId, f.status, f.severity, f.data['daysLeft'], f.data['window']]))
      .toEqual([['cert-expiring', 'warn', 'high', 20, 30]]);
  });

  it('skips checks that do not apply to the endpoint (STARTTLS injection on implicit TLS)', () => {
    const imaps = runChecks(observation({ endpoint: { service: 'imaps', port: 993, transport: 'implicit' } }), CTX);
    expect(imaps.some((f) => f.checkId === 'vuln-starttls-injection')).toBe(false);
    expect(imaps.filter((f) => f.checkId === 'vuln-heartbleed')).toHaveLength(1);
  });

  it('on an empty observation, says "not tested" rather than pass for everything but the scan state', () => {
    const empty = runChecks(observation(), CTX);
    expect(empty.filter((f) => f.status === 'pass').map((f) => f.checkId)).toEqual(['scan-incomplete']);
    expect(empty.filter((f) => f.status !== 'pass').every((f) => f.status === 'not-tested')).toBe(true);
    expect(empty).toHaveLength(EXPECTED_IDS.length - 1);
  });
});
