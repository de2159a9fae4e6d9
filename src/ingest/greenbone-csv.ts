/**
 * Greenbone / OpenVAS "CSV Results" reports (format c1645568-627a-11e3-a660-406186ea4fc5): the
 * legacy header without `QoD`, the current one, and the newest with EPSS columns appended.
 * Columns are found by name. Values the report XSL prefixed with `'` (against formula
 * injection) are unprefixed, host names are trimmed (gvmd pads them), multi-line quoted
 * "Specific Result" fields are read whole. Rows are mapped by NVT OID; rows of other VTs are
 * counted per OID and skipped. Each row carries its own Timestamp, so observations are dated from
 * the input.
 *
 * Like Nessus, Greenbone reports what it found; "not offered" is stated only from the VT that
 * lists every accepted suite per protocol (802067).
 */
import type { Observation, Protocol, VulnId } from '../model/observation.js';
import { fact, type SourceRef } from '../model/source.js';
import { headLine, ownedExcerpt } from './csv.js';
import { Columns, hasColumn, raggedRow } from './csv-columns.js';
import {
  certificateAt, CipherInventory, commonNameOf, EndpointTable, finishAvailability, isIpAddress, keyAlgorithmFrom,
  normaliseFingerprint, parseScannerDate, protocolFromName, SkipCounter,
} from './tls-names.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';

const OID_PREFIX = '1.3.6.1.4.1.25623.1.0.';

