/**
 * A real DNS server for tests: Debian's dnsmasq on one 127.0.0.0/8 address, answering only for the
 * zones the test declares (`--local`), with MX, SRV, TXT, A and raw records (TLSA, null MX) from
 * the command line. No upstream resolver is ever asked (`--no-resolv`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface DnsmasqZoneData {
  /** Zones answered locally (NXDOMAIN/NODATA for names not listed). */
  zones: string[];
  hosts?: { name: string; ip: string }[];
  mx?: { domain: string; target: string; preference: number }[];
  srv?: { name: string; target: string; port: number; priority?: number; weight?: number }[];
  txt?: { name: string; text: string }[];
  /** Raw records: type number and RDATA as hex (TLSA is 52, MX 15). */
  raw?: { name: string; type: number; hex: string }[];
}

export interface Dnsmasq {
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export function dnsmasqArgs(ip: string, port: number, d: DnsmasqZoneData): string[] {
  const args = [
    '--keep-in-foreground', '--no-resolv', '--no-hosts', '--no-poll', '--conf-file=/dev/null', '--pid-file=',
    '--bind-interfaces', `--listen-address=${ip}`, `--port=${port}`, '--user=root', '--log-facility=-',
  ];
  for (const z of d.zones) args.push(`--local=/${z}/`);
  for (const h of d.hosts ?? []) args.push(`--host-record=${h.name},${h.ip}`);
  for (const m of d.mx ?? []) args.push(`--mx-host=${m.domain},${m.target},${m.preference}`);
  for (const s of d.srv ?? []) args.push(`--srv-host=${s.name},${s.target},${s.port},${s.priority ?? 0},${s.weight ?? 0}`);
  for (const t of d.txt ?? []) args.push(`--txt-record=${t.name},${t.text}`);
  for (const r of d.raw ?? []) args.push(`--dns-rr=${r.name},${r.type},${r.hex}`);
  return args;
}

/** Starts dnsmasq and resolves once it answers on `ip:port`. */
export async function startDnsmasq(ip: string, port: number, data: DnsmasqZoneData): Promise<Dnsmasq> {
  if (!(net.isIPv4(ip) && ip.startsWith('127.'))) throw new Error(`dnsmasq binds 127.0.0.0/8 only, not ${ip}`);
  const child: ChildProcess = spawn('dnsmasq', dnsmasqArgs(ip, port, data), { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const onOut = (b: Buffer): void => { log.push(b.toString()); if (log.length > 50) log.shift(); };
  child.stdout?.on('data', onOut);
  child.stderr?.on('data', onOut);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dnsmasq did not start: ${log.join('')}`)), 10_000);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`dnsmasq exited (${code}): ${log.join('')}`)); });
    const poll = setInterval(() => {
      if (log.join('').includes('started')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    child.once('exit', () => clearInterval(poll));
  });
  child.removeAllListeners('exit');
  return {
    address: `${ip}:${port}`,
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
