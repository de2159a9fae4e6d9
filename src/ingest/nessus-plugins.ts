/**
 * The Nessus TLS plugins, one table for both Nessus readers (CSV export and `.nessus` v2 XML):
 * plugin id → what its finding establishes, read from the plugin's output. Also the per-file
 * bookkeeping both readers share (one Observation per host × port, a plugin reported again for its
 * next CVE merged into the facts it made, chain-plugin facts applied once the leaf is known), so
 * the same finding in either export yields the same facts.
 *
 * Nessus reports what it found, not what it checked: a missing "TLS 1.0 detected" finding does not
 * prove TLS 1.0 is off. Facts are therefore stated as "not offered" only from the inventory
 * plugins that enumerate everything (56984 versions, 21643 cipher suites).
 */
import {
  PROTOCOLS, type Observation, type Protocol, type VulnId, type VulnState,
} from '../model/observation.js';
import { fact, type SourceRef } from '../model/source.js';
import { endpointKey } from '../model/endpoint.js';
import { headLine, ownedExcerpt } from './csv.js';
import {
  certificateAt, CipherInventory, commonNameOf, EndpointTable, finishAvailability, keyAlgorithmFrom,
  normaliseFingerprint, parseScannerDate, protocolFromName,
} from './tls-names.js';
import type { IngestContext } from './types.js';
import { PROBLEM } from './messages.js';

/** What a TLS plugin's row establishes. */
type PluginHandler = (row: PluginRow) => void;

interface PluginRow {
  readonly obs: Observation;
  readonly state: EndpointState;
  readonly pluginId: number;
  readonly name: string;
  readonly output: string;
  readonly cve: string;
  readonly source: SourceRef;
  readonly ctx: IngestContext;
  readonly line: number;
}

interface PendingCertFact {
  /** Subject CN the plugin names, when it names one. */
  readonly subjectCn: string | undefined;
  apply(obs: Observation): void;
}

interface EndpointState {
  /** Plugin rows already applied, with the vulnerability facts they made (for CVE repeats). */
  readonly seen: Map<string, { cves: string[]; vulns: VulnId[]; source: SourceRef }>;
  /** Certificate facts from chain plugins, applied once the leaf's name is known. */
  readonly pending: PendingCertFact[];
}

function protocolOffered(protocol: Protocol): PluginHandler {
  return (r) => {
    r.obs.protocols[protocol] = fact(true, r.source);
  };
}

function vulnerable(vuln: VulnId, state: VulnState = 'vulnerable'): PluginHandler {
  return (r) => setVuln(r, vuln, state);
}

function setVuln(r: PluginRow, vuln: VulnId, state: VulnState): void {
  r.obs.vulnerabilities[vuln] = fact({ state, detail: vulnDetail(r), ...(r.cve ? { cve: r.cve } : {}) }, r.source);
  const seen = r.state.seen.get(seenKey(r.pluginId, r.obs));
  if (seen && !seen.vulns.includes(vuln)) seen.vulns.push(vuln);
}

/** The plugin's name and the first sentence of its output, on one line. */
function vulnDetail(r: PluginRow): string {
  const text = r.output.slice(0, 600).replace(/^\s*[-|]+\s*/gm, '').replace(/\s+/g, ' ').trim();
  const end = text.search(/(?<=.{20})(\s:|\.\s|\.$)/);
  const sentence = (end === -1 ? text : text.slice(0, end)).slice(0, 200);
  return sentence ? `${r.name}: ${sentence}` : r.name;
}

function seenKey(pluginId: number, obs: Observation): string {
  return `${pluginId}@${endpointKey(obs.endpoint)}`;
}

