/**
 * nmap XML (`-oX`) from `--script ssl-enum-ciphers,ssl-cert` (optionally `sslv2`), implicit TLS
 * ports and the STARTTLS ports nmap upgrades by itself (25, 587, 110, 143…). One Observation per
 * open port, streamed with saxes: a port's facts are built when its `</port>` closes.
 *
 * ssl-enum-ciphers tries SSLv3 to TLS 1.3 and every suite it knows, so its table is a complete
 * inventory: versions it does not list are not offered, and cipher classes it does not see are
 * not offered. SSLv2 is tested only by the separate `sslv2` script. ssl-cert gives the server
 * certificate; nmap does not validate chains, so trust is stated only for a self-signed
 * certificate, and the host name is checked against the certificate only when nmap was given a
 * name (not an address).
 */
import { X509Certificate } from 'node:crypto';
import { SaxesParser } from 'saxes';
import { CIPHER_CLASSES, PROTOCOLS, type CipherClass, type Observation, type Protocol } from '../model/observation.js';
import { fact, type Fact, type SourceRef } from '../model/source.js';
import { excerpt } from './csv.js';
import {
  certificateAt, CipherInventory, classifySuite, EndpointTable, endpointServiceFor, isDheSuite, isStaticRsaSuite, keyAlgorithmFrom,
  normaliseFingerprint, ownedString, parseScannerDate, protocolFromName, SkipCounter,
} from './tls-names.js';
import type { DocumentIngester, IngestContext } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { boundedAttributes, boundedText, xmlOversized } from './limits.js';
import { xmlFailure } from './xml-failure.js';
import { PROBLEM } from './messages.js';

/** A `<table>` of script output: its `<elem>`s by key (unkeyed ones in order) and nested tables. */
interface NmapTable {
  readonly key: string | undefined;
  readonly elems: Map<string, string>;
  readonly list: string[];
  readonly tables: NmapTable[];
}

function newTable(key: string | undefined): NmapTable {
  return { key, elems: new Map(), list: [], tables: [] };
}

function child(t: NmapTable | undefined, key: string): NmapTable | undefined {
  return t?.tables.find((x) => x.key === key);
}

interface ScriptResult {
  readonly id: string;
  readonly output: string;
  readonly line: number;
  readonly root: NmapTable;
}

interface PortState {
  readonly portid: number;
  readonly protocol: string;
  readonly line: number;
  state: string;
  service: string | undefined;
  tunnel: string | undefined;
  readonly scripts: ScriptResult[];
}

interface HostState {
  addresses: { addr: string; type: string }[];
  hostnames: { name: string; type: string }[];
  starttime: string | undefined;
  endtime: string | undefined;
}

const SSL_PROTOCOL_TABLES = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/**
 * A fact whose value shares no memory with the input: a literal, a boolean or number, or a
 * string built here (toISOString). fact() would copy it again; for the constant verdicts of
 * every port that was one copy per port, kept with each observation.
 */
function ownFact<T>(value: T, source: SourceRef): Fact<T> {
  return { value, source };
}

/** The scripts whose `<table>`/`<elem>` output is read; any other script keeps only its id and output text. */
const STRUCTURED_SCRIPTS = new Set(['ssl-enum-ciphers', 'ssl-cert', 'sslv2']);

/**
 * `<elem>` keys no reader asks for (a cipher's strength grade, the key's modulus, nmap's own
 * digests): their text is not collected. Not inside `subject`/`issuer`, whose elems are all
 * read (distinguishedName) and whose keys are attribute names a certificate chooses.
 */
const UNREAD_ELEMS = new Set(['strength', 'critical', 'modulus', 'exponent', 'md5', 'sha1', 'least strength']);

export const nmapXml: DocumentIngester = {
  id: 'nmap-xml',
  syntax: 'xml',
  describe: 'nmap XML (-oX) with --script ssl-enum-ciphers,ssl-cert',
  sniff(head) {
    return /<nmaprun[\s>]/.test(head);
  },
  async consume(text, ctx) {
    const reader = new NmapReader(ctx);
    for await (const chunk of text) {
      if (!reader.write(chunk)) break;
    }
    return reader.end();
  },
};

class NmapReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly table: EndpointTable;
  private readonly skipped = new SkipCounter();
  private version: string | undefined;
  private runStart: string | undefined;
  private runEnd: string | undefined;
  private args: string | undefined;
  private sslScriptsRequested = true;
  private host: HostState | undefined;
  private port: PortState | undefined;
  private script: { id: string; output: string; line: number; stack: NmapTable[]; structured: boolean } | undefined;
  /** The open `<elem>` whose text is being collected (fields, not an object per elem). */
  private inElem = false;
  private elemKey: string | undefined;
  private elemText = '';
  private ports = 0;
  private failed = false;
  /** `obs.tool`, the same for every port of the run. */
  private toolName: string | undefined;
  /** The last host time read and its ISO form (every port of a host shares it). */
  private timeText: string | undefined;
  private timeIso = '';
  private readonly onText: (t: string) => void;

  constructor(private readonly ctx: IngestContext) {
    this.table = new EndpointTable(ctx, 'nmap');
    const p = this.parser;
    p.on('opentag', (tag) => this.open(tag.name, boundedAttributes(tag.attributes as Record<string, string>,
      (name, length) => this.ctx.problem(xmlOversized(p.line, `attribute ${name} of <${tag.name}>`, length)))));
    p.on('closetag', (tag) => this.close(tag.name));
    // The text handler is set only while an <elem> is open (see open/close): without one, saxes
    // does not collect the whitespace between tags, which is most of the text in nmap's output.
    this.onText = (t) => {
      if (this.inElem) this.elemText = boundedText(this.elemText, t, (length) => this.ctx.problem(xmlOversized(p.line, 'the text of an <elem>', length)));
    };
    p.on('error', (err) => {
      if (this.failed) return;
      this.failed = true;
      const where = this.port ? PROBLEM.insideRecord(`<port> ${this.port.portid}`, this.port.line) : '';
      const f = xmlFailure(err, where, this.ports, 'port');
      this.ctx.problem({ line: this.parser.line, code: f.code, effect: 'row-skipped', message: f.message });
    });
  }

  /** Feeds a chunk; false once the document is broken (the rest would be guesswork). */
  write(chunk: string): boolean {
    if (this.failed) return false;
    this.parser.write(chunk);
    return !this.failed;
  }

  private open(name: string, a: Record<string, string>): void {
    const script = this.script;
    if (script) {
      if (!script.structured) return;
      if (name === 'table') {
        const t = newTable(a['key']);
        script.stack[script.stack.length - 1]!.tables.push(t);
        script.stack.push(t);
      } else if (name === 'elem') {
        const key = a['key'];
        if (key !== undefined && UNREAD_ELEMS.has(key)) {
          const top = script.stack[script.stack.length - 1]!.key;
          if (top !== 'subject' && top !== 'issuer') return;
        }
        this.inElem = true;
        this.elemKey = key;
        this.elemText = '';
        this.parser.on('text', this.onText);
      }
      return;
    }
    switch (name) {
      case 'nmaprun':
        this.version = a['version'];
        this.runStart = a['start'];
        this.args = a['args'];
        if (a['args'] && !/ssl-enum-ciphers|ssl-cert|sslv2|\bssl\b|default|vuln|safe/.test(a['args'])) this.sslScriptsRequested = false;
        return;
      case 'finished':
        this.runEnd = a['time'];
        return;
      case 'host':
        this.host = { addresses: [], hostnames: [], starttime: a['starttime'], endtime: a['endtime'] };
        return;
      case 'address':
        this.host?.addresses.push({ addr: a['addr'] ?? '', type: a['addrtype'] ?? '' });
        return;
      case 'hostname':
        this.host?.hostnames.push({ name: a['name'] ?? '', type: a['type'] ?? '' });
        return;
      case 'port':
        this.port = {
          portid: Number(a['portid']), protocol: a['protocol'] ?? 'tcp', line: this.parser.line,
          state: '', service: undefined, tunnel: undefined, scripts: [],
        };
        return;
      case 'state':
        if (this.port) this.port.state = a['state'] ?? '';
        return;
      case 'service':
        if (this.port) {
          this.port.service = a['name'];
          this.port.tunnel = a['tunnel'];
        }
        return;
      case 'script':
        if (this.port) {
          const id = a['id'] ?? '';
          this.script = { id, output: a['output'] ?? '', line: this.parser.line, stack: [newTable(undefined)], structured: STRUCTURED_SCRIPTS.has(id) };
        }
        return;
      default:
    }
  }

  private close(name: string): void {
    if (this.script) {
      if (name === 'elem') {
        if (!this.inElem) return;
        this.parser.off('text');
        const top = this.script.stack[this.script.stack.length - 1]!;
        if (this.elemKey === undefined) top.list.push(this.elemText);
        else top.elems.set(this.elemKey, this.elemText);
        this.inElem = false;
        this.elemText = '';
      } else if (name === 'table') {
        if (this.script.structured) this.script.stack.pop();
      } else if (name === 'script') {
        this.port?.scripts.push({ id: this.script.id, output: this.script.output, line: this.script.line, root: this.script.stack[0]! });
        this.script = undefined;
      }
      return;
    }
    if (name === 'port' && this.port) {
      this.ports++;
      this.finishPort(this.port);
      this.port = undefined;
    } else if (name === 'host') {
      this.host = undefined;
    }
  }

  private hostIdentity(): { host: string; ip: string | undefined; named: boolean } {
    const h = this.host;
    const ip = h?.addresses.find((a) => a.type === 'ipv4' || a.type === 'ipv6')?.addr;
    const user = h?.hostnames.find((n) => n.type === 'user')?.name;
    const ptr = h?.hostnames.find((n) => n.type === 'PTR')?.name;
    const host = user ?? ptr ?? ip ?? '';
    return { host, ip, named: user !== undefined };
  }

  private finishPort(p: PortState): void {
    const { host, ip, named } = this.hostIdentity();
    if (host === '') {
      this.ctx.problem({ line: p.line, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.portNoAddress(p.portid) });
      return;
    }
    if (p.state !== 'open') {
      this.skipped.add(`port-${p.state || 'unknown'}`, `ports ${p.state || 'in an unknown state'} (no service to assess)`);
      return;
    }
    if (!Number.isInteger(p.portid) || p.portid <= 0 || p.portid > 65535) {
      this.ctx.problem({ line: p.line, code: 'bad-port', effect: 'row-skipped', message: PROBLEM.portidNotPort(p.portid) });
      return;
    }
    const svc = endpointServiceFor(p.portid, p.service);
    const service = p.tunnel === 'ssl' && svc.transport === 'starttls' ? { ...svc, transport: 'implicit' as const } : svc;
    const obs = this.table.get(host, ip, p.portid, service);
    obs.tool = this.toolName ??= ownedString(this.version ? `nmap ${this.version}` : 'nmap');
    const time = this.host?.endtime ?? this.host?.starttime ?? this.runStart;
    if (time && /^\d+$/.test(time)) {
      if (time !== this.timeText) {
        this.timeText = time;
        this.timeIso = new Date(Number(time) * 1000).toISOString();
      }
      obs.observedAt = this.timeIso;
      obs.observedAtSource = 'input';
    }
    const label = `${host}${ip && ip !== host ? ` (${ip})` : ''} ${p.protocol}/${p.portid}`;
    const portSource: SourceRef = {
      kind: 'nmap-xml', file: this.ctx.file, line: p.line,
      excerpt: ownedString(excerpt(`nmap: ${label} ${p.state}${p.service ? ` ${p.service}` : ''}${p.scripts.length === 0 ? ' (no TLS script output)' : ''}`)),
    };
    obs.sources.push(portSource);
    let sawTls = false;
    for (const s of p.scripts) {
      const source: SourceRef = {
        kind: 'nmap-xml', file: this.ctx.file, line: s.line,
        excerpt: ownedString(excerpt(`nmap ${s.id} ${label}: ${s.output.slice(0, 400).trim().replace(/\s*\n\s*/g, ' · ')}`)),
      };
      if (s.id === 'ssl-enum-ciphers') {
        obs.sources.push(source);
        sawTls = applyEnumCiphers(obs, s.root, source) || sawTls;
      } else if (s.id === 'ssl-cert') {
        obs.sources.push(source);
        applyCert(obs, s.root, source, named ? host : undefined, this.ctx, s.line);
        sawTls = true;
      } else if (s.id === 'sslv2') {
        obs.sources.push(source);
        const offered = /SSLv2 supported/i.test(s.output) || s.root.tables.length > 0 || s.root.list.length > 0;
        obs.protocols.SSLv2 = fact(offered, source);
        sawTls = sawTls || offered;
      }
    }
    if (sawTls) {
      const src = obs.sources[1] ?? portSource;
      obs.tlsAvailable = fact(true, src);
      if (obs.endpoint.transport === 'starttls') obs.startTlsOffered = fact(true, src);
    } else if (this.sslScriptsRequested && p.scripts.every((s) => !s.id.startsWith('ssl'))) {
      // nmap ran its TLS scripts and none produced output: no handshake (or no STARTTLS) on this port.
      obs.tlsAvailable = fact(false, portSource);
    }
  }

  end() {
    if (!this.failed) {
      try {
        this.parser.close();
      } catch { /* reported through the error handler */ }
    }
    if (this.ports === 0 && !this.failed) {
      this.ctx.problem({ code: 'no-records', effect: 'file-skipped', message: PROBLEM.nmapNoPorts() });
    }
    const epoch = (s: string | undefined): string | undefined => (s && /^\d+$/.test(s) ? new Date(Number(s) * 1000).toISOString() : undefined);
    const started = epoch(this.runStart);
    const ended = epoch(this.runEnd);
    const context: ScanContext = {
      tool: this.version ? `nmap ${this.version}` : 'nmap',
      ...(this.version ? { version: this.version } : {}),
      // The command line is nmap's "policy": which scripts and ports the run asked for.
      ...(this.args ? { policy: ownedString(this.args.length > 300 ? `${this.args.slice(0, 299)}…` : this.args) } : {}),
      ...(started ? { startedAt: started } : {}),
      ...(ended ? { endedAt: ended } : {}),
    };
    return { kind: 'scan-results' as const, observations: this.table.all(), records: this.ports, skipped: this.skipped.summary(), context };
  }
}

