/**
 * Shared vocabulary for the scanner formats: protocol names as each tool spells them, cipher
 * suite names (IANA `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` and OpenSSL `ECDHE-RSA-AES128-GCM-SHA256`)
 * sorted into the Observation model's cipher classes, certificate dates in the tools' formats,
 * and a small builder that groups facts by endpoint. Pure functions; no I/O.
 */
import { strictUtc } from '../time.js';
import { endpointKey, serviceForPort, type Endpoint, type Service, type Transport } from '../model/endpoint.js';
import {
  CIPHER_CLASSES, emptyObservation, PROTOCOLS, type CertificateFacts, type CipherClass, type KeyAlgorithm,
  type Observation, type Protocol,
} from '../model/observation.js';
import { fact, ownedString, type SourceRef } from '../model/source.js';
import type { IngestContext } from './types.js';
import type { SkippedRecords } from '../model/input-file.js';

/**
 * `TLSv1.2`, `TLSv12`, `TLS1_2`, `TLS_1_2`, `tls_1_2`, `TLSv1`, `TLS 1.0`, `SSLv3`, `SSL_3_0`,
 * `SSL 2.0` → the model's protocol name.
 */
export function protocolFromName(name: string): Protocol | undefined {
  const m = /^(ssl|tls)\s*[v_ ]?\s*(\d)(?:[._ ]?(\d))?$/i.exec(name.trim());
  if (!m) return undefined;
  const family = m[1]!.toLowerCase();
  const major = Number(m[2]);
  const minor = m[3] === undefined ? 0 : Number(m[3]);
  if (family === 'ssl') return major === 2 ? 'SSLv2' : major === 3 ? 'SSLv3' : undefined;
  if (major !== 1) return undefined;
  return (['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const)[minor];
}

interface SuiteInfo {
  readonly classes: readonly CipherClass[];
  /** Ephemeral (EC)DH key exchange, or a TLS 1.3 suite. */
  readonly forwardSecrecy: boolean;
}

const cache = new Map<string, SuiteInfo>();

/** Sorts one cipher suite into the model's classes, from its IANA or OpenSSL name. */
export function classifySuite(rawName: string): SuiteInfo {
  const hit = cache.get(rawName);
  if (hit) return hit;
  const name = rawName.trim().toUpperCase();
  const iana = name.startsWith('TLS_') || name.startsWith('SSL_');
  const classes: CipherClass[] = [];
  let fs: boolean;
  if (iana) {
    // TLS 1.3 suites have no key exchange in their name; nmap spells them TLS_AKE_WITH_….
    const tls13 = !name.includes('_WITH_') || name.startsWith('TLS_AKE_WITH_');
    if (name.includes('_ANON_')) classes.push('anon');
    if (name.includes('EXPORT')) classes.push('export');
    if (/_WITH_NULL_|_NULL_(SHA|MD5)/.test(name)) classes.push('null');
    if (name.includes('RC4')) classes.push('rc4');
    if (name.includes('3DES') || name.includes('IDEA')) classes.push('3des');
    else if (/_DES(40)?_|_DES_CBC|RC2/.test(name) && !name.includes('EXPORT')) classes.push('des');
    if (name.includes('_CBC') && !/3DES|_DES|IDEA|RC2/.test(name)) classes.push('cbc');
    fs = tls13 || (/^TLS_(EC)?DHE_/.test(name) && !name.includes('_ANON_'));
  } else {
    const anon = /^(ADH|AECDH)-|-ANON-|^AECDH|^ADH/.test(name);
    if (anon) classes.push('anon');
    if (/^EXP\d*-|-EXP-|EXPORT/.test(name)) classes.push('export');
    if (/(^|-)NULL(-|$)/.test(name)) classes.push('null');
    if (name.includes('RC4')) classes.push('rc4');
    if (name.includes('DES-CBC3') || name.includes('3DES') || name.includes('IDEA')) classes.push('3des');
    else if (/(^|-)DES(-CBC)?-|RC2/.test(name) && !classes.includes('export')) classes.push('des');
    const aead = /GCM|CCM|CHACHA|POLY1305/.test(name);
    if (!aead && !classes.some((c) => c === 'rc4' || c === 'null' || c === '3des' || c === 'des') && /AES|CAMELLIA|ARIA|SEED/.test(name)) {
      classes.push('cbc');
    }
    fs = name.startsWith('TLS13') || (/^(ECDHE|DHE|EDH)-/.test(name) && !anon);
  }
  const info = { classes, forwardSecrecy: fs };
  // The key outlives the record: a name cut from a parser's chunk would keep the chunk alive.
  cache.set(ownedString(rawName), info);
  return info;
}

/**
 * Static-RSA key exchange (no forward secrecy), from an IANA name (`TLS_RSA_WITH_AES_128_CBC_SHA`,
 * `SSL_RSA_EXPORT_WITH_RC4_40_MD5`) or an OpenSSL name (`AES128-SHA`, `DES-CBC3-SHA`,
 * `EXP-RC4-MD5`): OpenSSL names kRSA suites by their cipher alone, every other key exchange
 * (ECDHE-, DHE-, EDH-, ADH-, PSK-, SRP-, DH-, ECDH-, GOST…) has a prefix.
 */
export function isStaticRsaSuite(rawName: string): boolean {
  const name = rawName.trim().toUpperCase();
  if (name.startsWith('TLS_') || name.startsWith('SSL_')) return /^(TLS|SSL)_RSA_(EXPORT\w*_)?WITH_/.test(name);
  return /^(EXP1024-|EXP-)?(AES|CAMELLIA|DES|RC4|RC2|NULL|SEED|IDEA|ARIA)/.test(name) && !/PSK|SRP/.test(name);
}

/** Ephemeral finite-field DH key exchange (DHE/EDH, not anonymous), from an IANA or OpenSSL name. */
export function isDheSuite(rawName: string): boolean {
  const name = rawName.trim().toUpperCase();
  if (name.startsWith('TLS_') || name.startsWith('SSL_')) return /^(TLS|SSL)_DHE_/.test(name);
  return /^(EXP-)?(DHE|EDH)-/.test(name);
}

/** Collects the suites a complete cipher enumeration found, then states the class facts. */
export class CipherInventory {
  private readonly seen = new Map<CipherClass, true>();
  private fs = false;
  suites = 0;

  add(name: string, extra?: { anon?: boolean; forwardSecrecy?: boolean }): void {
    const info = classifySuite(name);
    this.suites++;
    for (const c of info.classes) this.seen.set(c, true);
    if (extra?.anon) this.seen.set('anon', true);
    if (extra?.forwardSecrecy ?? info.forwardSecrecy) this.fs = true;
  }

  /**
   * Writes the facts into `obs`. With `complete`, classes never seen are stated as not offered
   * (the tool enumerated every suite); otherwise only what was seen is stated.
   */
  apply(obs: Observation, source: SourceRef, complete: boolean): void {
    for (const c of CIPHER_CLASSES) {
      // An earlier row that already showed the class offered stays the citation.
      if (this.seen.has(c)) {
        if (obs.cipherClasses[c]?.value !== true) obs.cipherClasses[c] = fact(true, source);
      }
      else if (complete && obs.cipherClasses[c] === undefined) obs.cipherClasses[c] = fact(false, source);
    }
    if (this.fs) {
      if (obs.forwardSecrecy?.value !== true) obs.forwardSecrecy = fact(true, source);
    }
    else if (complete && this.suites > 0 && obs.forwardSecrecy === undefined) obs.forwardSecrecy = fact(false, source);
  }
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/**
 * Certificate and scan dates as scanners print them, read as UTC when no zone is given:
 * `Jul 20 11:09:29 2017 GMT` (OpenSSL/Nessus), `2026-11-27T19:11:51` (nmap),
 * `2019-03-12 12:00:00 UTC` (Greenbone), ISO 8601 with a zone. Undefined when not a date.
 */
export function parseScannerDate(text: string): string | undefined {
  const s = text.trim();
  let m = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})(?:\s+(GMT|UTC|Z))?$/.exec(s);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    if (month === undefined) return undefined;
    return iso(strictUtc(Number(m[6]), month + 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) {
    const zone = m[7];
    const base = strictUtc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
    if (base === undefined) return undefined;
    let offsetMin = 0;
    if (zone && /^[+-]/.test(zone)) {
      const z = zone.replace(':', '');
      offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    }
    return iso(base - offsetMin * 60_000);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return iso(strictUtc(Number(m[1]), Number(m[2]), Number(m[3])));
  return undefined;
}

function iso(ms: number | undefined): string | undefined {
  return ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** `RSA`, `rsaEncryption`, `RSA Encryption`, `EC Public Key`, `id-ecPublicKey`, `ecdsa`, `ed25519` → model name. */
export function keyAlgorithmFrom(text: string): KeyAlgorithm {
  const t = text.trim().toLowerCase().replace(/^_+/, '');
  if (t.startsWith('ed') || t.includes('eddsa') || t.includes('25519') || t.includes('448')) return 'EdDSA';
  if (t.startsWith('ec') || t.includes('ecpublickey') || t.includes('elliptic')) return 'EC';
  if (t.includes('rsa')) return 'RSA';
  if (t.includes('dsa')) return 'DSA';
  return 'other';
}

/** Upper-case hex pairs joined by colons (as testssl and nmap's peers print them), from any spacing. */
export function normaliseFingerprint(text: string): string | undefined {
  const hex = text.replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (hex.length !== 64) return undefined;
  return hex.match(/../g)!.join(':');
}

/** The certificate with this index, created when first mentioned. */
export function certificateAt(obs: Observation, index: number): CertificateFacts {
  let cert = obs.certificates.find((c) => c.index === index);
  if (!cert) {
    cert = { index };
    obs.certificates.push(cert);
    obs.certificates.sort((a, b) => a.index - b.index);
  }
  return cert;
}

/** `CN=mail.example.com, O=Example` or `commonName=mail.example.com/organizationName=…` → the CN. */
export function commonNameOf(dn: string): string | undefined {
  const m = /(?:^|[,/]\s*)(?:CN|commonName)\s*=\s*([^,/]+)/i.exec(dn);
  return m ? m[1]!.trim() : undefined;
}

export function isIpAddress(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s));
}

/** Service names tools print (nmap's services table, sslyze's STARTTLS protocols) → the model's. */
const SERVICE_NAMES: Readonly<Record<string, { service: Service; transport: Transport }>> = {
  smtp: { service: 'smtp', transport: 'starttls' },
  submission: { service: 'submission', transport: 'starttls' },
  smtps: { service: 'submissions', transport: 'implicit' },
  submissions: { service: 'submissions', transport: 'implicit' },
  imap: { service: 'imap', transport: 'starttls' },
  imaps: { service: 'imaps', transport: 'implicit' },
  pop3: { service: 'pop3', transport: 'starttls' },
  pop3s: { service: 'pop3s', transport: 'implicit' },
  https: { service: 'https', transport: 'implicit' },
};

/**
 * Service and transport for an endpoint: the port's IANA assignment when it has one (so every
 * format agrees on what port 25 is), else what the tool called the service.
 */
export function endpointServiceFor(port: number, toolService?: string): { service: Service; transport: Transport } {
  const byPort = serviceForPort(port);
  if (byPort.service !== 'other' || !toolService) return byPort;
  return SERVICE_NAMES[toolService.toLowerCase()] ?? byPort;
}

/** A copy of `s` that shares no memory with a larger string (see model/source). */
export { ownedString };

/**
 * Observations of one file grouped by endpoint (host + ip + port), created on first mention
 * with the file's time and the tool's name.
 */
export class EndpointTable {
  private readonly byKey = new Map<string, Observation>();

  constructor(private readonly ctx: IngestContext, private readonly tool: string) {}

  get(host: string, ip: string | undefined, port: number, service?: { service: Service; transport: Transport }): Observation {
    const key = endpointKey({ host, ...(ip ? { ip } : {}), port });
    let obs = this.byKey.get(key);
    if (!obs) {
      const svc = service ?? serviceForPort(port);
      // Copies: a name cut from a parser's chunk would keep the whole chunk alive with the observation.
      const endpoint: Endpoint = { host: ownedString(host), ...(ip && ip !== host ? { ip: ownedString(ip) } : {}), port, service: svc.service, transport: svc.transport };
      obs = emptyObservation(endpoint, this.ctx.observedAt, this.ctx.observedAtSource);
      obs.tool = this.tool;
      // The key is built from the same names: a copy, or it would keep their chunk alive too.
      this.byKey.set(ownedString(key), obs);
    }
    return obs;
  }

  has(host: string, ip: string | undefined, port: number): boolean {
    return this.byKey.has(endpointKey({ host, ...(ip ? { ip } : {}), port }));
  }

  all(): Observation[] {
    return [...this.byKey.values()];
  }
}

/**
 * Derived facts once a file is read: TLS was available when any protocol is offered (or when
 * the tool saw a handshake), and STARTTLS was then offered on a STARTTLS transport.
 */
export function finishAvailability(obs: Observation): void {
  if (obs.tlsAvailable === undefined) {
    const offered = PROTOCOLS.map((p) => obs.protocols[p]).find((f) => f?.value === true);
    if (offered) obs.tlsAvailable = fact(true, offered.source);
  }
  // A handshake on a STARTTLS port means STARTTLS was offered and accepted.
  if (obs.endpoint.transport === 'starttls' && obs.startTlsOffered === undefined && obs.tlsAvailable?.value === true) {
    obs.startTlsOffered = fact(true, obs.tlsAvailable.source);
  }
}

/** Counts rows per plugin/VT/row id that were read but not used (by default: no TLS evidence). */
export class SkipCounter {
  private readonly byId = new Map<string, { name: string; records: number }>();
  private total = 0;

  constructor(private readonly reason: SkippedRecords['reason'] = 'not-tls-related') {}

  add(id: string, name: string): void {
    this.total++;
    const e = this.byId.get(id);
    if (e) e.records++;
    else this.byId.set(ownedString(id), { name: ownedString(name), records: 1 });
  }

  summary(): SkippedRecords[] {
    if (this.total === 0) return [];
    const ids = [...this.byId.entries()]
      .map(([id, e]) => ({ id, name: e.name, records: e.records }))
      .sort((a, b) => b.records - a.records || (a.id < b.id ? -1 : 1));
    return [{ reason: this.reason, records: this.total, ids: ids.slice(0, 100), moreIds: Math.max(0, ids.length - 100) }];
  }
}
