/**
 * Regenerates the REAL fixtures for the nmap XML and testssl.sh JSON ingesters (and the mixed-input
 * pair): starts lab mail servers on 127.0.61.x at the real mail ports, scans them with Debian's nmap
 * (`--script ssl-enum-ciphers,ssl-cert`, STARTTLS ports included) and testssl.sh 3.0.8
 * (`--jsonfile` / `--jsonfile-pretty`), and writes the files under `test/fixtures/ingest/` with a
 * MANIFEST.json saying what each server was configured with. Certificates and keys live in a temp
 * folder deleted at the end. Expected observations (`*.expected.json`) are then (re)written by
 * `npx vitest run test/ingest -u` and reviewed.
 *
 * Build and run as root (ports below 1024; private mount namespaces give nmap host names without DNS):
 *   npx tsc -p tsconfig.build.json && node dist/test/lab/formats/make-format-fixtures.js [--skip-testssl]
 *
 * Needs: nmap, testssl.sh, gnutls-bin, util-linux (unshare, nsenter), openssl.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeLabPki } from '../certs.js';
import type { LabCert, LabPki, LeafKind } from '../certs.js';
import { GNUTLS_LEGACY_PRIORITY, startGnutlsServer, startLabServer, tlsProfileOptions } from '../servers.js';
import type { LabTransport, MailProtocol, TlsProfile } from '../servers.js';
import { assertTestsslInstalled, runTestssl, runTestsslMass } from '../testssl.js';
import { findPackageRoot } from '../../../src/package-root.js';

const execFileP = promisify(execFile);

export const NMAP_INSTALL_HINT = 'nmap is not installed (command `nmap` not found). Install it with: apt-get install -y nmap';

interface Scenario {
  name: string;
  host: string;
  ip: string;
  port: number;
  protocol: MailProtocol;
  transport: LabTransport;
  profile?: TlsProfile;
  weakDh?: boolean;
  certKinds: LeafKind[];
  impl?: 'node-tls' | 'gnutls-serv';
}

const SCENARIOS: Scenario[] = [
  { name: 'smtp-good', host: 'mail.good.example.test', ip: '127.0.61.11', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'modern', certKinds: ['good'] },
  { name: 'submission-good', host: 'mail.good.example.test', ip: '127.0.61.11', port: 587, protocol: 'smtp', transport: 'starttls', profile: 'modern', certKinds: ['good', 'ec'] },
  { name: 'imap-good', host: 'imap.good.example.test', ip: '127.0.61.12', port: 143, protocol: 'imap', transport: 'starttls', profile: 'modern', certKinds: ['good'] },
  { name: 'pop3s-good', host: 'pop.good.example.test', ip: '127.0.61.13', port: 995, protocol: 'pop3', transport: 'implicit', profile: 'modern', certKinds: ['good'] },
  { name: 'smtp-legacy', host: 'mail.legacy.example.test', ip: '127.0.61.30', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'legacy', weakDh: true, certKinds: ['good'] },
  { name: 'imaps-legacy', host: 'mail.legacy.example.test', ip: '127.0.61.30', port: 993, protocol: 'imap', transport: 'implicit', profile: 'legacy', certKinds: ['good'] },
  { name: 'smtp-expired', host: 'mail.expired.example.test', ip: '127.0.61.20', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'modern', certKinds: ['expired'] },
  { name: 'smtp-selfsigned', host: 'mail.selfsigned.example.test', ip: '127.0.61.22', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'modern', certKinds: ['selfsigned'] },
  { name: 'smtp-wronghost', host: 'mail.wronghost.example.test', ip: '127.0.61.23', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'modern', certKinds: ['wronghost'] },
  { name: 'smtp-weakkey', host: 'mail.weakkey.example.test', ip: '127.0.61.24', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'weak-cert', certKinds: ['weakkey'] },
  { name: 'smtp-sha1', host: 'mail.sha1.example.test', ip: '127.0.61.25', port: 25, protocol: 'smtp', transport: 'starttls', profile: 'weak-cert', certKinds: ['sha1'] },
  { name: 'smtp-plaintext', host: 'mail.plaintext.example.test', ip: '127.0.61.33', port: 25, protocol: 'smtp', transport: 'none', certKinds: [] },
  { name: 'gnutls-legacy', host: 'mail.gnutls-legacy.example.test', ip: '127.0.61.32', port: 465, protocol: 'smtp', transport: 'implicit', certKinds: ['good'], impl: 'gnutls-serv' },
];

/** One endpoint behind a load balancer with two differently configured backends. */
const BALANCED = { host: 'mail.balanced.example.test', ip: '127.0.61.40', port: 25 } as const;