/** The cipher rows a plugin lists, with the SSL version heading each group sits under (21643). */
function parseNessusCiphers(output: string): { name: string; version?: Protocol; kex?: string; auth?: string; enc?: string; exportFlag: boolean }[] {
  const out: { name: string; version?: Protocol; kex?: string; auth?: string; enc?: string; exportFlag: boolean }[] = [];
  let version: Protocol | undefined;
  for (const rawLine of output.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    const heading = /^\s*SSL Version\s*:\s*(\S+)/i.exec(line);
    if (heading) {
      const v = heading[1]!.replace(/^TLSv1(\d)$/i, 'TLSv1.$1').replace(/^TLSv1$/i, 'TLSv1.0');
      version = protocolFromName(v);
      continue;
    }
    // Current layout: name, code "0xC0, 0x30", KEX, Auth, Encryption, MAC, [export].
    let m = /^\s{2,}([A-Z0-9][A-Za-z0-9_-]+)\s+0x[0-9A-F]{2}(?:,\s*0x[0-9A-F]{2}){1,2}\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+(export))?\s*$/i.exec(line);
    if (m) {
      out.push({ name: m[1]!, ...(version ? { version } : {}), kex: m[2]!, auth: m[3]!, enc: m[4]!, exportFlag: m[6] !== undefined || /export/i.test(m[5] ?? '') });
      continue;
    }
    // Older layout: "RC4-MD5   Kx=RSA   Au=RSA   Enc=RC4(128)   Mac=MD5   [export]".
    m = /^\s{2,}([A-Z0-9][A-Za-z0-9_-]+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)(?:\s+Mac=\S+)?(\s+export)?/i.exec(line);
    if (m) out.push({ name: m[1]!, ...(version ? { version } : {}), kex: m[2]!, auth: m[3]!, enc: m[4]!, exportFlag: m[5] !== undefined });
  }
  return out;
}

function inventoryFrom(rows: ReturnType<typeof parseNessusCiphers>): CipherInventory {
  const inv = new CipherInventory();
  for (const row of rows) {
    const enc = (row.enc ?? '').toUpperCase();
    const kex = (row.kex ?? '').toUpperCase();
    const anon = (row.auth ?? '').toUpperCase() === 'NONE';
    inv.add(row.name, {
      anon,
      forwardSecrecy: !anon && (/^(EC)?DH/.test(kex) || kex === '-' || row.name.startsWith('TLS13') || /^TLS_(AES|CHACHA)/.test(row.name)),
    });
    // The columns say what the name may not (Tenable's own cipher names).
    if (enc.startsWith('NONE')) inv.add('NULL-SHA');
    if (enc.startsWith('3DES')) inv.add('DES-CBC3-SHA');
    if (row.exportFlag) inv.add('EXP-RC4-MD5');
  }
  return inv;
}

function listCiphers(complete: boolean): PluginHandler {
  return (r) => {
    const rows = parseNessusCiphers(r.output);
    if (rows.length === 0) return;
    inventoryFrom(rows).apply(r.obs, r.source, complete);
    if (complete) {
      for (const row of rows) {
        if (row.version && r.obs.protocols[row.version]?.value !== true) r.obs.protocols[row.version] = fact(true, r.source);
      }
    }
  };
}

/** 56984 "SSL / TLS Versions Supported": "This port supports TLSv1.0/TLSv1.1/TLSv1.2." */
const versionsSupported: PluginHandler = (r) => {
  const m = /supports\s+([A-Za-z0-9./ ]+?)\s*\.?\s*$/im.exec(r.output);
  if (!m) {
    r.ctx.problem({ line: r.line, code: 'unparseable-output', effect: 'value-ignored',
      message: PROBLEM.plugin56984NoVersions(r.output) });
    return;
  }
  const listed = new Set(m[1]!.split('/').map((v) => protocolFromName(v.trim())).filter((p): p is Protocol => p !== undefined));
  // The plugin tries every version, so the ones it does not list are not offered.
  for (const p of PROTOCOLS) r.obs.protocols[p] = fact(listed.has(p), r.source);
};

/** 20007 "SSL Version 2 and 3 Protocol Detection": "- SSLv3 is enabled and the server supports at least one cipher." */
const sslv2v3: PluginHandler = (r) => {
  let any = false;
  for (const [word, protocol] of [['SSLv2', 'SSLv2'], ['SSLv3', 'SSLv3']] as const) {
    if (new RegExp(`${word} is enabled`, 'i').test(r.output)) {
      r.obs.protocols[protocol] = fact(true, r.source);
      any = true;
    }
  }
  if (!any) {
    // Without output the row still says SSLv2 or SSLv3 is on; which one is unknown.
    r.ctx.problem({ line: r.line, code: 'unparseable-output', effect: 'value-ignored',
      message: PROBLEM.plugin20007NoVersion() });
  }
  listCiphers(false)(r);
};