const COLUMNS = {
  ip: ['ip'],
  hostname: ['hostname'],
  port: ['port'],
  portProtocol: ['port protocol'],
  severity: ['severity'],
  qod: ['qod'],
  nvtName: ['nvt name'],
  result: ['specific result'],
  oid: ['nvt oid'],
  cves: ['cves'],
  timestamp: ['timestamp'],
} as const satisfies Record<string, readonly string[]>;
type Column = keyof typeof COLUMNS;

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
export function parseGreenboneCipherBlocks(text: string): { protocol: Protocol | undefined; label: string; suites: string[]; none: boolean }[] {
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
    else r.ctx.problem({ line: r.line, code: 'unparseable-date', effect: 'value-ignored', message: `"${text}" is not a date in the form 2027-03-01 12:00:00 UTC` });
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
export const GREENBONE_TLS_VTS: Readonly<Record<string, VtHandler>> = {
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

/** The report XSL writes `'=…`, `'+…`, `'-…`, `'@…` so spreadsheets do not evaluate them. */
function unprefix(value: string): string {
  return value.length > 1 && value[0] === "'" && '=+-@\t\r'.includes(value[1]!) ? value.slice(1) : value;
}

export const greenboneCsv: CsvIngester = {
  id: 'greenbone-csv',
  describe: 'Greenbone/OpenVAS "CSV Results" report (header IP,Hostname,Port,Port Protocol,CVSS,Severity,[QoD,]Solution Type,NVT Name,Summary,Specific Result,NVT OID,…)',
  rawRecords: false,
  detect(header) {
    return hasColumn(header, 'nvt oid') && hasColumn(header, 'ip', 'hostname');
  },
  missingColumns(header) {
    const missing: string[] = [];
    if (!hasColumn(header, 'ip')) missing.push('IP');
    if (!hasColumn(header, 'port')) missing.push('Port');
    if (!hasColumn(header, 'nvt oid')) missing.push('NVT OID');
    return missing;
  },
  start(header, ctx) {
    return new GreenboneSink(header, ctx);
  },
};

class GreenboneSink implements RecordSink {
  private readonly cols: Columns<Column>;
  private readonly table: EndpointTable;
  private readonly skipped = new SkipCounter();
  private records = 0;

  constructor(private readonly header: readonly string[], private readonly ctx: IngestContext) {
    this.cols = new Columns(header, COLUMNS);
    this.table = new EndpointTable(ctx, 'Greenbone');
    if (!this.cols.has('result')) {
      ctx.problem({ line: 1, code: 'missing-column', effect: 'value-ignored',
        message: 'the report has no "Specific Result" column, so protocols, cipher suites and certificate details cannot be read; only VT OIDs are used' });
    }
  }

  private field(fields: readonly string[], key: Column): string {
    return unprefix(this.cols.get(fields, key));
  }

  record(fields: readonly string[], line: number): void {
    this.records++;
    const ctx = this.ctx;
    if (fields.length !== this.header.length) {
      if (fields.every((f) => f.trim() === '')) return;
      raggedRow(ctx, fields, this.header.length, line);
      return;
    }
    const ip = this.field(fields, 'ip').trim();
    const hostname = this.field(fields, 'hostname').trim();
    if (ip === '' && hostname === '') {
      ctx.problem({ line, column: this.cols.column('ip')!, code: 'missing-host', effect: 'row-skipped', message: 'the "IP" and "Hostname" fields are empty' });
      return;
    }
    const oid = this.field(fields, 'oid').trim();
    if (oid === '') {
      ctx.problem({ line, column: this.cols.column('oid')!, code: 'missing-oid', effect: 'row-skipped', message: 'the "NVT OID" field is empty' });
      return;
    }
    const suffix = oid.startsWith(OID_PREFIX) ? oid.slice(OID_PREFIX.length) : undefined;
    const handler = suffix === undefined ? undefined : GREENBONE_TLS_VTS[suffix];
    const name = this.field(fields, 'nvtName').trim();
    if (!handler) {
      this.skipped.add(oid, name);
      return;
    }
    const portRaw = this.field(fields, 'port').trim();
    const port = Number(portRaw);
    if (portRaw === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
      ctx.problem({ line, column: this.cols.column('port')!, code: portRaw === '' ? 'no-port' : 'bad-port', effect: 'row-skipped',
        message: portRaw === ''
          ? `VT ${oid} "${name}" is reported for the host as a whole (general/tcp), not on a TLS port`
          : `port "${portRaw}" is not a number from 1 to 65535` });
      return;
    }
    const host = hostname || ip;
    const obs = this.table.get(host, ip || (isIpAddress(host) ? host : undefined), port);
    const result = this.field(fields, 'result');
    const cves = this.field(fields, 'cves').trim();
    const severity = this.field(fields, 'severity').trim();
    const qod = this.field(fields, 'qod').trim();
    const proto = this.field(fields, 'portProtocol').trim() || 'tcp';
    const oneLine = headLine(result);
    const source: SourceRef = {
      kind: 'greenbone-csv', file: ctx.file, line,
      excerpt: ownedExcerpt(`NVT ${oid} "${name}" · ${host}${hostname && ip ? ` (${ip})` : ''} ${port}/${proto}${severity ? ` · ${severity}` : ''}${qod ? ` · QoD ${qod}%` : ''}${oneLine ? ` · ${oneLine}` : ''}`),
    };
    obs.sources.push(source);
    handler({ obs, result, cves, name, source, ctx, line });
    if (!NO_HANDSHAKE.has(suffix!) && obs.tlsAvailable === undefined) obs.tlsAvailable = fact(true, source);
    const stamp = this.field(fields, 'timestamp').trim();
    if (stamp) {
      const iso = parseScannerDate(stamp);
      if (!iso) {
        ctx.problem({ line, column: this.cols.column('timestamp')!, code: 'unparseable-date', effect: 'value-ignored',
          message: `Timestamp "${stamp}" is not an ISO 8601 time such as 2026-09-14T10:22:36Z` });
      } else if (obs.observedAtSource !== 'input' || iso > obs.observedAt) {
        obs.observedAt = iso;
        obs.observedAtSource = 'input';
      }
    }
  }

  end() {
    const observations = this.table.all();
    for (const obs of observations) {
      finishAvailability(obs);
      // A STARTTLS-missing VT means the handshake never happened.
      if (obs.startTlsOffered?.value === false && obs.tlsAvailable === undefined) obs.tlsAvailable = fact(false, obs.startTlsOffered.source);
    }
    return { kind: 'scan-results' as const, observations, records: this.records, skipped: this.skipped.summary() };
  }
}
