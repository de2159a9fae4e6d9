/**
 * Regenerates the real testssl.sh fixtures: starts lab mail servers (one scenario each) on
 * 127.0.0.x at the real mail ports, scans each with testssl's default run, and writes
 * `test/fixtures/testssl/<scenario>.csv`, one mass-scan CSV and `MANIFEST.json`. Certificates and
 * keys live in a temp folder that is deleted at the end.
 *
 * `--samples` instead makes the "Example Health" samples: two quarters of scans of the same lab
 * organisation (`samples/2026-Q3/`, `samples/2026-Q4/`, `samples/MANIFEST.json`), see makeSamples.
 *
 * Build and run as root (ports below 1024):
 *   npx tsc -p tsconfig.build.json && node dist/test/lab/make-fixtures.js [--only a,b] [--jobs 3] [--samples]
 *
 * A scenario whose CSV shows testssl never reached TLS is retried once and then fails the script,
 * unless that outcome is the point of the scenario (the plaintext-only server).
 */
import { serviceForPort } from '../../src/model/endpoint.js';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeLabPki } from './certs.js';
import type { LabCert, LabPki, LeafKind } from './certs.js';
import { GNUTLS_LEGACY_PRIORITY, startGnutlsServer, startLabServer, tlsProfileOptions } from './servers.js';
import type { LabTransport, MailProtocol, TlsProfile } from './servers.js';
import {
  assertTestsslInstalled, csvLooksComplete, readTestsslCsv, runTestssl, runTestsslMass, stopActiveTestsslRuns,
} from './testssl.js';
import type { TestsslRow, TestsslRun, TestsslTarget } from './testssl.js';
import { findPackageRoot } from '../../src/package-root.js';

const execFileP = promisify(execFile);

type ServerImpl = 'node-tls' | 'gnutls-serv';

interface Scenario {
  name: string;
  description: string;
  host: string;
  ip: string;
  port: number;
  protocol: MailProtocol;
  transport: LabTransport;
  impl: ServerImpl;
  profile?: TlsProfile;
  /** Certificates served (several = RSA + ECDSA). */
  certKinds: LeafKind[];
  hints?: boolean;
  /** Weak 1024-bit DHE group for the legacy profile. */
  weakDh?: boolean;
  /** Rows the CSV must contain: id (a `<cert#n>` suffix is allowed) and a finding pattern. */
  expect: Array<[string, RegExp]>;
  /** The scenario's point is that testssl cannot get to TLS. */
  expectNoTls?: boolean;
}

/** What each server was configured to offer, in the Observation model's words. */
interface Offer {
  protocols: string[];
  cipherClasses: string[];
  forwardSecrecy: 'all suites' | 'some suites' | 'none';
  cipherString?: string;
  gnutlsPriority?: string;
  dhGroup?: string;
}

const TLS12_13 = ['TLSv1.2', 'TLSv1.3'];
const TLS10_13 = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function offerFor(s: Scenario): Offer {
  if (s.transport === 'none') return { protocols: [], cipherClasses: [], forwardSecrecy: 'none' };
  if (s.impl === 'gnutls-serv') {
    return {
      protocols: TLS10_13, cipherClasses: ['cbc', '3des', 'rc4'], forwardSecrecy: 'some suites',
      gnutlsPriority: GNUTLS_LEGACY_PRIORITY, dhGroup: 'RFC 7919 ffdhe (GnuTLS default)',
    };
  }
  const profile = s.profile ?? 'modern';
  const ciphers = String(tlsProfileOptions(profile).ciphers ?? '');
  if (profile === 'legacy') {
    return {
      protocols: TLS10_13, cipherClasses: ['cbc'], forwardSecrecy: 'some suites', cipherString: ciphers,
      dhGroup: s.weakDh ? 'generated 1024-bit group' : 'OpenSSL built-in',
    };
  }
  return { protocols: TLS12_13, cipherClasses: [], forwardSecrecy: 'all suites', cipherString: ciphers };
}

const PROTO_ROWS: Array<[string, RegExp]> = [
  ['SSLv2', /not offered/], ['SSLv3', /not offered/], ['TLS1_2', /^offered/], ['TLS1_3', /^offered/],
];
const MODERN_ROWS: Array<[string, RegExp]> = [
  ...PROTO_ROWS, ['TLS1', /^not offered/], ['TLS1_1', /^not offered/],
  ['cipherlist_NULL', /not offered/], ['cipherlist_3DES_IDEA', /not offered/], ['PFS', /offered/],
  ['heartbleed', /not vulnerable/], ['ROBOT', /not vulnerable/], ['POODLE_SSL', /not vulnerable/],
  ['SWEET32', /not vulnerable/], ['RC4', /no RC4|not vulnerable/], ['cert_notAfter', /./],
  ['secure_client_renego', /not vulnerable/], ['cipher_order', /server/],
];

