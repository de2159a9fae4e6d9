/**
 * A small stub resolver over dns-packet: UDP with a TCP retry on truncation, to one resolver
 * (`--resolver IP[:PORT]`, else the first nameserver in /etc/resolv.conf). It exists because
 * Node's `dns` module returns neither TLSA records nor the AD bit, and DANE counts only when the
 * resolver says the answer is DNSSEC-authenticated (as Postfix does).
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { TlsaRecord } from '../model/observation.js';

interface ResolverAddress {
  readonly ip: string;
  readonly port: number;
}

/** `IP`, `IP:PORT`, `[IPv6]:PORT`. Throws on anything else (a host name would need DNS to find DNS). */
export function parseResolver(s: string): ResolverAddress {
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(s);
  if (v6 && net.isIPv6(v6[1]!)) return { ip: v6[1]!, port: v6[2] ? Number(v6[2]) : 53 };
  if (net.isIPv6(s)) return { ip: s, port: 53 };
  const m = /^([0-9.]+)(?::(\d+))?$/.exec(s);
  if (m && net.isIPv4(m[1]!)) {
    const port = m[2] ? Number(m[2]) : 53;
    if (port > 0 && port < 65536) return { ip: m[1]!, port };
  }
  throw new Error(`"${s}" is not a resolver address: give IP or IP:PORT, e.g. 127.0.0.53:53 or [::1]:5353`);
}

/** The first nameserver of resolv.conf (what the system resolver would ask). */
export function systemResolver(resolvConf = '/etc/resolv.conf'): ResolverAddress {
  try {
    const text = readFileSync(resolvConf, 'utf8');
    for (const line of text.split('\n')) {
      const m = /^\s*nameserver\s+(\S+)/.exec(line);
      if (m && net.isIP(m[1]!)) return { ip: m[1]!, port: 53 };
    }
  } catch { /* fall through */ }
  return { ip: '127.0.0.1', port: 53 };
}

type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'OTHER';

interface DnsAnswer<T> {
  readonly name: string;
  readonly type: string;
  readonly rcode: Rcode;
  /** AD bit: the resolver validated the answer (or the proof of its absence) with DNSSEC. */
  readonly authenticated: boolean;
  readonly records: readonly T[];
  /** `dig`-like lines for evidence. */
  readonly text: string;
}

interface MxRecord { readonly preference: number; readonly exchange: string }
interface SrvRecord { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }

export class DnsError extends Error {
  constructor(message: string, readonly query: string) {
    super(message);
    this.name = 'DnsError';
  }
}

interface ResolverOptions {
  readonly server: ResolverAddress;
  readonly timeoutMs?: number;
  /** UDP attempts before giving up (default 2). */
  readonly attempts?: number;
}

const RCODES: Readonly<Record<number, Rcode>> = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

function txtString(data: unknown): string {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
}

export class Resolver {
  readonly server: ResolverAddress;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly cache = new Map<string, Promise<dnsPacket.DecodedPacket>>();
  /** Queries sent (for statistics). */
  queries = 0;

  constructor(opts: ResolverOptions) {
    this.server = opts.server;
    this.timeoutMs = opts.timeoutMs ?? 3000;
    this.attempts = opts.attempts ?? 2;
  }

  private packet(name: string, type: dnsPacket.RecordType): Buffer {
    return dnsPacket.encode({
      type: 'query',
      id: Math.floor(Math.random() * 65535),
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA,
      questions: [{ type, name, class: 'IN' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK, extendedRcode: 0, ednsVersion: 0, flag_do: true, options: [] }],
    });
  }

