/**
 * The testssl.sh CSV ingester on REAL scanner output: test/fixtures/testssl holds testssl 3.0.8
 * scans of lab mail servers (test/lab), and MANIFEST.json says how each server was configured.
 * Every assertion compares what we read from the CSV with what the server really offered.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/index.js';
import { runChecks } from '../../src/checks/index.js';
import { serviceForPort } from '../../src/model/endpoint.js';
import { PROTOCOLS, CIPHER_CLASSES, type Observation } from '../../src/model/observation.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = 'test/fixtures/testssl';

interface ManifestCert { kind: string; names: string[]; keyAlgorithm: string; keyBits: number; signatureAlgorithm: string; trustedWithLabCa: boolean; notAfter: string }
interface Target {
  scenario: string; host: string; ip: string; port: number;
  expected: { service: string; transport: string };
  server: { offers: { protocols: string[]; cipherClasses: string[]; forwardSecrecy: string }; certificates: ManifestCert[] };
}
interface ManifestFile extends Partial<Target> { file: string; kind: 'single' | 'mass'; targets?: Target[]; testssl?: { hints: boolean } }
const manifest = JSON.parse(readFileSync(`${root}/${dir}/MANIFEST.json`, 'utf8')) as { generatedAt: string; files: ManifestFile[] };
const observedAt = manifest.generatedAt;
const reportDate = observedAt.slice(0, 10);

/** The checks each scenario must fail (or warn on); everything else must pass or be not tested. */
const EXPECTED_PROBLEMS: Record<string, string[]> = {
  'smtp-good': [], 'submission-good': [], 'submissions-good': [], 'imap-good': [], 'imaps-good': [], 'pop3-good': [], 'pop3s-good': [],
  'smtp-expired': ['cert-expired'],
  'smtp-expiring': ['cert-expiring'],
  'smtp-selfsigned': ['cert-self-signed', 'cert-untrusted'],
  'smtp-wronghost': ['cert-hostname-mismatch'],
  'smtp-weakkey': ['cert-weak-key'],
  'smtp-sha1': ['cert-weak-signature'],
  // The Node legacy server's DHE group is 1024-bit: testssl says so under LOGJAM, read as the group
  // size dh-weak judges (Logjam proper, DHE EXPORT, is not offered). It accepts static-RSA suites
  // and client-initiated renegotiation, as old servers did.
  'smtp-legacy': ['proto-tls10', 'proto-tls11', 'vuln-beast', 'vuln-lucky13', 'dh-weak', 'cipher-static-rsa', 'reneg-client-initiated'],
  'imaps-legacy': ['proto-tls10', 'proto-tls11', 'vuln-beast', 'vuln-lucky13', 'cipher-static-rsa', 'reneg-client-initiated'],
  'gnutls-legacy': ['proto-tls10', 'proto-tls11', 'cipher-rc4', 'cipher-64bit-block', 'vuln-sweet32', 'vuln-beast', 'vuln-lucky13', 'cipher-static-rsa', 'reneg-client-initiated'],
  'smtp-plaintext': ['tls-not-offered'],
};

function problemsOf(obs: Observation): string[] {
  return [...new Set(runChecks(obs, { reportDate }).filter((f) => f.status === 'fail' || f.status === 'warn' || f.status === 'error').map((f) => f.checkId))].sort();
}