/** Returns true when a TLS handshake succeeded (some protocol listed). */
function applyEnumCiphers(obs: Observation, root: NmapTable, source: SourceRef): boolean {
  const inv = new CipherInventory();
  const listed = new Set<Protocol>();
  const byProtocol: NonNullable<Observation['cipherClassesByProtocol']> = {};
  let preferred: string | undefined;
  let staticRsa = false;
  let dheOffered = false;
  let dhMin: number | undefined;
  let dheExport: string | undefined;
  const compressors = new Set<string>();
  for (const key of SSL_PROTOCOL_TABLES) {
    const t = child(root, key);
    if (!t) continue;
    const p = protocolFromName(key);
    if (!p) continue;
    listed.add(p);
    const ciphers = child(t, 'ciphers')?.tables ?? [];
    const seen = new Set<CipherClass>();
    for (const c of ciphers) {
      const name = c.elems.get('name');
      if (!name) continue;
      const kex = (c.elems.get('kex_info') ?? '').toLowerCase();
      const anon = /_anon_/i.test(name);
      inv.add(name, { anon, forwardSecrecy: !anon && (/^(ecdh|dh|x25519|x448|secp|prime)/.test(kex) || classifySuite(name).forwardSecrecy) });
      for (const cls of classifySuite(name).classes) seen.add(cls);
      if (anon) seen.add('anon');
      // nmap's key info: "rsa 2048" for static-RSA key exchange, "dh 1024" for DHE with its group.
      if (isStaticRsaSuite(name)) staticRsa = true;
      const dh = /^dh\s+(\d+)/.exec(kex);
      if (isDheSuite(name) || (dh && !anon)) {
        dheOffered = true;
        if (dh && (dhMin === undefined || Number(dh[1]) < dhMin)) dhMin = Number(dh[1]);
        if (/EXPORT/i.test(name)) dheExport = name;
      }
    }
    // The script enumerates every suite per version: a class it did not see is not offered there.
    if (p !== 'TLSv1.3') {
      const classes: Partial<Record<CipherClass, Fact<boolean>>> = {};
      for (const cls of CIPHER_CLASSES) classes[cls] = ownFact(seen.has(cls), source);
      byProtocol[p] = classes;
    }
    for (const comp of child(t, 'compressors')?.list ?? []) compressors.add(comp.trim().toUpperCase());
    if (t.elems.get('cipher preference') === 'server' && ciphers[0]?.elems.get('name')) preferred = ciphers[0].elems.get('name');
  }
  if (listed.size === 0) return false;
  // The script tries SSLv3 to TLS 1.3; what it does not list is not offered. SSLv2 is another script's.
  for (const p of PROTOCOLS) {
    if (p === 'SSLv2') continue;
    obs.protocols[p] = fact(listed.has(p), source);
  }
  inv.apply(obs, source, true);
  if (Object.keys(byProtocol).length > 0) obs.cipherClassesByProtocol = byProtocol;
  if (inv.suites > 0) {
    obs.staticRsa = ownFact(staticRsa, source);
    obs.dheOffered = ownFact(dheOffered, source);
    if (dhMin !== undefined) obs.dhBits = ownFact(dhMin, source);
  }
  if (preferred) obs.preferredCipher = fact(preferred, source);
  const sweet = obs.cipherClasses['3des']?.value === true || obs.cipherClasses.des?.value === true;
  obs.vulnerabilities.sweet32 = ownFact({
    state: sweet ? 'vulnerable' : 'not-vulnerable',
    detail: sweet ? '64-bit block cipher suites offered (nmap ssl-enum-ciphers)' : 'no 64-bit block cipher suite offered (nmap ssl-enum-ciphers)',
  }, source);
  const rc4 = obs.cipherClasses.rc4?.value === true;
  obs.vulnerabilities.rc4 = ownFact({
    state: rc4 ? 'vulnerable' : 'not-vulnerable',
    detail: rc4 ? 'RC4 cipher suites offered (nmap ssl-enum-ciphers)' : 'no RC4 cipher suite offered (nmap ssl-enum-ciphers)',
  }, source);
  // Logjam is the DHE EXPORT downgrade; the size of the server's own DH group is `dhBits`
  // (judged by dh-weak), never a second finding for the same weak group.
  if (inv.suites > 0) {
    obs.vulnerabilities.logjam = dheExport
      ? fact({ state: 'vulnerable', detail: `DHE EXPORT suite offered: ${dheExport} (nmap ssl-enum-ciphers)` }, source)
      : ownFact({ state: 'not-vulnerable', detail: 'no DHE EXPORT suite offered (nmap ssl-enum-ciphers)' }, source);
  }
  if (compressors.size > 0) {
    const deflate = [...compressors].some((c) => c !== 'NULL');
    // The detail names the compressors read from the file: that one goes through fact()'s copy.
    obs.vulnerabilities.crime = deflate
      ? fact({ state: 'vulnerable', detail: `TLS compression offered: ${[...compressors].join(', ')} (nmap ssl-enum-ciphers)` }, source)
      : ownFact({ state: 'not-vulnerable', detail: 'no TLS compression (nmap ssl-enum-ciphers)' }, source);
  }
  return true;
}