/**
 * Addresses are in 127.0.77.0/24, away from the 127.0.0.x addresses other lab tools on a shared
 * machine tend to pick; a clash shows up as EADDRINUSE at start.
 */
const SCENARIOS: Scenario[] = [
  {
    name: 'smtp-good', description: 'SMTP STARTTLS on 25, modern TLS, good certificate',
    host: 'mail.good.example.test', ip: '127.0.77.11', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['good'],
    expect: [...MODERN_ROWS, ['cert_chain_of_trust', /passed/], ['cert_trust', /^Ok/], ['cert_expirationStatus', />= 60 days/]],
  },
  {
    name: 'submission-good', description: 'SMTP submission STARTTLS on 587, modern TLS, RSA + ECDSA certificates (testssl run with --hints)',
    host: 'mail.good.example.test', ip: '127.0.77.11', port: 587, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['good', 'ec'], hints: true,
    expect: [...MODERN_ROWS, ['cert_numbers', /^2$/], ['cert_keySize <cert#2>', /EC 256/]],
  },
  {
    name: 'submissions-good', description: 'SMTP submission over implicit TLS on 465, modern TLS, good certificate',
    host: 'mail.good.example.test', ip: '127.0.77.11', port: 465, protocol: 'smtp', transport: 'implicit',
    impl: 'node-tls', profile: 'modern', certKinds: ['good'], expect: MODERN_ROWS,
  },
  {
    name: 'imap-good', description: 'IMAP STARTTLS on 143, modern TLS, good certificate',
    host: 'imap.good.example.test', ip: '127.0.77.12', port: 143, protocol: 'imap', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['good'], expect: [...MODERN_ROWS, ['service', /imap/i]],
  },
  {
    name: 'imaps-good', description: 'IMAP over implicit TLS on 993, modern TLS, good certificate',
    host: 'imap.good.example.test', ip: '127.0.77.12', port: 993, protocol: 'imap', transport: 'implicit',
    impl: 'node-tls', profile: 'modern', certKinds: ['good'], expect: [...MODERN_ROWS, ['service', /IMAP/]],
  },
  {
    name: 'pop3-good', description: 'POP3 STLS on 110, modern TLS, good certificate',
    host: 'pop.good.example.test', ip: '127.0.77.13', port: 110, protocol: 'pop3', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['good'], expect: [...MODERN_ROWS, ['service', /pop3/i]],
  },
  {
    name: 'pop3s-good', description: 'POP3 over implicit TLS on 995, modern TLS, good certificate',
    host: 'pop.good.example.test', ip: '127.0.77.13', port: 995, protocol: 'pop3', transport: 'implicit',
    impl: 'node-tls', profile: 'modern', certKinds: ['good'], expect: MODERN_ROWS,
  },
  {
    name: 'smtp-expired', description: 'SMTP STARTTLS, modern TLS, certificate expired 30 days ago (testssl run with --hints)',
    host: 'mail.expired.example.test', ip: '127.0.77.20', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['expired'], hints: true,
    expect: [...PROTO_ROWS, ['cert_expirationStatus', /expired/i], ['cert_notAfter', /./]],
  },
  {
    name: 'smtp-expiring', description: 'SMTP STARTTLS, modern TLS, certificate expires in 20 days',
    host: 'mail.expiring.example.test', ip: '127.0.77.21', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['expiring'],
    expect: [...PROTO_ROWS, ['cert_expirationStatus', /expires < 60 days|< ?\d+ days|days/]],
  },
  {
    name: 'smtp-selfsigned', description: 'SMTP STARTTLS, modern TLS, self-signed certificate',
    host: 'mail.selfsigned.example.test', ip: '127.0.77.22', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['selfsigned'],
    expect: [...PROTO_ROWS, ['cert_chain_of_trust', /self signed|self-signed/i]],
  },
  {
    name: 'smtp-wronghost', description: 'SMTP STARTTLS, modern TLS, certificate for mail.other.example.test',
    host: 'mail.wronghost.example.test', ip: '127.0.77.23', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'modern', certKinds: ['wronghost'],
    expect: [...PROTO_ROWS, ['cert_trust', /does not match/], ['cert_chain_of_trust', /passed/]],
  },
  {
    name: 'smtp-weakkey', description: 'SMTP STARTTLS, modern TLS, RSA 1024-bit certificate key',
    host: 'mail.weakkey.example.test', ip: '127.0.77.24', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'weak-cert', certKinds: ['weakkey'], expect: [...PROTO_ROWS, ['cert_keySize', /1024/]],
  },
  {
    name: 'smtp-sha1', description: 'SMTP STARTTLS, modern TLS, certificate signed with SHA-1',
    host: 'mail.sha1.example.test', ip: '127.0.77.25', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'weak-cert', certKinds: ['sha1'], expect: [...PROTO_ROWS, ['cert_signatureAlgorithm', /SHA1/i]],
  },
  {
    name: 'smtp-legacy', description: 'SMTP STARTTLS, TLS 1.0-1.3, static-RSA and CBC suites, 1024-bit DHE (testssl run with --hints)',
    host: 'mail.legacy.example.test', ip: '127.0.77.30', port: 25, protocol: 'smtp', transport: 'starttls',
    impl: 'node-tls', profile: 'legacy', weakDh: true, certKinds: ['good'], hints: true,
    expect: [
      ...PROTO_ROWS, ['TLS1', /^offered/], ['TLS1_1', /^offered/], ['cipherlist_AVERAGE', /^offered/],
      ['LUCKY13', /potentially vulnerable/], ['BEAST', /VULNERABLE/],
    ],
  },
  {
    name: 'imaps-legacy', description: 'IMAP over implicit TLS on 993, TLS 1.0-1.3, static-RSA and CBC suites',
    host: 'imap.legacy.example.test', ip: '127.0.77.31', port: 993, protocol: 'imap', transport: 'implicit',
    impl: 'node-tls', profile: 'legacy', certKinds: ['good'],
    expect: [...PROTO_ROWS, ['TLS1', /^offered/], ['TLS1_1', /^offered/]],
  },
  {
    name: 'gnutls-legacy', description: 'gnutls-serv on 465 (implicit TLS echo server, no SMTP dialogue): TLS 1.0-1.3 with 3DES and RC4',
    host: 'mail.gnutls-legacy.example.test', ip: '127.0.77.32', port: 465, protocol: 'smtp', transport: 'implicit',
    impl: 'gnutls-serv', certKinds: ['good'],
    expect: [
      ...PROTO_ROWS, ['TLS1', /^offered/], ['cipherlist_3DES_IDEA', /^offered/], ['SWEET32', /64 bit block/],
      ['RC4', /VULNERABLE/],
    ],
  },
  {
    name: 'smtp-plaintext', description: 'SMTP on 25 without STARTTLS (plaintext only)',
    host: 'mail.plaintext.example.test', ip: '127.0.77.33', port: 25, protocol: 'smtp', transport: 'none',
    impl: 'node-tls', certKinds: [], expectNoTls: true, expect: [],
  },
];