function assertMatchesServer(obs: Observation, t: Target, file: string): void {
  // The transport is what the port calls for (RFC 8314); a plaintext server on 25 fails tls-not-offered.
  expect(obs.endpoint).toEqual({ host: t.host, ip: t.ip, port: t.port, service: t.expected.service, transport: serviceForPort(t.port).transport });
  expect(obs.scan.state).toBe('completed');
  const offers = t.server.offers;
  if (offers.protocols.length === 0) {
    expect(obs.tlsAvailable?.value).toBe(false);
    return;
  }
  expect(obs.tlsAvailable?.value).toBe(true);
  if (obs.endpoint.transport === 'starttls') expect(obs.startTlsOffered?.value).toBe(true);
  for (const p of PROTOCOLS) expect(obs.protocols[p]?.value, `${file} ${p}`).toBe(offers.protocols.includes(p));
  for (const c of CIPHER_CLASSES) {
    // testssl has no list for every class on every server; when it reports one, it must agree.
    const reading = obs.cipherClasses[c]?.value;
    if (offers.cipherClasses.includes(c)) expect(reading, `${file} ${c}`).toBe(true);
    // testssl's LOW list ("64 Bit + DES, RC[2,4]") also holds RC4, so a server offering RC4 must
    // not read as offering single DES: undecided or not offered, never offered.
    else expect(reading === undefined || reading === false, `${file} ${c}`).toBe(true);
  }
  expect(obs.forwardSecrecy?.value).toBe(offers.forwardSecrecy !== 'none');
  expect(obs.certificates).toHaveLength(t.server.certificates.length);
  t.server.certificates.forEach((want, i) => {
    const got = obs.certificates[i]!;
    expect(got.keyAlgorithm?.value).toBe(want.keyAlgorithm);
    expect(got.keyBits?.value).toBe(want.keyBits);
    expect(got.signatureAlgorithm?.value.toLowerCase().replace(/[^a-z0-9]/g, '')).toContain(want.signatureAlgorithm.startsWith('sha1') ? 'sha1' : 'sha256');
    // testssl prints minutes, so the instant is the server's notAfter truncated to the minute.
    expect(Date.parse(got.notAfter!.value)).toBe(Math.floor(Date.parse(want.notAfter) / 60_000) * 60_000);
    expect(got.chainTrust?.value.trusted).toBe(want.trustedWithLabCa);
    expect(got.chainTrust?.value.selfSigned).toBe(want.kind === 'selfsigned');
    expect(got.hostnameMatch?.value).toBe(want.names.includes(t.host));
    // Every fact cites its own row of this file.
    expect(got.notAfter?.source).toMatchObject({ kind: 'testssl-csv', file: `${dir}/${file}` });
    expect(got.notAfter?.source.excerpt).toMatch(/^"cert_notAfter/);
  });
}

describe('testssl.sh CSV from real scans of the lab servers', () => {
  const singles = manifest.files.filter((f) => f.kind === 'single');

  it('has the fixtures the tests rely on', () => {
    expect(singles.length).toBeGreaterThanOrEqual(15);
    expect(singles.some((f) => f.testssl?.hints)).toBe(true);
    expect(singles.some((f) => !f.testssl?.hints)).toBe(true);
  });

  it.each(singles.map((f) => [f.file, f] as const))('%s: the observation matches the server and the checks find what it was built with', async (file, entry) => {
    const out = await ingest([`${dir}/${file}`], { cwd: root, observedAt });
    expect(out.problems).toEqual([]);
    expect(out.observations).toHaveLength(1);
    const obs = out.observations[0]!;
    assertMatchesServer(obs, entry as Target, file);
    expect(problemsOf(obs)).toEqual([...(EXPECTED_PROBLEMS[entry.scenario!] ?? ['(scenario missing from EXPECTED_PROBLEMS)'])].sort());
  });

  it('reads a mass-scan file into one observation per endpoint', async () => {
    const mass = manifest.files.find((f) => f.kind === 'mass')!;
    const out = await ingest([`${dir}/${mass.file}`], { cwd: root, observedAt });
    expect(out.problems).toEqual([]);
    const targets = mass.targets!;
    expect(out.observations.map((o) => `${o.endpoint.host}:${o.endpoint.port}`).sort()).toEqual(targets.map((t) => `${t.host}:${t.port}`).sort());
    for (const t of targets) {
      const obs = out.observations.find((o) => o.endpoint.host === t.host && o.endpoint.port === t.port)!;
      assertMatchesServer(obs, t, mass.file);
      expect(problemsOf(obs)).toEqual([...EXPECTED_PROBLEMS[t.scenario]!].sort());
    }
  });

  it('reads the DH group, static RSA and DHE from the rows that show them, citing each row', async () => {
    const [legacy] = (await ingest([`${dir}/smtp-legacy.csv`], { cwd: root, observedAt })).observations;
    // LOGJAM: "no DH EXPORT ciphers, no common prime but Unknown DH group has only 1024 bits".
    expect(legacy!.dhBits).toMatchObject({ value: 1024, source: { excerpt: expect.stringMatching(/^"LOGJAM".*has only 1024 bits/) } });
    expect(legacy!.vulnerabilities.logjam?.value.state).toBe('not-vulnerable');
    expect(legacy!.staticRsa?.value).toBe(true);
    expect(legacy!.dheOffered?.value).toBe(true);
    const good = (await ingest([`${dir}/smtp-good.csv`], { cwd: root, observedAt }));
    const obs = good.observations[0]!;
    // ROBOT: "not vulnerable, no RSA key transport cipher"; PFS_ciphers lists no DHE suite.
    expect(obs.staticRsa).toMatchObject({ value: false, source: { excerpt: expect.stringMatching(/^"ROBOT".*no RSA key transport cipher/) } });
    expect(obs.dheOffered).toMatchObject({ value: false, source: { excerpt: expect.stringMatching(/^"PFS_ciphers"/) } });
    // Verdict rows no check judges are counted, not silently dropped.
    const notEvaluated = good.files[0]!.skipped?.find((k) => k.reason === 'not-evaluated');
    expect(notEvaluated?.ids.map((i) => i.id)).toEqual(expect.arrayContaining(['fallback_scsv', 'crime_tls']));
  });

  it('reads many files at once, from a folder and from a glob, to the same endpoints', async () => {
    const fromDir = await ingest([dir], { cwd: root, observedAt });
    const fromGlob = await ingest([`${dir}/*-good.csv`, `${dir}/smtp-*.csv`], { cwd: root, observedAt });
    expect(fromDir.files.length).toBe(manifest.files.length);
    expect(fromGlob.files.every((f) => /-good\.csv$|smtp-/.test(f.file))).toBe(true);
    expect(new Set(fromGlob.files.map((f) => f.file)).size).toBe(fromGlob.files.length);
  });
});