  private udp(query: Buffer): Promise<dnsPacket.DecodedPacket> {
    const id = query.readUInt16BE(0);
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket(net.isIPv6(this.server.ip) ? 'udp6' : 'udp4');
      const timer = setTimeout(() => { sock.close(); reject(new Error(`no answer from ${this.server.ip}:${this.server.port} within ${this.timeoutMs} ms`)); }, this.timeoutMs);
      sock.on('message', (msg) => {
        try {
          const pkt = dnsPacket.decode(msg);
          if (pkt.id !== id) return;
          clearTimeout(timer);
          sock.close();
          resolve(pkt);
        } catch { /* not ours or malformed: keep waiting */ }
      });
      sock.on('error', (err) => { clearTimeout(timer); sock.close(); reject(err); });
      sock.send(query, this.server.port, this.server.ip);
    });
  }

  private tcp(query: Buffer): Promise<dnsPacket.DecodedPacket> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: this.server.ip, port: this.server.port });
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no TCP answer within ${this.timeoutMs} ms`)); }, this.timeoutMs);
      sock.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          clearTimeout(timer);
          sock.destroy();
          try { resolve(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0)))); } catch (e) { reject(e as Error); }
        }
      });
      sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  private async raw(name: string, type: dnsPacket.RecordType): Promise<dnsPacket.DecodedPacket> {
    const key = `${type} ${name.toLowerCase()}`;
    let p = this.cache.get(key);
    if (!p) {
      p = (async () => {
        let lastErr: unknown;
        for (let i = 0; i < this.attempts; i++) {
          this.queries++;
          try {
            const q = this.packet(name, type);
            const pkt = await this.udp(q);
            return pkt.flag_tc ? await this.tcp(q) : pkt;
          } catch (err) {
            lastErr = err;
          }
        }
        throw new DnsError(`${type} ${name}: ${(lastErr as Error)?.message ?? 'no answer'}`, key);
      })();
      this.cache.set(key, p);
    }
    return p;
  }

  private async query<T>(name: string, type: dnsPacket.RecordType, pick: (a: dnsPacket.Answer) => T | undefined, show: (t: T) => string): Promise<DnsAnswer<T>> {
    const fqdn = name.replace(/\.$/, '');
    const pkt = await this.raw(fqdn, type);
    const rcode = RCODES[(pkt.flags ?? 0) & 0xf] ?? 'OTHER';
    const records: T[] = [];
    for (const a of pkt.answers ?? []) {
      if (a.type !== type) continue;
      const v = pick(a);
      if (v !== undefined) records.push(v);
    }
    const flags = `${rcode}${pkt.flag_ad ? ' ad' : ''}`;
    const lines = records.length > 0 ? records.map((r) => `${fqdn}. IN ${type} ${show(r)}`) : [`${fqdn}. IN ${type} (no records)`];
    return {
      name: fqdn, type, rcode, authenticated: pkt.flag_ad, records,
      text: [`;; ${type} ${fqdn} → ${flags} via ${this.server.ip}:${this.server.port}`, ...lines].join('\n'),
    };
  }

  mx(name: string): Promise<DnsAnswer<MxRecord>> {
    return this.query(name, 'MX', (a) => (a.type === 'MX' ? { preference: a.data.preference ?? 0, exchange: a.data.exchange.replace(/\.$/, '').toLowerCase() } : undefined),
      (r) => `${r.preference} ${r.exchange || '.'}.`.replace('..', '.'));
  }

  a(name: string): Promise<DnsAnswer<string>> {
    return this.query(name, 'A', (a) => (a.type === 'A' ? a.data : undefined), (r) => r);
  }

  aaaa(name: string): Promise<DnsAnswer<string>> {
    return this.query(name, 'AAAA', (a) => (a.type === 'AAAA' ? a.data : undefined), (r) => r);
  }

  srv(name: string): Promise<DnsAnswer<SrvRecord>> {
    return this.query(name, 'SRV', (a) => (a.type === 'SRV'
      ? { priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port ?? 0, target: a.data.target.replace(/\.$/, '').toLowerCase() }
      : undefined), (r) => `${r.priority} ${r.weight} ${r.port} ${r.target || '.'}`);
  }

  txt(name: string): Promise<DnsAnswer<string>> {
    return this.query(name, 'TXT', (a) => (a.type === 'TXT' ? txtString(a.data) : undefined), (r) => JSON.stringify(r));
  }

  tlsa(name: string): Promise<DnsAnswer<TlsaRecord>> {
    return this.query(name, 'TLSA', (a) => (a.type === 'TLSA'
      ? { usage: a.data.usage, selector: a.data.selector, matchingType: a.data.matchingType, data: a.data.certificate.toString('hex') }
      : undefined), (r) => `${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
  }

  /** A and AAAA together (AAAA only when `ipv6`). */
  async addresses(name: string, ipv6: boolean): Promise<{ ips: string[]; text: string; rcode: Rcode }> {
    if (net.isIP(name)) return { ips: [name], text: `${name} is an address`, rcode: 'NOERROR' };
    const [a, aaaa] = await Promise.all([this.a(name), ipv6 ? this.aaaa(name) : Promise.resolve(undefined)]);
    const ips = [...a.records, ...(aaaa?.records ?? [])];
    return { ips, text: [a.text, aaaa?.text].filter(Boolean).join('\n'), rcode: a.rcode };
  }
}
