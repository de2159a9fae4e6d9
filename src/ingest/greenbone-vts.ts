/**
 * The Greenbone TLS VTs, one table for both Greenbone readers ("CSV Results" and the XML report):
 * NVT OID → what its result establishes, read from the result text ("Specific Result" in the CSV,
 * `<description>` in the XML, which the CSV report copies). Also the per-file bookkeeping both
 * readers share, so one result yields the same facts from either report.
 *
 * Greenbone reports what it found; "not offered" is stated only from the VT that lists every
 * accepted suite per protocol (802067).
 */
import type { Observation, Protocol, VulnId } from '../model/observation.js';
import { fact, type SourceRef } from '../model/source.js';
import { headLine, ownedExcerpt } from './csv.js';
import {
  certificateAt, CipherInventory, commonNameOf, EndpointTable, finishAvailability, isIpAddress, keyAlgorithmFrom,
  normaliseFingerprint, parseScannerDate, protocolFromName,
} from './tls-names.js';
import type { IngestContext } from './types.js';
import { PROBLEM } from './messages.js';

const OID_PREFIX = '1.3.6.1.4.1.25623.1.0.';

interface VtRow {
  readonly obs: Observation;
  readonly result: string;
  readonly cves: string;
  readonly name: string;
  readonly source: SourceRef;
  readonly ctx: IngestContext;
  readonly line: number;
}

type VtHandler = (r: VtRow) => void;

/** "… providing the deprecated SSLv2 and SSLv3 protocol(s) …" → the versions named after "deprecated". */
function deprecatedProtocols(r: VtRow): void {
  const m = /deprecated\s+(.+?)\s+protocol/is.exec(r.result);
  const names = (m ? m[1]! : r.result).match(/\b(?:SSLv[23]|TLSv1(?:\.[0-3])?)\b/g) ?? [];
  for (const n of names) {
    const p = protocolFromName(n);
    if (p) r.obs.protocols[p] = fact(true, r.source);
  }
}

/** Blocks "'Weak' cipher suites accepted by this service via the TLSv1.0 protocol:\n\nTLS_…\nTLS_…". */
function parseGreenboneCipherBlocks(text: string): { protocol: Protocol | undefined; label: string; suites: string[]; none: boolean }[] {
  const blocks: { protocol: Protocol | undefined; label: string; suites: string[]; none: boolean }[] = [];
  let current: { protocol: Protocol | undefined; label: string; suites: string[]; none: boolean } | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const head = /^(No\s+)?'([^']+)'\s+cipher suites accepted by this service via the\s+(\S+)\s+protocol/i.exec(line);
    if (head) {
      current = { protocol: protocolFromName(head[3]!), label: head[2]!, suites: [], none: head[1] !== undefined };
      blocks.push(current);
      continue;
    }
    const suite = /^((?:TLS|SSL)_[A-Z0-9_]+)/.exec(line);
    if (suite && current && !current.none) current.suites.push(suite[1]!);
  }
  return blocks;
}

function cipherBlocks(complete: boolean, vuln?: VulnId): VtHandler {
  return (r) => {
    const blocks = parseGreenboneCipherBlocks(r.result);
    const inv = new CipherInventory();
    const offeredBy = new Map<Protocol, boolean>();
    for (const b of blocks) {
      for (const s of b.suites) inv.add(s);
      if (b.protocol) offeredBy.set(b.protocol, (offeredBy.get(b.protocol) ?? false) || b.suites.length > 0);
    }
    if (inv.suites > 0 || complete) inv.apply(r.obs, r.source, complete);
    for (const [p, offered] of offeredBy) {
      if (offered) {
        if (r.obs.protocols[p]?.value !== true) r.obs.protocols[p] = fact(true, r.source);
      }
      // Only the complete listing can say a protocol has no suites at all.
      else if (complete && r.obs.protocols[p] === undefined) r.obs.protocols[p] = fact(false, r.source);
    }
    if (vuln) setVuln(r, vuln);
  };
}

function setVuln(r: VtRow, vuln: VulnId): void {
  const first = r.result.split('\n').map((l) => l.trim()).find((l) => l !== '');
  r.obs.vulnerabilities[vuln] = fact({ state: 'vulnerable', detail: first ? `${r.name}: ${first}` : r.name, ...(r.cves ? { cve: r.cves } : {}) }, r.source);
}