/** Key/value pairs "Key : value" (any spacing, optional "|-" tree prefix) from plugin output. */
function keyValues(output: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s*(?:\|-)?\s*([A-Za-z][A-Za-z0-9 ./()-]*?)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) out.push({ key: m[1]!.toLowerCase(), value: m[2]! });
  }
  return out;
}

function first(kv: readonly { key: string; value: string }[], ...keys: string[]): string | undefined {
  return kv.find((p) => keys.includes(p.key) && p.value !== '')?.value;
}

function setDate(r: PluginRow, field: 'notBefore' | 'notAfter', text: string | undefined): void {
  if (!text) return;
  const iso = parseScannerDate(text);
  if (!iso) {
    r.ctx.problem({ line: r.line, code: 'unparseable-date', effect: 'value-ignored',
      message: PROBLEM.pluginDate(r.pluginId, text) });
    return;
  }
  certificateAt(r.obs, 1)[field] = fact(iso, r.source);
}

/** 10863 "SSL Certificate Information": the server certificate in full. */
const certificateInformation: PluginHandler = (r) => {
  const cert = certificateAt(r.obs, 1);
  let section: 'subject' | 'issuer' | 'other' = 'other';
  const issuer: string[] = [];
  const san: string[] = [];
  let inPublicKey = false;
  for (const rawLine of r.output.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (/^Subject Name\s*:/i.test(line)) { section = 'subject'; continue; }
    if (/^Issuer Name\s*:/i.test(line)) { section = 'issuer'; continue; }
    if (/^(Serial Number|Version|Signature Algorithm|Not Valid|Public Key Info|Extension|Fingerprints)/i.test(line)) section = 'other';
    if (/^Public Key Info\s*:/i.test(line)) inPublicKey = true;
    if (/^(Signature Length|Extension)\b/i.test(line)) inPublicKey = false;
    const m = /^([A-Za-z][A-Za-z0-9 -]*?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (value === '') continue;
    if (section === 'subject' && key === 'common name') cert.commonName = fact(value, r.source);
    else if (section === 'issuer') issuer.push(`${key === 'common name' ? 'CN' : key === 'organization' || key === 'organization name' ? 'O' : key === 'country' ? 'C' : key === 'organization unit' ? 'OU' : key}=${value}`);
    else if (key === 'serial number') cert.serial = fact(value.replace(/\s+/g, ''), r.source);
    else if (key === 'signature algorithm') cert.signatureAlgorithm = fact(value, r.source);
    else if (key === 'not valid before') setDate(r, 'notBefore', value);
    else if (key === 'not valid after') setDate(r, 'notAfter', value);
    else if (inPublicKey && key === 'algorithm') cert.keyAlgorithm = fact(keyAlgorithmFrom(value), r.source);
    else if (inPublicKey && key === 'key length') {
      const bits = /(\d+)\s*bits/i.exec(value);
      if (bits) cert.keyBits = fact(Number(bits[1]), r.source);
    } else if (key === 'dns') san.push(value);
    else if (key === 'sha-256 fingerprint') {
      const fp = normaliseFingerprint(value);
      if (fp) cert.fingerprintSha256 = fact(fp, r.source);
    }
  }
  if (issuer.length > 0) cert.issuer = fact(issuer.join(', '), r.source);
  if (san.length > 0) cert.subjectAltNames = fact(san, r.source);
};

/** 15901 "SSL Certificate Expiry": subject, issuer and validity of the expired certificate. */
const certificateExpiry: PluginHandler = (r) => {
  const kv = keyValues(r.output);
  const subject = first(kv, 'subject');
  const cert = certificateAt(r.obs, 1);
  const cn = subject ? commonNameOf(subject) : undefined;
  if (cn && cert.commonName === undefined) cert.commonName = fact(cn, r.source);
  const issuer = first(kv, 'issuer');
  if (issuer && cert.issuer === undefined) cert.issuer = fact(issuer, r.source);
  setDate(r, 'notBefore', first(kv, 'not valid before'));
  setDate(r, 'notAfter', first(kv, 'not valid after', 'not after'));
};

function chainTrust(selfSignedPlugin: boolean): PluginHandler {
  // The subject these plugins print is the top of the chain (often a CA), but the verdict is about
  // the chain the leaf was served with, so it applies to the server certificate.
  return (r) => {
    const selfSigned = selfSignedPlugin || /self-signed/i.test(r.output);
    certificateAt(r.obs, 1).chainTrust = fact({ trusted: false, selfSigned, detail: vulnDetail(r) }, r.source);
  };
}

/** 45411 "SSL Certificate with Wrong Hostname". */
const wrongHostname: PluginHandler = (r) => {
  const cert = certificateAt(r.obs, 1);
  cert.hostnameMatch = fact(false, r.source);
  const cn = /Common Name in the certificate is\s*:\s*\n\s*\n?\s*(\S+)/i.exec(r.output);
  if (cn && cert.commonName === undefined) cert.commonName = fact(cn[1]!, r.source);
};

/** 35291 weak hash: the signature algorithm of the certificate named. */
const weakSignature: PluginHandler = (r) => {
  const kv = keyValues(r.output);
  const sig = first(kv, 'signature algorithm');
  if (!sig) return;
  const subject = first(kv, 'subject');
  // The closure keeps only what it needs (not the row and its multi-kilobyte output).
  const source = r.source;
  r.state.pending.push({
    subjectCn: subject ? commonNameOf(subject)?.toLowerCase() : undefined,
    apply(obs) {
      certificateAt(obs, 1).signatureAlgorithm = fact(sig, source);
    },
  });
};

/** 69551 / 60108 short RSA keys: "RSA Key Length : 1024 bits". */
const weakKey: PluginHandler = (r) => {
  const kv = keyValues(r.output);
  const bits = /(\d+)/.exec(first(kv, 'rsa key length', 'key length') ?? '');
  if (!bits) return;
  const subject = first(kv, 'subject');
  const source = r.source;
  const keyBits = Number(bits[1]);
  r.state.pending.push({
    subjectCn: subject ? commonNameOf(subject)?.toLowerCase() : undefined,
    apply(obs) {
      const cert = certificateAt(obs, 1);
      cert.keyAlgorithm = fact('RSA', source);
      cert.keyBits = fact(keyBits, source);
    },
  });
};

const startTlsOffered: PluginHandler = (r) => {
  r.obs.startTlsOffered = fact(true, r.source);
};

/**
 * 54582 "SMTP Service Cleartext Login Permitted": the server advertises SASL mechanisms on the
 * unencrypted connection, i.e. before STARTTLS. Its output names them ("All supported methods :
 * LOGIN, PLAIN", "Cleartext methods : LOGIN, PLAIN"); when it names none, the plugin's firing
 * still shows AUTH was offered.
 */
const cleartextLogin: PluginHandler = (r) => {
  const line = (label: string) => new RegExp(`${label}\\s*:\\s*([^\\n]+)`, 'i').exec(r.output)?.[1];
  const listed = line('All supported methods') ?? line('Cleartext methods');
  const mechanisms = listed ? listed.split(/[,\s]+/).map((m) => m.trim().toUpperCase()).filter(Boolean) : [];
  r.obs.mail = { ...r.obs.mail, authBeforeTls: fact(mechanisms.length > 0 ? mechanisms : ['AUTH (mechanisms not listed)'], r.source) };
};

/** The TLS plugins: id → what the row establishes. */
export const NESSUS_TLS_PLUGINS: Readonly<Record<number, PluginHandler>> = {
  104743: protocolOffered('TLSv1.0'),
  84470: protocolOffered('TLSv1.0'),
  157288: protocolOffered('TLSv1.1'),
  121010: protocolOffered('TLSv1.1'),
  139414: protocolOffered('TLSv1.1'),
  20007: sslv2v3,
  56984: versionsSupported,
  21643: listCiphers(true),
  10863: certificateInformation,
  15901: certificateExpiry,
  51192: chainTrust(false),
  57582: chainTrust(true),
  45411: wrongHostname,
  35291: weakSignature,
  69551: weakKey,
  60108: weakKey,
  42873: (r) => { listCiphers(false)(r); setVuln(r, 'sweet32', 'vulnerable'); },
  94437: (r) => { listCiphers(false)(r); r.obs.cipherClasses['3des'] ??= fact(true, r.source); setVuln(r, 'sweet32', 'vulnerable'); },
  65821: (r) => { listCiphers(false)(r); r.obs.cipherClasses.rc4 = fact(true, r.source); setVuln(r, 'rc4', 'vulnerable'); },
  31705: (r) => { listCiphers(false)(r); r.obs.cipherClasses.anon = fact(true, r.source); },
  26928: listCiphers(false),
  78479: vulnerable('poodle'),
  81606: (r) => { r.obs.cipherClasses.export = fact(true, r.source); setVuln(r, 'freak', 'vulnerable'); },
  83875: vulnerable('logjam'),
  42088: startTlsOffered,
  42085: startTlsOffered,
  42087: startTlsOffered,
  54582: cleartextLogin,
  52611: vulnerable('starttls-injection'),
};

/** Plugins whose row shows that a TLS handshake happened on the port. */
const NOT_A_HANDSHAKE = new Set([54582, 42088, 42085, 42087, 52611]);

/** One finding of a TLS plugin, as either export gives it (port already checked to be 1–65535). */
interface NessusFinding {
  readonly host: string;
  readonly ip: string | undefined;
  readonly port: number;
  readonly proto: string;
  readonly pluginId: number;
  readonly name: string;
  readonly output: string;
  /** One CVE (a finding with several is given once per CVE, as the CSV export repeats it). */
  readonly cve: string;
  readonly risk: string;
  readonly line: number;
}

/** The facts of one Nessus file, endpoint by endpoint. */
export class NessusFindings {
  readonly table: EndpointTable;
  private readonly states = new Map<Observation, EndpointState>();

  constructor(private readonly ctx: IngestContext, private readonly kind: 'nessus-csv' | 'nessus-xml', tool = 'Nessus') {
    this.table = new EndpointTable(ctx, tool);
  }

  /** Applies one finding of a plugin in NESSUS_TLS_PLUGINS; returns the endpoint's observation. */
  apply(f: NessusFinding): Observation {
    const handler = NESSUS_TLS_PLUGINS[f.pluginId]!;
    const { pluginId, cve, line } = f;
    const obs = this.table.get(f.host, f.ip, f.port);
    let state = this.states.get(obs);
    if (!state) {
      state = { seen: new Map(), pending: [] };
      this.states.set(obs, state);
    }
    const key = seenKey(pluginId, obs);
    const seen = state.seen.get(key);
    if (seen) {
      // The same finding again, for its next CVE: add the CVE to the facts it made.
      if (cve && !seen.cves.includes(cve)) {
        seen.cves.push(cve);
        for (const v of seen.vulns) {
          const vf = obs.vulnerabilities[v];
          if (vf) obs.vulnerabilities[v] = { ...vf, value: { ...vf.value, cve: seen.cves.join(', ') } };
        }
      }
      return obs;
    }
    const firstOutput = headLine(f.output);
    const source: SourceRef = {
      kind: this.kind, file: this.ctx.file, line,
      excerpt: ownedExcerpt(`Plugin ${pluginId} "${f.name}" · ${f.host} ${f.proto}/${f.port}${f.risk ? ` · Risk ${f.risk}` : ''}${cve ? ` · ${cve}` : ''}${firstOutput ? ` · ${firstOutput}` : ''}`),
    };
    obs.sources.push(source);
    state.seen.set(key, { cves: cve ? [cve] : [], vulns: [], source });
    handler({ obs, state, pluginId, name: f.name, output: f.output, cve, source, ctx: this.ctx, line });
    if (!NOT_A_HANDSHAKE.has(pluginId) && obs.tlsAvailable === undefined) obs.tlsAvailable = fact(true, source);
    return obs;
  }

  /** The observations, with chain-plugin facts applied to the leaf they speak of. */
  finish(): Observation[] {
    const observations = this.table.all();
    for (const obs of observations) {
      const state = this.states.get(obs);
      if (state) {
        const leafCn = obs.certificates.find((c) => c.index === 1)?.commonName?.value;
        for (const p of state.pending) {
          // Chain plugins may speak of an intermediate; only facts about the leaf are the leaf's.
          if (leafCn === undefined || p.subjectCn === undefined || p.subjectCn.toLowerCase() === leafCn.toLowerCase()) p.apply(obs);
        }
      }
      finishAvailability(obs);
    }
    return observations;
  }
}
