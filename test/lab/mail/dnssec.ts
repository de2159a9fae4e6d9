/**
 * DNSSEC on loopback: a zone signed with ldns (ldns-keygen / ldns-signzone), served by NSD
 * (authoritative) and resolved by Unbound (validating), whose answers then carry the AD bit. Unbound
 * trusts the zone's DS as its only anchor and sends every query, the root included, to the local
 * NSD (stub zones), so nothing ever leaves 127.0.0.0/8. Both run in the foreground as children of
 * the test, with their own config, PID and working files in `dir`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface SignedZone {
  /** e.g. `signed.test` */
  name: string;
  /** Zone file body without SOA/NS (added here): `mx1 IN A 127.0.9.10` … names relative to the zone. */
  records: string[];
}

export interface DnssecLab {
  /** Unbound's address, for `--resolver`. */
  readonly resolver: string;
  readonly nsd: string;
  stop(): Promise<void>;
}

function child(cmd: string, args: string[], cwd: string): { proc: ChildProcess; out: string[] } {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  proc.stdout?.on('data', (b: Buffer) => { out.push(b.toString()); if (out.length > 100) out.shift(); });
  proc.stderr?.on('data', (b: Buffer) => { out.push(b.toString()); if (out.length > 100) out.shift(); });
  return { proc, out };
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const kill = setTimeout(() => proc.kill('SIGKILL'), 3000);
  proc.kill('SIGTERM');
  await exited;
  clearTimeout(kill);
}

async function waitUdp(ip: string, port: number, proc: ChildProcess, out: string[], what: string): Promise<void> {
  // A TCP connect tells us the daemon listens (both serve TCP too).
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`${what} exited: ${out.join('')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: ip, port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start: ${out.join('')}`);
}

export async function startDnssecLab(dir: string, zone: SignedZone, ips: { nsd: string; unbound: string }): Promise<DnssecLab> {
  for (const ip of [ips.nsd, ips.unbound]) {
    if (!(net.isIPv4(ip) && ip.startsWith('127.'))) throw new Error(`DNS servers bind 127.0.0.0/8 only, not ${ip}`);
  }
  const z = zone.name;
  const zoneFile = path.join(dir, `${z}.zone`);
  writeFileSync(zoneFile, [
    `$ORIGIN ${z}.`, '$TTL 300',
    `@ IN SOA ns.${z}. hostmaster.${z}. 1 3600 600 86400 300`,
    `@ IN NS ns.${z}.`,
    `ns IN A ${ips.nsd}`,
    ...zone.records, '',
  ].join('\n'));
  await execFileP('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', z], { cwd: dir });
  await execFileP('ldns-keygen', ['-a', 'ECDSAP256SHA256', z], { cwd: dir });
  const keys = readdirSync(dir).filter((f) => f.startsWith(`K${z}.+`) && f.endsWith('.key')).map((f) => f.slice(0, -4));
  const ds = readdirSync(dir).find((f) => f.startsWith(`K${z}.+`) && f.endsWith('.ds'));
  if (keys.length !== 2 || !ds) throw new Error(`ldns-keygen did not make two keys and a DS: ${readdirSync(dir).join(', ')}`);
  await execFileP('ldns-signzone', ['-n', zoneFile, ...keys], { cwd: dir });
  const dsRecord = readFileSync(path.join(dir, ds), 'utf8').trim().replace(/\s+/g, ' ');

  writeFileSync(path.join(dir, 'nsd.conf'), [
    'server:',
    `  ip-address: ${ips.nsd}`, '  port: 53', '  do-ip6: no', '  username: ""', `  zonesdir: "${dir}"`,
    `  pidfile: "${path.join(dir, 'nsd.pid')}"`, `  xfrdfile: "${path.join(dir, 'xfrd.state')}"`,
    `  zonelistfile: "${path.join(dir, 'zone.list')}"`, '  database: ""', `  logfile: "${path.join(dir, 'nsd.log')}"`,
    '  verbosity: 1', '  server-count: 1',
    'remote-control:', '  control-enable: no',
    'zone:', `  name: ${z}`, `  zonefile: "${zoneFile}.signed"`, '',
  ].join('\n'));
  const nsd = child('nsd', ['-d', '-c', path.join(dir, 'nsd.conf')], dir);
  try {
    await waitUdp(ips.nsd, 53, nsd.proc, nsd.out, 'nsd');
  } catch (err) {
    await stopChild(nsd.proc);
    throw err;
  }

  writeFileSync(path.join(dir, 'unbound.conf'), [
    'server:',
    `  interface: ${ips.unbound}`, '  port: 53', '  do-ip6: no', '  username: ""', '  chroot: ""', `  directory: "${dir}"`,
    `  pidfile: "${path.join(dir, 'unbound.pid')}"`, '  use-syslog: no', `  logfile: "${path.join(dir, 'unbound.log')}"`,
    '  access-control: 127.0.0.0/8 allow', '  do-not-query-localhost: no', '  qname-minimisation: no',
    '  module-config: "validator iterator"', '  val-log-level: 2', '  num-threads: 1',
    `  trust-anchor: "${dsRecord}"`,
    // Unbound answers the special-use "test." itself (RFC 6761) unless told not to.
    '  local-zone: "test." nodefault',
    // Every query goes to the local NSD, the root included: the lab never asks the Internet.
    'stub-zone:', `  name: "${z}"`, `  stub-addr: ${ips.nsd}`,
    'stub-zone:', '  name: "."', `  stub-addr: ${ips.nsd}`,
    'remote-control:', '  control-enable: no', '',
  ].join('\n'));
  const unbound = child('unbound', ['-d', '-c', path.join(dir, 'unbound.conf')], dir);
  try {
    await waitUdp(ips.unbound, 53, unbound.proc, unbound.out, 'unbound');
  } catch (err) {
    await stopChild(unbound.proc);
    await stopChild(nsd.proc);
    throw err;
  }
  return {
    resolver: `${ips.unbound}:53`,
    nsd: `${ips.nsd}:53`,
    stop: async () => {
      await stopChild(unbound.proc);
      await stopChild(nsd.proc);
    },
  };
}