/** Several hosts in one CSV, as a `--file` mass scan writes it (plaintext host included). */
const MASS_SCAN = ['smtp-good', 'imaps-good', 'smtp-expired', 'smtp-legacy', 'smtp-plaintext'];

/** The "Example Health" sample: a small organisation with both passes and failures. */
const SAMPLE = ['smtp-good', 'submission-good', 'imaps-good', 'pop3s-good', 'smtp-legacy', 'smtp-expiring', 'smtp-wronghost'];

/**
 * Every sample certificate is valid over the whole sample year with the same fixed dates, so a
 * scan on any (simulated) day of 2026 sees the same certificates; only the expiring one ends.
 */
const SAMPLE_VALIDITY = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-03-31T23:59:59Z') };
/** 20 days after the Q3 scan day: "expires within 30 days" in Q3, expired by the Q4 scan. */
const SAMPLE_EXPIRING_NOT_AFTER = new Date('2026-10-05T23:59:59Z');

interface SampleQuarter {
  period: string;
  /** When the simulated scan starts (testssl runs with its clock shifted to it). */
  scanAt: string;
  scenarios: string[];
  /** What changed on a server since the previous quarter. */
  changes: Record<string, { note: string; tlsOverrides: { minVersion: 'TLSv1.2' }; expect: Array<[string, RegExp]> }>;
  /** Rows that replace a scenario's expectations this quarter (certificate states move with time). */
  expect: Record<string, Array<[string, RegExp]>>;
}

/**
 * Q3: the seven sample endpoints. Q4: the legacy relay no longer offers TLS 1.0/1.1 (its other
 * defects remain), the POP3 endpoint is gone, and the expiring certificate has expired.
 */