const NMAP_SCRIPTS = 'ssl-enum-ciphers,ssl-cert';
const MAIL_PORTS = '25,110,143,465,587,993,995';

/** The project folder (source or dist/), for fixture paths: one walk, the one the product uses. */
function findRepoRoot(start: string): string {
  const root = findPackageRoot(start);
  if (root === undefined) throw new Error(`no tlsproof package.json above ${start}`);
  return root.dir;
}

export async function nmapVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileP('nmap', ['--version'], { timeout: 30_000 });
    return /Nmap version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
  } catch {
    return undefined;
  }
}

export interface NmapRunOptions {
  targets: readonly string[];
  ports: string;
  /** Resolve these names to addresses for this run only (a private /etc/hosts in a mount namespace). */
  hosts?: readonly { name: string; ip: string }[];
  /** Network namespace to scan from (`nsenter --net=…`). */
  netns?: string;
  work: string;
}

/**
 * Runs nmap with the TLS scripts and returns its XML (written to stdout, so no temp path leaks
 * into the `args` attribute). Host names need no DNS: with `hosts`, nmap runs in its own mount
 * namespace where /etc/hosts maps them.
 */
export async function runNmap(o: NmapRunOptions): Promise<string> {
  const nmapArgs = ['-Pn', '-n', '-sT', '--script', NMAP_SCRIPTS, '-p', o.ports, '-oX', '-', ...o.targets];
  let argv: string[] = ['nmap', ...nmapArgs];
  if (o.hosts && o.hosts.length > 0) {
    const hostsFile = path.join(o.work, `hosts-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await writeFile(hostsFile, `127.0.0.1 localhost\n${o.hosts.map((h) => `${h.ip} ${h.name}`).join('\n')}\n`);
    // The only shell text is fixed; the hosts file and nmap's arguments travel as "$0" / "$@".
    argv = ['unshare', '--mount', '--', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, ...argv];
  }
  if (o.netns) argv = ['nsenter', `--net=${o.netns}`, '--', ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error(NMAP_INSTALL_HINT) : e));
    child.once('close', (code) => {
      const xml = Buffer.concat(out).toString('utf8');
      if (code !== 0 || !xml.includes('</nmaprun>')) reject(new Error(`nmap exited ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`));
      else resolve(xml);
    });
  });
}

function certRecord(c: LabCert, pki: LabPki): Record<string, unknown> {
  return {
    kind: c.kind, names: c.names, issuer: c.selfSigned ? 'self' : pki.caSubject, notBefore: c.notBefore, notAfter: c.notAfter,
    keyAlgorithm: c.keyAlgorithm, keyBits: c.keyBits, signatureAlgorithm: c.signatureAlgorithm, fingerprintSha256: c.fingerprintSha256,
  };
}

function offers(s: Scenario): Record<string, unknown> {
  if (s.transport === 'none') return { protocols: [], tls: false };
  if (s.impl === 'gnutls-serv') return { protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], cipherClasses: ['cbc', '3des', 'rc4'], gnutlsPriority: GNUTLS_LEGACY_PRIORITY };
  const profile = s.profile ?? 'modern';
  return profile === 'legacy'
    ? { protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], cipherClasses: ['cbc'], cipherString: String(tlsProfileOptions(profile).ciphers ?? ''), dhGroup: s.weakDh ? '1024-bit' : 'built-in' }
    : { protocols: ['TLSv1.2', 'TLSv1.3'], cipherClasses: [], cipherString: String(tlsProfileOptions(profile).ciphers ?? '') };
}

async function main(): Promise<void> {
  const skipTestssl = process.argv.includes('--skip-testssl');
  if (process.getuid?.() !== 0) throw new Error('run as root: the lab servers listen on ports below 1024 and nmap runs in private namespaces');
  const nmap = await nmapVersion();
  if (!nmap) throw new Error(NMAP_INSTALL_HINT);
  const testssl = skipTestssl ? undefined : await assertTestsslInstalled();
  const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
  const out = path.join(root, 'test', 'fixtures', 'ingest');
  const work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-formats-'));
  const log = (m: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
  log(`nmap ${nmap}, testssl ${testssl ?? '(skipped)'}; temp ${work}`);
  const stops: Array<() => Promise<void>> = [];
  const manifest: Record<string, unknown>[] = [];
  try {
    const pki = await makeLabPki(path.join(work, 'pki'));
    const dh1024 = await pki.dhParams(1024);
    const certs = new Map<string, LabCert[]>();
    for (const s of SCENARIOS) {
      certs.set(s.name, await Promise.all(s.certKinds.map((kind) => pki.issue({ kind, hostname: s.host, name: `${s.name}-${kind}` }))));
    }
    let gnutlsNetns: string | undefined;
    for (const s of SCENARIOS) {
      const c = certs.get(s.name) ?? [];
      if (s.impl === 'gnutls-serv') {
        const g = await startGnutlsServer({ ip: s.ip, port: s.port, certFile: c[0]!.certFile, keyFile: c[0]!.keyFile, log });
        stops.push(g.stop);
        gnutlsNetns = g.netns;
      } else {
        const srv = await startLabServer({
          protocol: s.protocol, transport: s.transport, ip: s.ip, port: s.port, host: s.host, certs: c,
          ...(s.profile ? { profile: s.profile } : {}), ...(s.weakDh ? { dhParamFile: dh1024 } : {}), log,
        });
        stops.push(srv.stop);
      }
    }
    const scenario = (name: string): Scenario => SCENARIOS.find((s) => s.name === name)!;
    const describe = (names: string[]): Record<string, unknown>[] => names.map((n) => {
      const s = scenario(n);
      return { scenario: n, host: s.host, ip: s.ip, port: s.port, transport: s.transport, profile: s.impl === 'gnutls-serv' ? 'gnutls-legacy' : (s.profile ?? 'none'), offers: offers(s), certificates: (certs.get(n) ?? []).map((c) => certRecord(c, pki)) };
    });
    const named = (names: string[]) => [...new Map(names.map((n) => [scenario(n).host, { name: scenario(n).host, ip: scenario(n).ip }])).values()];

    // nmap: by address (no names), by name (private /etc/hosts), and the gnutls server from inside its netns.
    const nmapDir = path.join(out, 'nmap-xml');
    await mkdir(nmapDir, { recursive: true });
    const nmapRuns: { file: string; names: string[]; byName: boolean; netns?: boolean }[] = [
      { file: 'by-address.xml', names: ['smtp-good', 'submission-good', 'imap-good', 'pop3s-good', 'smtp-legacy', 'imaps-legacy', 'smtp-plaintext'], byName: false },
      { file: 'good-by-name.xml', names: ['smtp-good', 'submission-good', 'imap-good', 'pop3s-good'], byName: true },
      { file: 'legacy-by-name.xml', names: ['smtp-legacy', 'imaps-legacy'], byName: true },
      { file: 'cert-defects.xml', names: ['smtp-expired', 'smtp-selfsigned', 'smtp-wronghost', 'smtp-weakkey', 'smtp-sha1'], byName: true },
      { file: 'plaintext.xml', names: ['smtp-plaintext'], byName: true },
      { file: 'gnutls-legacy.xml', names: ['gnutls-legacy'], byName: true, netns: true },
    ];
    for (const r of nmapRuns) {
      const targets = r.byName ? [...new Set(r.names.map((n) => scenario(n).host))] : [...new Set(r.names.map((n) => scenario(n).ip))];
      log(`nmap ${r.file}: ${targets.join(' ')}`);
      const xml = await runNmap({
        targets, ports: MAIL_PORTS, work, ...(r.byName ? { hosts: named(r.names) } : {}),
        ...(r.netns && gnutlsNetns ? { netns: gnutlsNetns } : {}),
      });
      await writeFile(path.join(nmapDir, r.file), xml);
      manifest.push({ file: `nmap-xml/${r.file}`, tool: `nmap ${nmap}`, command: `nmap -Pn -n -sT --script ${NMAP_SCRIPTS} -p ${MAIL_PORTS} -oX - ${targets.join(' ')}`, byName: r.byName, servers: describe(r.names) });
    }

    // testssl JSON (flat and pretty) from default runs; one CSV alongside for comparison.
    if (testssl) {
      const jsonDir = path.join(out, 'testssl-json');
      await mkdir(jsonDir, { recursive: true });
      const staging = path.join(work, 'testssl');
      await mkdir(staging, { recursive: true });
      const runs: { file: string; scenario: string; pretty: boolean }[] = [
        { file: 'smtp-good.flat.json', scenario: 'smtp-good', pretty: false },
        { file: 'smtp-legacy.pretty.json', scenario: 'smtp-legacy', pretty: true },
        { file: 'imaps-legacy.flat.json', scenario: 'imaps-legacy', pretty: false },
        { file: 'smtp-expired.pretty.json', scenario: 'smtp-expired', pretty: true },
      ];
      await Promise.all(runs.map(async (r) => {
        const s = scenario(r.scenario);
        const json = path.join(staging, r.file);
        log(`testssl ${r.file}`);
        const run = await runTestssl({
          ip: s.ip, host: s.host, port: s.port, ...(s.transport === 'starttls' ? { starttls: s.protocol } : {}),
          csvFile: path.join(staging, `${r.file}.csv`), caFile: pki.caCertFile,
          extraArgs: [r.pretty ? '--jsonfile-pretty' : '--jsonfile', json],
        });
        if (!existsSync(json)) throw new Error(`testssl wrote no ${r.file} (exit ${run.exitCode}): ${run.output.slice(-1500)}`);
        await copyFile(json, path.join(jsonDir, r.file));
        manifest.push({ file: `testssl-json/${r.file}`, tool: `testssl.sh ${testssl}`, command: run.command.map((a) => a.replace(work, '$LAB')).join(' '), servers: describe([r.scenario]) });
        log(`done ${r.file}: exit ${run.exitCode}, ${Math.round(run.durationMs / 1000)} s`);
      }));
      // A mass scan into one pretty file: several scanResult entries (one of them without TLS).
      const massJson = path.join(staging, 'mass-scan.pretty.json');
      const mass = ['pop3s-good', 'smtp-plaintext'];
      log('testssl mass scan (pretty JSON)');
      const massRun = await runTestsslMass({
        targets: mass.map((n) => { const s = scenario(n); return { ip: s.ip, host: s.host, port: s.port, ...(s.transport !== 'implicit' ? { starttls: s.protocol } : {}) }; }),
        csvFile: path.join(staging, 'mass-scan.csv'), caFile: pki.caCertFile, mode: 'serial', sections: ['-p', '-S'],
        extraArgs: ['--jsonfile-pretty', massJson],
      });
      if (!existsSync(massJson)) throw new Error(`testssl wrote no mass-scan JSON: ${massRun.output.slice(-1500)}`);
      await copyFile(massJson, path.join(jsonDir, 'mass-scan.pretty.json'));
      manifest.push({ file: 'testssl-json/mass-scan.pretty.json', tool: `testssl.sh ${testssl}`, command: massRun.command.map((a) => a.replace(work, '$LAB')).join(' '), servers: describe(mass) });

      // Mixed inputs: one endpoint behind a balancer whose two backends differ; testssl met the
      // modern one, nmap the legacy one (same name, address, port and certificate).
      const mixedDir = path.join(out, 'mixed');
      await mkdir(mixedDir, { recursive: true });
      const balancedCert = await pki.issue({ kind: 'good', hostname: BALANCED.host, name: 'balanced-good' });
      const backend = async (profile: TlsProfile) => startLabServer({ protocol: 'smtp', transport: 'starttls', ...BALANCED, certs: [balancedCert], profile, ...(profile === 'legacy' ? { dhParamFile: dh1024 } : {}), log });
      const modern = await backend('modern');
      log('mixed: testssl against the modern backend');
      const csv = path.join(staging, 'smtp-balanced.testssl.csv');
      const mixedRun = await runTestssl({ ...BALANCED, starttls: 'smtp', csvFile: csv, caFile: pki.caCertFile });
      await modern.stop();
      await copyFile(csv, path.join(mixedDir, 'smtp-balanced.testssl.csv'));
      const legacy = await backend('legacy');
      log('mixed: nmap against the legacy backend');
      const xml = await runNmap({ targets: [BALANCED.host], ports: String(BALANCED.port), hosts: [{ name: BALANCED.host, ip: BALANCED.ip }], work });
      await legacy.stop();
      await writeFile(path.join(mixedDir, 'smtp-balanced.nmap.xml'), xml);
      manifest.push({
        file: 'mixed/smtp-balanced.testssl.csv + mixed/smtp-balanced.nmap.xml', tool: `testssl.sh ${testssl} + nmap ${nmap}`,
        command: `${mixedRun.command.map((a) => a.replace(work, '$LAB')).join(' ')} ; nmap -Pn -n -sT --script ${NMAP_SCRIPTS} -p ${BALANCED.port} -oX - ${BALANCED.host}`,
        note: 'one endpoint, two backends: testssl met the modern one (TLS 1.2/1.3), nmap the legacy one (TLS 1.0-1.3, CBC, 1024-bit DHE); same certificate',
        certificate: certRecord(balancedCert, pki),
      });
    }

    await writeFile(path.join(out, 'MANIFEST.json'), `${JSON.stringify({
      generator: 'test/lab/formats/make-format-fixtures.ts', generatedAt: new Date().toISOString(),
      tools: { nmap, testssl: testssl ?? null, openssl: (await execFileP('openssl', ['version'])).stdout.trim(), node: process.version },
      labCa: { subject: pki.caSubject, note: 'Throw-away CA made for this run and deleted afterwards; testssl trusted it via --add-ca, nmap does not validate chains.' },
      fixtures: manifest,
    }, null, 2)}\n`);
    log(`wrote ${manifest.length} fixtures under ${path.relative(root, out)}`);
  } finally {
    await Promise.allSettled(stops.map((stop) => stop()));
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