function distinguishedName(t: NmapTable | undefined): string | undefined {
  if (!t || t.elems.size === 0) return undefined;
  const short: Record<string, string> = {
    commonName: 'CN', organizationName: 'O', organizationalUnitName: 'OU', countryName: 'C',
    stateOrProvinceName: 'ST', localityName: 'L',
  };
  return [...t.elems.entries()].map(([k, v]) => `${short[k] ?? k}=${v}`).join(', ');
}

/** One server certificate is often served on several ports (25, 465, 587, 993…): parse it once. */
const pemCache = new Map<string, { fingerprintSha256: string | undefined; serialNumber: string }>();

function certificateFromPem(pem: string): { fingerprintSha256: string | undefined; serialNumber: string } {
  let hit = pemCache.get(pem);
  if (!hit) {
    const x = new X509Certificate(pem);
    hit = { fingerprintSha256: normaliseFingerprint(x.fingerprint256), serialNumber: x.serialNumber };
    if (pemCache.size >= 256) pemCache.delete(pemCache.keys().next().value!);
    // A copy: the PEM text is cut from a 64 kB chunk of the file, which the key would keep alive.
    pemCache.set(ownedString(pem), hit);
  }
  return hit;
}

/** RFC 6125-style match of a DNS name against the certificate's names (one left-most wildcard label). */
function nameMatches(host: string, names: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return names.some((raw) => {
    const n = raw.toLowerCase().replace(/\.$/, '');
    if (n === h) return true;
    if (!n.startsWith('*.')) return false;
    const rest = n.slice(1);
    return h.endsWith(rest) && !h.slice(0, h.length - rest.length).includes('.');
  });
}