const SAMPLE_QUARTERS: SampleQuarter[] = [
  { period: '2026-Q3', scanAt: '2026-09-15T09:00:00Z', scenarios: SAMPLE, changes: {}, expect: {} },
  {
    period: '2026-Q4', scanAt: '2026-12-01T09:00:00Z',
    scenarios: SAMPLE.filter((n) => n !== 'pop3s-good'),
    changes: {
      'smtp-legacy': {
        note: 'TLS 1.0 and 1.1 switched off (minimum TLS 1.2); static-RSA and CBC suites, the 1024-bit DH group and client renegotiation remain',
        tlsOverrides: { minVersion: 'TLSv1.2' },
        expect: [...PROTO_ROWS, ['TLS1', /^not offered/], ['TLS1_1', /^not offered/], ['BEAST', /not vulnerable|no CBC|no SSL3 or TLS1/i], ['cipherlist_AVERAGE', /^offered/]],
      },
    },
    expect: { 'smtp-expiring': [...PROTO_ROWS, ['cert_expirationStatus', /expired/i]] },
  },
];


/** The project folder (source or dist/), for fixture paths: one walk, the one the product uses. */
function findRepoRoot(start: string): string {
  const root = findPackageRoot(start);
  if (root === undefined) throw new Error(`no tlsproof package.json above ${start}`);
  return root.dir;
}

function parseArgs(argv: string[]): { only?: Set<string>; jobs: number; keepTemp: boolean; samples: boolean; resume?: string } {
  let only: Set<string> | undefined;
  let resume: string | undefined;
  let jobs = 3;
  let keepTemp = false;
  let samples = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
    else if (a === '--jobs') jobs = Math.max(1, Number(argv[++i] ?? 3));
    else if (a === '--keep-temp') keepTemp = true;
    else if (a === '--samples') samples = true;
    else if (a === '--resume') resume = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  return { ...(only ? { only } : {}), jobs, keepTemp, samples, ...(resume ? { resume } : {}) };
}

async function pool<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return out;
}

function idMatches(rowId: string, id: string): boolean {
  return rowId === id || rowId.startsWith(`${id} <cert#`);
}

/** Problems with a scenario's CSV; empty when it has everything the scenario should show. */
function checkRows(s: Scenario, rows: readonly TestsslRow[]): string[] {
  const problems: string[] = [];
  if (s.expectNoTls) {
    if (rows.some((r) => /^TLS1/.test(r.id))) problems.push('plaintext server yielded protocol rows');
    return problems;
  }
  const complete = csvLooksComplete(rows);
  if (!complete.ok) return [complete.reason];
  for (const [id, re] of s.expect) {
    const hits = rows.filter((r) => idMatches(r.id, id));
    if (hits.length === 0) problems.push(`missing ${id}`);
    else if (!hits.some((r) => re.test(r.finding))) {
      problems.push(`${id}: ${hits.map((h) => JSON.stringify(h.finding)).join(' | ')} !~ ${re}`);
    }
  }
  return problems;
}

function certRecord(c: LabCert, pki: LabPki): Record<string, unknown> {
  return {
    kind: c.kind,
    names: c.names,
    issuer: c.selfSigned ? 'self' : pki.caSubject,
    trustedWithLabCa: !c.selfSigned,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyAlgorithm: c.keyAlgorithm,
    keyBits: c.keyBits,
    signatureAlgorithm: c.signatureAlgorithm,
    fingerprintSha256: c.fingerprintSha256,
  };
}