/** "Certificate details:" tables ("key | value") and the expiry sentence of 103955 / 103957. */
function certificateDetails(r: VtRow): void {
  const cert = certificateAt(r.obs, 1);
  const kv = new Map<string, string>();
  for (const line of r.result.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][A-Za-z0-9 ()-]*?)\s*[|:]\s+(.+?)\s*$/.exec(line);
    if (m && !kv.has(m[1]!.toLowerCase())) kv.set(m[1]!.toLowerCase(), m[2]!);
  }
  const subject = kv.get('subject');
  const cn = subject ? commonNameOf(subject) : undefined;
  if (cn) cert.commonName = fact(cn, r.source);
  const issuer = kv.get('issued by') ?? kv.get('issuer');
  if (issuer) cert.issuer = fact(issuer, r.source);
  const san = kv.get('subject alternative names (san)');
  if (san) cert.subjectAltNames = fact(san.split(/[,\s]+/).filter(Boolean), r.source);
  const serial = kv.get('serial');
  if (serial) cert.serial = fact(serial, r.source);
  const sig = kv.get('signature algorithm');
  if (sig) cert.signatureAlgorithm = fact(sig, r.source);
  const alg = kv.get('public key algorithm');
  if (alg) cert.keyAlgorithm = fact(keyAlgorithmFrom(alg), r.source);
  const bits = Number(kv.get('public key size (bits)'));
  if (Number.isInteger(bits) && bits > 0) cert.keyBits = fact(bits, r.source);
  const fp = kv.get('fingerprint (sha-256)');
  const fpNorm = fp ? normaliseFingerprint(fp) : undefined;
  if (fpNorm) cert.fingerprintSha256 = fact(fpNorm, r.source);
  const from = kv.get('valid from');
  const until = kv.get('valid until') ?? /(?:expired on|expire[sd]? (?:on|within[^0-9]*?on))\s+(\d{4}-\d{2}-\d{2}[ T][0-9:]+(?:\s*UTC)?)/i.exec(r.result)?.[1];
  for (const [field, text] of [['notBefore', from], ['notAfter', until]] as const) {
    if (!text) continue;
    const iso = parseScannerDate(text);
    if (iso) cert[field] = fact(iso, r.source);
    else r.ctx.problem({ line: r.line, code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.notDateForm(text, '2027-03-01 12:00:00 UTC') });
  }
}

/** 105880: "… insecure signature algorithms:\n\nSubject: …\nSignature Algorithm: sha1WithRSAEncryption". */
function weakSignature(r: VtRow): void {
  const sig = /Signature Algorithm\s*[|:]\s*(\S+)/i.exec(r.result);
  if (sig) certificateAt(r.obs, 1).signatureAlgorithm = fact(sig[1]!, r.source);
  else certificateDetails(r);
}

function noStartTls(r: VtRow): void {
  r.obs.startTlsOffered = fact(false, r.source);
}

/** The TLS VTs: OID suffix → what the row establishes. */
const GREENBONE_TLS_VTS: Readonly<Record<string, VtHandler>> = {
  '111012': deprecatedProtocols,
  '117274': deprecatedProtocols,
  '103955': certificateDetails,
  '103957': certificateDetails,
  '103440': cipherBlocks(false),
  '108031': cipherBlocks(false, 'sweet32'),
  '105880': weakSignature,
  '802067': cipherBlocks(true),
  '105091': noStartTls,
  '108551': noStartTls,
};

const NO_HANDSHAKE = new Set(['105091', '108551']);

/** The handler for an NVT OID, when it is one of the TLS VTs. */
export function tlsVt(oid: string): VtHandler | undefined {
  return oid.startsWith(OID_PREFIX) ? GREENBONE_TLS_VTS[oid.slice(OID_PREFIX.length)] : undefined;
}

/** One result of a TLS VT, as either report gives it (port already checked to be 1–65535). */
export interface GreenboneResult {
  readonly host: string;
  /** The IP field as the report gives it ('' when absent). */
  readonly ip: string;
  readonly hostname: string;
  readonly port: number;
  readonly proto: string;
  readonly oid: string;
  readonly name: string;
  readonly result: string;
  readonly cves: string;
  readonly severity: string;
  readonly qod: string;
  readonly line: number;
}

/** The facts of one Greenbone report, endpoint by endpoint. */
export class GreenboneFindings {
  readonly table: EndpointTable;

  constructor(private readonly ctx: IngestContext, private readonly kind: 'greenbone-csv' | 'greenbone-xml') {
    this.table = new EndpointTable(ctx, 'Greenbone');
  }

  /** Applies one result of a VT for which tlsVt() has a handler; returns the endpoint's observation. */
  apply(r: GreenboneResult): Observation {
    const { oid, name, host, hostname, ip, port, severity, qod, line } = r;
    const handler = tlsVt(oid)!;
    const obs = this.table.get(host, ip || (isIpAddress(host) ? host : undefined), port);
    const oneLine = headLine(r.result);
    const source: SourceRef = {
      kind: this.kind, file: this.ctx.file, line,
      excerpt: ownedExcerpt(`NVT ${oid} "${name}" · ${host}${hostname && ip ? ` (${ip})` : ''} ${port}/${r.proto}${severity ? ` · ${severity}` : ''}${qod ? ` · QoD ${qod}%` : ''}${oneLine ? ` · ${oneLine}` : ''}`),
    };
    obs.sources.push(source);
    handler({ obs, result: r.result, cves: r.cves, name, source, ctx: this.ctx, line });
    if (!NO_HANDSHAKE.has(oid.slice(OID_PREFIX.length)) && obs.tlsAvailable === undefined) obs.tlsAvailable = fact(true, source);
    return obs;
  }

  finish(): Observation[] {
    const observations = this.table.all();
    for (const obs of observations) {
      finishAvailability(obs);
      // A STARTTLS-missing VT means the handshake never happened.
      if (obs.startTlsOffered?.value === false && obs.tlsAvailable === undefined) obs.tlsAvailable = fact(false, obs.startTlsOffered.source);
    }
    return observations;
  }
}