function applyCert(obs: Observation, root: NmapTable, source: SourceRef, scannedName: string | undefined, ctx: IngestContext, line: number): void {
  const cert = certificateAt(obs, 1);
  const subject = child(root, 'subject');
  const issuer = child(root, 'issuer');
  const cn = subject?.elems.get('commonName');
  if (cn) cert.commonName = fact(cn, source);
  const issuerDn = distinguishedName(issuer);
  if (issuerDn) cert.issuer = fact(issuerDn, source);
  const pubkey = child(root, 'pubkey');
  const type = pubkey?.elems.get('type');
  if (type) cert.keyAlgorithm = ownFact(keyAlgorithmFrom(type), source);
  const bits = Number(pubkey?.elems.get('bits'));
  if (Number.isInteger(bits) && bits > 0) cert.keyBits = ownFact(bits, source);
  const sig = root.elems.get('sig_algo');
  if (sig) cert.signatureAlgorithm = fact(sig, source);
  const validity = child(root, 'validity');
  for (const [field, key] of [['notBefore', 'notBefore'], ['notAfter', 'notAfter']] as const) {
    const text = validity?.elems.get(key);
    if (!text) continue;
    const iso = parseScannerDate(text);
    if (iso) cert[field] = ownFact(iso, source);
    else ctx.problem({ line, code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.sslCertDate(key, text) });
  }
  const sanExt = child(root, 'extensions')?.tables.find((t) => t.elems.get('name') === 'X509v3 Subject Alternative Name');
  const san = (sanExt?.elems.get('value') ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  if (san.length > 0) cert.subjectAltNames = fact(san, source);
  const pem = root.elems.get('pem');
  if (pem) {
    try {
      // Both strings come from node:crypto (via the cache), not from the file's text.
      const x = certificateFromPem(pem);
      if (x.fingerprintSha256) cert.fingerprintSha256 = ownFact(x.fingerprintSha256, source);
      cert.serial = ownFact(x.serialNumber, source);
    } catch {
      ctx.problem({ line, code: 'unparseable-certificate', effect: 'value-ignored', message: PROBLEM.sslCertPem() });
    }
  }
  const subjectDn = distinguishedName(subject);
  if (subjectDn && issuerDn && subjectDn === issuerDn) {
    cert.chainTrust = fact({ trusted: false, selfSigned: true, detail: 'self-signed: the certificate names itself as issuer (nmap ssl-cert; nmap does not validate chains)' }, source);
  }
  if (scannedName) {
    const names = san.length > 0 ? san : cn ? [cn] : [];
    if (names.length > 0) cert.hostnameMatch = fact(nameMatches(scannedName, names), source);
  }
}