interface RunRecord {
  scenario: Scenario;
  run: TestsslRun;
  rows: TestsslRow[];
  certs: LabCert[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // A bug in a server handler must show up in the log, not end a half-hour run.
  process.on('uncaughtException', (err) => console.error(`uncaught: ${err.stack ?? err.message}`));
  if (process.getuid?.() !== 0) throw new Error('run as root: the lab servers listen on ports 25, 110, 143, 465, 587, 993, 995');
  const testsslVersion = await assertTestsslInstalled();
  const opensslVersion = (await execFileP('openssl', ['version'])).stdout.trim();
  const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
  const fixtureDir = path.join(root, 'test', 'fixtures', 'testssl');
  if (args.samples) {
    await makeSamples(root, args.jobs, testsslVersion, opensslVersion, args.resume);
    return;
  }
  const selected = SCENARIOS.filter((s) => !args.only || args.only.has(s.name) || (args.only.has('mass-scan') && MASS_SCAN.includes(s.name)));
  const work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-lab-'));
  const log = (m: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
  log(`testssl ${testsslVersion}, ${opensslVersion}; temp ${work}`);

  const stops: Array<() => Promise<void>> = [];
  // Ctrl-C or kill: end our testssl runs and servers (gnutls-serv is a separate process) first.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`${sig}: stopping`);
      stopActiveTestsslRuns();
      void Promise.allSettled(stops.map((stop) => stop()))
        .then(() => rm(work, { recursive: true, force: true }))
        .finally(() => process.exit(130));
    });
  }
  try {
    const pki = await makeLabPki(path.join(work, 'pki'));
    const dh1024 = await pki.dhParams(1024);
    const certsByScenario = new Map<string, LabCert[]>();
    for (const s of selected) {
      certsByScenario.set(s.name, await Promise.all(s.certKinds.map((kind) =>
        pki.issue({ kind, hostname: s.host, name: `${s.name}-${kind}` }))));
    }
    const netnsByScenario = new Map<string, string>();
    for (const s of selected) {
      const certs = certsByScenario.get(s.name) ?? [];
      if (s.impl === 'gnutls-serv') {
        const c = certs[0]!;
        const g = await startGnutlsServer({ ip: s.ip, port: s.port, certFile: c.certFile, keyFile: c.keyFile, log });
        stops.push(g.stop);
        if (g.netns) netnsByScenario.set(s.name, g.netns);
      } else {
        const srv = await startLabServer({
          protocol: s.protocol, transport: s.transport, ip: s.ip, port: s.port, host: s.host,
          certs, ...(s.profile ? { profile: s.profile } : {}), ...(s.weakDh ? { dhParamFile: dh1024 } : {}), log,
        });
        stops.push(srv.stop);
      }
    }

    const staging = path.join(work, 'out');
    await mkdir(staging, { recursive: true });
    const scanOne = async (s: Scenario): Promise<RunRecord> => {
      const csvFile = path.join(staging, `${s.name}.csv`);
      const netns = netnsByScenario.get(s.name);
      for (let attempt = 1; ; attempt++) {
        log(`scan ${s.name} (${s.host} ${s.ip}:${s.port}) attempt ${attempt}`);
        const run = await runTestssl({
          ip: s.ip, host: s.host, port: s.port,
          ...(s.transport === 'starttls' || s.transport === 'none' ? { starttls: s.protocol } : {}),
          csvFile, caFile: pki.caCertFile, hints: s.hints ?? false,
          ...(netns ? { netns } : {}), logFile: path.join(staging, `${s.name}.log`),
        });
        const rows = existsSync(csvFile) ? await readTestsslCsv(csvFile) : [];
        const problems = checkRows(s, rows);
        log(`done ${s.name}: exit ${run.exitCode}, ${Math.round(run.durationMs / 1000)} s, ${rows.length} rows${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''}`);
        if (problems.length === 0) return { scenario: s, run, rows, certs: certsByScenario.get(s.name) ?? [] };
        if (attempt >= 2) throw new Error(`${s.name}: unusable CSV after ${attempt} attempts: ${problems.join('; ')}\n${run.output.slice(-2000)}`);
      }
    };
    // `--only mass-scan` starts the mass-scan servers but scans them singly only when named too.
    const runs = await pool(selected.filter((s) => !args.only || args.only.has(s.name)), args.jobs, scanOne);

    let mass: { run: TestsslRun; rows: TestsslRow[]; scenarios: Scenario[] } | undefined;
    const massScenarios = selected.filter((s) => MASS_SCAN.includes(s.name));
    if (!args.only || args.only.has('mass-scan')) {
      const targets: TestsslTarget[] = massScenarios.map((s) => ({
        ip: s.ip, host: s.host, port: s.port,
        ...(s.transport === 'implicit' ? {} : { starttls: s.protocol }),
      }));
      const csvFile = path.join(staging, 'mass-scan.csv');
      log(`mass scan of ${targets.length} targets (parallel, 3 at once)`);
      const run = await runTestsslMass({
        targets, csvFile, caFile: pki.caCertFile, mode: 'parallel', maxParallel: 3,
        logFile: path.join(staging, 'mass-scan.log'),
      });
      const rows = await readTestsslCsv(csvFile);
      const perTarget = massScenarios.map((s) => rows.filter((r) => r.fqdnIp === `${s.host}/${s.ip}` && r.port === String(s.port)).length);
      log(`mass scan done: exit ${run.exitCode}, ${Math.round(run.durationMs / 1000)} s, rows per target ${perTarget.join('/')}`);
      if (perTarget.some((n, i) => n === 0 || (!massScenarios[i]!.expectNoTls && n < 50))) {
        throw new Error(`mass scan incomplete (rows per target ${perTarget.join('/')})\n${run.output.slice(-3000)}`);
      }
      mass = { run, rows, scenarios: massScenarios };
    }

    // Everything scanned: only now replace the committed files.
    const generatedAt = new Date().toISOString();
    await mkdir(fixtureDir, { recursive: true });
    const manifestFile = path.join(fixtureDir, 'MANIFEST.json');
    const previous = existsSync(manifestFile)
      ? (JSON.parse(await readFile(manifestFile, 'utf8')) as { files?: Array<Record<string, unknown>> }).files ?? []
      : [];
    const entries = new Map<string, Record<string, unknown>>(previous.map((e) => [String(e['file']), e]));
    if (!args.only) {
      // A full run owns the folder's generated files: drop the ones no longer produced.
      for (const file of entries.keys()) await rm(path.join(fixtureDir, file), { force: true });
      entries.clear();
    }
    const endpointInfo = (s: Scenario, certs: LabCert[]): Record<string, unknown> => ({
      scenario: s.name,
      description: s.description,
      host: s.host,
      ip: s.ip,
      port: s.port,
      expected: {
        ...serviceForPort(s.port),
        ...(s.transport === 'none' ? { transport: 'none', startTlsOffered: false } : {}),
      },
      server: {
        implementation: s.impl,
        protocol: s.protocol,
        transport: s.transport,
        ...(s.impl === 'node-tls' && s.transport !== 'none' ? { tlsProfile: s.profile ?? 'modern' } : {}),
        offers: offerFor(s),
        certificates: certs.map((c) => certRecord(c, pki)),
      },
    });
    for (const r of runs) {
      const file = `${r.scenario.name}.csv`;
      await copyFile(r.run.csvFile, path.join(fixtureDir, file));
      entries.set(file, {
        file,
        kind: 'single',
        ...endpointInfo(r.scenario, r.certs),
        testssl: {
          version: testsslVersion,
          hints: r.scenario.hints ?? false,
          checks: 'default run (no section flags)',
          command: r.run.command.map((a) => a.replace(work, '$LAB')).join(' '),
          exitCode: r.run.exitCode,
          startedAt: r.run.startedAt,
          durationSeconds: Math.round(r.run.durationMs / 1000),
          rows: r.rows.length,
        },
        generatedAt,
      });
    }
    if (mass) {
      await copyFile(mass.run.csvFile, path.join(fixtureDir, 'mass-scan.csv'));
      entries.set('mass-scan.csv', {
        file: 'mass-scan.csv',
        kind: 'mass',
        description: 'testssl --file <targets> --mode parallel with one --csvfile: several endpoints in one CSV, one header',
        targets: mass.scenarios.map((s) => endpointInfo(s, certsByScenario.get(s.name) ?? [])),
        testssl: {
          version: testsslVersion,
          hints: false,
          checks: 'default run (no section flags)',
          command: mass.run.command
            .map((a) => (a === mass!.run.massTargets?.file ? '$TARGETS' : a.replace(work, '$LAB'))).join(' '),
          targetsFile: mass.run.massTargets?.lines ?? [],
          exitCode: mass.run.exitCode,
          startedAt: mass.run.startedAt,
          durationSeconds: Math.round(mass.run.durationMs / 1000),
          rows: mass.rows.length,
        },
        generatedAt,
      });
    }
    const order = [...SCENARIOS.map((s) => `${s.name}.csv`), 'mass-scan.csv'];
    const files = [...entries.values()].sort((a, b) => order.indexOf(String(a['file'])) - order.indexOf(String(b['file'])));
    const manifest = {
      generator: 'test/lab/make-fixtures.ts',
      generatedAt,
      tool: { testssl: testsslVersion, openssl: opensslVersion, node: process.version },
      labCa: {
        subject: pki.caSubject,
        note: 'Throw-away CA made for this run and deleted afterwards; testssl trusted it via --add-ca.',
      },
      notes: [
        'Servers ran on 127.0.77.x at the real mail ports; host names are never resolved (--nodns none --ip).',
        'Paths in testssl.command: $LAB is the deleted temp folder, $TARGETS the --file list given in targetsFile.',
        'Leaf certificates name a CRL and OCSP URL under lab.example.test that nothing serves; testssl never fetches them.',
        'offers.cipherClasses uses the Observation model names (null, anon, export, des, 3des, rc4, cbc).',
        'gnutls-legacy ran gnutls-serv in its own network namespace (it cannot choose its listen address).',
      ],
      files,
    };
    const tmpManifest = `${manifestFile}.tmp`;
    await writeFile(tmpManifest, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmpManifest, manifestFile);
    log(`wrote ${files.length} manifest entries to ${path.relative(root, fixtureDir)}`);

    if (args.keepTemp) log(`kept ${work}`);
  } finally {
    await Promise.allSettled(stops.map((stop) => stop()));
    if (!args.keepTemp) await rm(work, { recursive: true, force: true });
  }
}

/**
 * The "Example Health" samples: each quarter starts the sample servers, scans every endpoint with
 * testssl (default run) under a clock shifted to the quarter's scan day, and keeps testssl's pretty
 * JSON, which records the scan's start time, so a report for the quarter needs no --observed-at.
 * Certificates are issued once, with fixed dates, and served in both quarters.
 */
async function makeSamples(root: string, jobs: number, testsslVersion: string, opensslVersion: string, resume?: string): Promise<void> {
  const log = (m: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
  // --resume DIR: the temp folder of an interrupted run (kept with --keep-temp or copied): its PKI
  // and the scans that passed are kept, the rest are made. Otherwise a fresh temp folder.
  const work = resume ? path.resolve(resume) : await mkdtemp(path.join(os.tmpdir(), 'tlsproof-samples-'));
  const stops: Array<() => Promise<void>> = [];
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stopActiveTestsslRuns();
      void Promise.allSettled(stops.map((stop) => stop())).then(() => (resume ? undefined : rm(work, { recursive: true, force: true }))).finally(() => process.exit(130));
    });
  }
  try {
    const pki = await makeLabPki(path.join(work, 'pki'), undefined, {
      caValidity: { notBefore: SAMPLE_VALIDITY.notBefore, notAfter: new Date('2036-12-31T23:59:59Z') }, reuse: resume !== undefined,
    });
    const dh1024 = await pki.dhParams(1024);
    const byName = new Map(SCENARIOS.map((s) => [s.name, s]));
    const certs = new Map<string, LabCert[]>();
    for (const name of SAMPLE) {
      const s = byName.get(name)!;
      certs.set(name, await Promise.all(s.certKinds.map((kind) => pki.issue({
        kind, hostname: s.host, name: `${s.name}-${kind}`,
        validity: kind === 'expiring' ? { notBefore: SAMPLE_VALIDITY.notBefore, notAfter: SAMPLE_EXPIRING_NOT_AFTER } : SAMPLE_VALIDITY,
      }))));
    }
    const quarters: Array<Record<string, unknown>> = [];
    const outputs: Array<{ dir: string; files: Array<[string, string]> }> = [];
    for (const q of SAMPLE_QUARTERS) {
      const staging = path.join(work, q.period);
      await mkdir(staging, { recursive: true });
      const quarterStops: Array<() => Promise<void>> = [];
      for (const name of q.scenarios) {
        const s = byName.get(name)!;
        const change = q.changes[name];
        const srv = await startLabServer({
          protocol: s.protocol, transport: s.transport, ip: s.ip, port: s.port, host: s.host, certs: certs.get(name) ?? [],
          ...(s.profile ? { profile: s.profile } : {}), ...(s.weakDh ? { dhParamFile: dh1024 } : {}),
          ...(change ? { tlsOverrides: change.tlsOverrides } : {}), log,
        });
        quarterStops.push(srv.stop);
        stops.push(srv.stop);
      }
      const scanOne = async (name: string): Promise<Record<string, unknown>> => {
        const s = byName.get(name)!;
        const expect = q.changes[name]?.expect ?? q.expect[name] ?? s.expect;
        const csvFile = path.join(staging, `${name}.csv`);
        const jsonFile = path.join(staging, `${name}.json`);
        const problemsOf = async (): Promise<{ problems: string[]; startTime: number }> => {
          const rows = existsSync(csvFile) ? await readTestsslCsv(csvFile) : [];
          const problems = checkRows({ ...s, expect }, rows);
          const startTime = existsSync(jsonFile)
            ? Number((JSON.parse(await readFile(jsonFile, 'utf8')) as { startTime?: string }).startTime) * 1000
            : Number.NaN;
          if (!Number.isFinite(startTime)) problems.push('no startTime in the JSON');
          else if (Math.abs(startTime - Date.parse(q.scanAt)) > 6 * 3600_000) problems.push(`startTime ${new Date(startTime).toISOString()} is not near ${q.scanAt}`);
          return { problems, startTime };
        };
        const record = (startTime: number, testssl: Record<string, unknown>): Record<string, unknown> => ({
          file: `${q.period}/${name}.json`, scenario: name, host: s.host, ip: s.ip, port: s.port,
          server: {
            transport: s.transport, tlsProfile: s.profile ?? 'modern', offers: offerFor(s),
            ...(q.changes[name] ? { changedThisQuarter: q.changes[name]!.note, tlsOverrides: q.changes[name]!.tlsOverrides } : {}),
            certificates: (certs.get(name) ?? []).map((c) => certRecord(c, pki)),
          },
          testssl: { version: testsslVersion, hints: s.hints ?? false, checks: 'default run (no section flags)', scanStartedAt: new Date(startTime).toISOString(), ...testssl },
        });
        if (resume && existsSync(jsonFile)) {
          const kept = await problemsOf();
          if (kept.problems.length === 0) {
            log(`${q.period} kept ${name} from the interrupted run`);
            return record(kept.startTime, { ranAt: (await stat(jsonFile)).mtime.toISOString(), note: 'scanned by an earlier, interrupted run of this script (same PKI, same command)' });
          }
        }
        for (let attempt = 1; ; attempt++) {
          // Computed per run, so every scan starts close to the quarter's scan day.
          const clockOffsetSeconds = Math.round((Date.parse(q.scanAt) - Date.now()) / 1000);
          log(`${q.period} scan ${name} attempt ${attempt}`);
          const run = await runTestssl({
            ip: s.ip, host: s.host, port: s.port,
            ...(s.transport === 'starttls' ? { starttls: s.protocol } : {}),
            // libfaketime slows every clock call: the legacy server's long cipher scan needs more than the default 10 minutes.
            csvFile, jsonFile, caFile: pki.caCertFile, hints: s.hints ?? false, clockOffsetSeconds, timeoutMs: 30 * 60_000,
            logFile: path.join(staging, `${name}.log`),
          });
          const { problems, startTime } = await problemsOf();
          log(`${q.period} done ${name}: exit ${run.exitCode}, ${Math.round(run.durationMs / 1000)} s${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''}`);
          if (problems.length === 0) {
            return record(startTime, {
              command: run.command.map((a) => a.replace(work, '$LAB')).join(' '),
              exitCode: run.exitCode, ranAt: run.startedAt, durationSeconds: Math.round(run.durationMs / 1000), clockOffsetSeconds,
            });
          }
          if (attempt >= 2) throw new Error(`${q.period} ${name}: unusable scan after ${attempt} attempts: ${problems.join('; ')}\n${run.output.slice(-2000)}`);
        }
      };
      const files = await pool(q.scenarios, jobs, scanOne);
      await Promise.allSettled(quarterStops.map((stop) => stop()));
      quarters.push({ period: q.period, scanAt: q.scanAt, files });
      outputs.push({ dir: q.period, files: q.scenarios.map((n) => [path.join(staging, `${n}.json`), `${n}.json`]) });
    }
    // Everything scanned: only now replace the committed samples.
    for (const o of outputs) {
      const dir = path.join(root, 'samples', o.dir);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      for (const [from, to] of o.files) await copyFile(from, path.join(dir, to));
    }
    const manifest = {
      generator: 'test/lab/make-fixtures.ts --samples',
      generatedAt: new Date().toISOString(),
      tool: { testssl: testsslVersion, openssl: opensslVersion, node: process.version, faketime: 'libfaketime (relative offset)' },
      labCa: { subject: pki.caSubject, note: 'Throw-away CA made for this run and deleted afterwards; testssl trusted it via --add-ca.' },
      notes: [
        'Servers ran on 127.0.77.x at the real mail ports; host names are never resolved (--nodns none --ip).',
        'testssl ran under faketime with its clock shifted to the quarter\'s scan day (testssl.clockOffsetSeconds): the JSON startTime and every certificate verdict are those of that day; testssl.ranAt is the real time of the run.',
        `Certificates: notBefore ${SAMPLE_VALIDITY.notBefore.toISOString()}, notAfter ${SAMPLE_VALIDITY.notAfter.toISOString()}, except mail.expiring.example.test (notAfter ${SAMPLE_EXPIRING_NOT_AFTER.toISOString()}); the same certificates in both quarters.`,
        'Paths in testssl.command: $LAB is the deleted temp folder.',
      ],
      quarters,
    };
    await writeFile(path.join(root, 'samples', 'MANIFEST.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    log(`wrote samples/${SAMPLE_QUARTERS.map((q) => q.period).join(', samples/')} and samples/MANIFEST.json`);
  } finally {
    await Promise.allSettled(stops.map((stop) => stop()));
    if (!resume) await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
