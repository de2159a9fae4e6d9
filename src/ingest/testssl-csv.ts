/**
 * testssl.sh `--csvfile` output (3.0.x and later; with or without `--hints`), single-host or mass
 * scan. Rows are grouped by fqdn/ip + port into one Observation per endpoint. testssl's own
 * severity is only a tie-breaker: facts are read from the id and the finding text, because
 * testssl grades some things (TLS 1.0, SWEET32) LOW that our frameworks treat as failures.
 */
import { parse as parseDate, isValid } from 'date-fns';
import { serviceForPort, endpointKey } from '../model/endpoint.js';
import { emptyObservation, type CipherClass, type KeyAlgorithm, type Observation, type Protocol, type VulnId, type VulnState } from '../model/observation.js';
import type { Fact, SourceRef } from '../model/source.js';
import { excerpt } from './csv.js';
import { certificateAt, classifySuite, isDheSuite, isStaticRsaSuite, ownedString, SkipCounter } from './tls-names.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';
import { PROBLEM } from './messages.js';

const BASE_HEADER = ['id', 'fqdn/ip', 'port', 'severity', 'finding', 'cve', 'cwe'] as const;
const TESTSSL_SEVERITIES = ['OK', 'INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'WARN', 'DEBUG', 'FATAL'] as const;
type TestsslSeverity = (typeof TESTSSL_SEVERITIES)[number];

/** For "an id appears twice, take the worst": WARN/DEBUG rank lowest, they carry no verdict. */
const SEVERITY_RANK: Readonly<Record<TestsslSeverity, number>> = {
  DEBUG: 0, WARN: 0, INFO: 1, OK: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5, FATAL: 6,
};

const PROTOCOL_IDS: Readonly<Record<string, Protocol>> = {
  sslv2: 'SSLv2', sslv3: 'SSLv3', tls1: 'TLSv1.0', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3',
};

/** testssl 3.0 names first, then the 3.1+/3.2 spellings of the same lists. */
const CIPHER_LIST_IDS: Readonly<Record<string, CipherClass>> = {
  cipherlist_null: 'null', cipherlist_anull: 'anon', cipherlist_export: 'export',
  cipherlist_3des_idea: '3des', cipherlist_average: 'cbc', cipherlist_obsoleted: 'cbc',
};

const VULN_IDS: Readonly<Record<string, VulnId>> = {
  heartbleed: 'heartbleed', ccs: 'ccs', ticketbleed: 'ticketbleed', robot: 'robot', poodle_ssl: 'poodle',
  poodle_tls: 'poodle', drown: 'drown', freak: 'freak', logjam: 'logjam', sweet32: 'sweet32', beast: 'beast',
  lucky13: 'lucky13', starttls_injection: 'starttls-injection', crime_tls: 'crime', breach: 'breach',
  secure_renego: 'secure-renegotiation', secure_client_renego: 'client-renegotiation',
  fallback_scsv: 'fallback-scsv', winshock: 'winshock', rc4: 'rc4',
};

interface EndpointState {
  obs: Observation;
  /** testssl's `service` row: it proves the STARTTLS dialogue worked, so it is the STARTTLS evidence. */
  service?: SourceRef;
  /** testssl's verdict that nothing on the port speaks TLS. */
  noTls?: SourceRef;
  /** Severity rank of the row that set each fact, so a duplicate id keeps the worse reading. */
  ranks: Map<string, number>;
  /**
   * testssl's LOW list ("64 Bit + DES, RC[2,4]") mixes single DES and RC2 with RC4, so "offered"
   * alone does not say DES is offered; finishObservation decides once the RC4 test and any
   * per-cipher listing are in.
   */
  low?: { offered: boolean; source: SourceRef };
  /** A single-DES or RC2 suite named by a per-cipher row (cipher_x…, cipher-tls1_2_x…). */
  listedDes?: SourceRef;
  /** A row naming a static-RSA suite (cipher rows, cipher order, BEAST's CBC lists). */
  staticRsaSeen?: SourceRef;
  /** ROBOT's "no RSA key transport cipher": static RSA is not offered. */
  staticRsaRefused?: SourceRef;
  /** Smallest DH group a row stated in bits (LOGJAM, DH_groups, cipher rows). */
  dhMin?: { bits: number; source: SourceRef };
  /** A row naming an accepted DHE suite. */
  dheSeen?: SourceRef;
  /** The forward-secrecy section listed its suites (or found none) and no DHE suite among them. */
  dheAbsent?: SourceRef;
}

/**
 * Vulnerabilities testssl reports that no tlsproof check judges: their rows are read into the
 * observation but counted as not evaluated, so the report does not claim they were used.
 * test/checks/facts.test.ts keeps this list equal to the vulnerabilities no check reads.
 */
export const TESTSSL_UNJUDGED_VULNS: ReadonlySet<VulnId> = new Set<VulnId>(['crime', 'breach', 'fallback-scsv', 'winshock']);

/** Severities that carry testssl's verdict (INFO, WARN and DEBUG rows only inform). */
const VERDICT_SEVERITIES: ReadonlySet<TestsslSeverity> = new Set<TestsslSeverity>(['OK', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

/**
 * The record as testssl writes it: every field double-quoted. Rebuilding it from the fields is
 * byte-identical for testssl's own output and spares csv-parse a raw copy of every record,
 * which was most of the ingest cost beyond parsing.
 */
/**
 * A fact from one CSV field. model/source's fact() copies strings so a value cut from a large
 * record does not pin it in memory; csv-parse hands each field over as its own short string, so
 * testssl values need no copy (the copy was a tenth of ingest time).
 */
function fieldFact<T>(value: T, source: SourceRef): Fact<T> {
  return { value, source };
}

function requote(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    out += `${i === 0 ? '' : ','}"${f.includes('"') ? f.replace(/"/g, '""') : f}"`;
  }
  return out;
}

export const testsslCsv: CsvIngester = {
  id: 'testssl-csv',
  rawRecords: false,
  describe: 'testssl.sh CSV (--csvfile; header "id","fqdn/ip","port","severity","finding","cve","cwe"[,"hint"])',
  detect(header) {
    return BASE_HEADER.every((name, i) => header[i]?.trim().toLowerCase() === name);
  },
  start(header, ctx) {
    return new TestsslSink(header.length, ctx);
  },
};

class TestsslSink implements RecordSink {
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly unevaluated = new SkipCounter('not-evaluated');
  private records = 0;
  // testssl writes an endpoint's rows together: remember the last target so most rows skip
  // the host/ip split and the key lookup (ingest speed is held to 1.5× a bare csv-parse pass).
  private lastTarget = '';
  private lastPort = '';
  private lastState: EndpointState | undefined;

  constructor(private readonly width: number, private readonly ctx: IngestContext) {}

  record(fields: readonly string[], line: number, raw: string): void {
    this.records++;
    const ctx = this.ctx;
    if (fields.length !== this.width) {
      ctx.problem({
        line, column: Math.min(fields.length, this.width) + 1, code: 'ragged-row', effect: 'row-skipped',
        message: PROBLEM.raggedRow(fields.length, this.width),
      });
      return;
    }
    const [idRaw, target, portRaw, sevRaw] = fields as [string, string, string, string, string];
    const id = idRaw.trim();
    if (id === '') {
      ctx.problem({ line, column: 1, code: 'missing-id', effect: 'row-skipped', message: PROBLEM.fieldEmpty('id') });
      return;
    }
    // testssl writes severities upper-case and unpadded; normalise only when it did not.
    const severity = (Object.hasOwn(SEVERITY_RANK, sevRaw) ? sevRaw : sevRaw.trim().toUpperCase()) as TestsslSeverity;
    if (!Object.hasOwn(SEVERITY_RANK, severity)) {
      ctx.problem({
        line, column: 4, code: 'unknown-severity', effect: 'row-skipped',
        message: PROBLEM.unknownSeverity(sevRaw, TESTSSL_SEVERITIES),
      });
      return;
    }
    if (this.lastState !== undefined && target === this.lastTarget && portRaw === this.lastPort) {
      this.apply(this.lastState, fields, id, severity, line, raw);
      return;
    }
    // Digits only: Number() would also take "0x19", "2.5e1" and "25.0".
    const port = /^\d{1,5}$/.test(portRaw.trim()) ? Number(portRaw.trim()) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.problem({ line, column: 3, code: 'bad-port', effect: 'row-skipped', message: PROBLEM.portNotNumber(portRaw, 1) });
      return;
    }
    const slash = target.lastIndexOf('/');
    const host = (slash === -1 ? target : target.slice(0, slash)).trim();
    const ip = (slash === -1 ? target : target.slice(slash + 1)).trim();
    if (host === '' && ip === '') {
      ctx.problem({ line, column: 2, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.fieldEmpty('fqdn/ip') });
      return;
    }
    const state = this.endpointFor(host || ip, ip || host, port);
    this.lastTarget = target;
    this.lastPort = portRaw;
    this.lastState = state;
    this.apply(state, fields, id, severity, line, raw);
  }

  private apply(state: EndpointState, fields: readonly string[], id: string, severity: TestsslSeverity, line: number, raw: string): void {
    const source: SourceRef = { kind: 'testssl-csv', file: this.ctx.file, line, excerpt: excerpt(raw || requote(fields)) };
    state.obs.sources.push(source);
    if (!applyRow(state, id, severity, fields[4]!.trim(), fields[5]?.trim() ?? '', source, this.ctx, line)) {
      this.unevaluated.add(rowId(id).id, fields[4]!.trim().slice(0, 60));
    }
  }

  end() {
    const observations: Observation[] = [];
    for (const state of this.endpoints.values()) {
      finishObservation(state);
      observations.push(state.obs);
    }
    return { kind: 'scan-results' as const, observations, records: this.records, skipped: this.unevaluated.summary() };
  }

  private endpointFor(host: string, ip: string, port: number): EndpointState {
    const key = endpointKey({ host, ip, port });
    let state = this.endpoints.get(key);
    if (!state) {
      const { service, transport } = serviceForPort(port);
      const obs = emptyObservation({ host, ...(ip !== host ? { ip } : {}), port, service, transport }, this.ctx.observedAt, this.ctx.observedAtSource);
      obs.tool = 'testssl.sh';
      state = { obs, ranks: new Map() };
      this.endpoints.set(key, state);
    }
    return state;
  }
}

/** True when this row should (re)set the fact: first reading, or a reading at least as severe. */
function claim(state: EndpointState, key: string, severity: TestsslSeverity): boolean {
  const rank = SEVERITY_RANK[severity];
  const prev = state.ranks.get(key);
  if (prev !== undefined && prev > rank) return false;
  state.ranks.set(key, rank);
  return true;
}

/** What a row id is about, decided once per distinct id (see rowId). */
type RowKind =
  | { readonly kind: 'service' | 'optimal-proto' | 'scan-problem' | 'cipherlist-low' | 'cipher-row' | 'fs' | 'negotiated' | 'certificate' | 'other' }
  | { readonly kind: 'suite-list' | 'fs-suites' | 'dh-groups' | 'logjam' | 'logjam-primes' | 'robot' }
  | { readonly kind: 'protocol'; readonly protocol: Protocol }
  | { readonly kind: 'cipher-list'; readonly cipherClass: CipherClass }
  | { readonly kind: 'vulnerability'; readonly vuln: VulnId };

interface RowId {
  /** Lower-case id without the certificate suffix. */
  readonly id: string;
  /** Which certificate a `<cert#n>` / `<hostCert#n>` suffix names (1 without one). */
  readonly certIndex: number;
  readonly row: RowKind;
}

function classifyId(rawId: string): RowId {
  // Certificate ids carry " <cert#2>" (3.0) or " <hostCert#2>" (3.1+) when a server has several.
  const certMatch = rawId.endsWith('>') ? /^(\S+)\s+<(?:host)?[cC]ert#(\d+)>$/.exec(rawId) : null;
  const id = (certMatch ? certMatch[1]! : rawId).toLowerCase();
  const certIndex = certMatch ? Number(certMatch[2]) : 1;
  const at = (row: RowKind): RowId => ({ id, certIndex, row });
  if (id === 'service') return at({ kind: 'service' });
  if (id === 'optimal_proto') return at({ kind: 'optimal-proto' });
  if (id === 'scanproblem' || id === 'engine_problem') return at({ kind: 'scan-problem' });
  const protocol = Object.hasOwn(PROTOCOL_IDS, id) ? PROTOCOL_IDS[id] : undefined;
  if (protocol) return at({ kind: 'protocol', protocol });
  if (id === 'cipherlist_low') return at({ kind: 'cipherlist-low' });
  if (id.startsWith('cipher') && CIPHER_ROW.test(id)) return at({ kind: 'cipher-row' });
  const cipherClass = Object.hasOwn(CIPHER_LIST_IDS, id) ? CIPHER_LIST_IDS[id] : undefined;
  if (cipherClass) return at({ kind: 'cipher-list', cipherClass });
  if (id === 'pfs' || id === 'fs') return at({ kind: 'fs' });
  if (id === 'pfs_ciphers' || id === 'fs_ciphers') return at({ kind: 'fs-suites' });
  if (id.startsWith('cipherorder_') || id.startsWith('beast_cbc_')) return at({ kind: 'suite-list' });
  if (id === 'dh_groups') return at({ kind: 'dh-groups' });
  if (id === 'logjam') return at({ kind: 'logjam' });
  if (id === 'logjam-common_primes') return at({ kind: 'logjam-primes' });
  if (id === 'robot') return at({ kind: 'robot' });
  if (id === 'cipher_negotiated') return at({ kind: 'negotiated' });
  if (id.startsWith('cert') || id === 'ocsp_stapling') return at({ kind: 'certificate' });
  const vuln = Object.hasOwn(VULN_IDS, id) ? VULN_IDS[id] : undefined;
  if (vuln) return at({ kind: 'vulnerability', vuln });
  return at({ kind: 'other' });
}

/**
 * Row ids repeat for every endpoint (a mass scan is the same few hundred ids over and over), so
 * each distinct id is classified once. Bounded, in case a file has endless distinct ids.
 */
const ROW_IDS = new Map<string, RowId>();
const ROW_ID_CACHE_LIMIT = 4096;

function rowId(rawId: string): RowId {
  let r = ROW_IDS.get(rawId);
  if (r === undefined) {
    r = classifyId(rawId);
    // The key is a copy: an id cut from a larger record must not keep that record alive.
    if (ROW_IDS.size < ROW_ID_CACHE_LIMIT) ROW_IDS.set(ownedString(rawId), r);
  }
  return r;
}

/**
 * Applies one row. False when the row carries a verdict (severity OK to CRITICAL) that reaches no
 * check, so the caller counts it as read but not evaluated.
 */
function applyRow(state: EndpointState, rawId: string, severity: TestsslSeverity, finding: string, cve: string,
  source: SourceRef, ctx: IngestContext, line: number): boolean {
  const { row } = rowId(rawId);
  if (row.kind === 'other') return !VERDICT_SEVERITIES.has(severity);
  if (row.kind === 'vulnerability' && TESTSSL_UNJUDGED_VULNS.has(row.vuln)) {
    applyFactRow(state, rawId, severity, finding, cve, source, ctx, line);
    return !VERDICT_SEVERITIES.has(severity);
  }
  return applyFactRow(state, rawId, severity, finding, cve, source, ctx, line);
}

function applyFactRow(state: EndpointState, rawId: string, severity: TestsslSeverity, finding: string, cve: string,
  source: SourceRef, ctx: IngestContext, line: number): boolean {
  const obs = state.obs;
  const { id, certIndex, row } = rowId(rawId);
  switch (row.kind) {
    case 'service':
      state.service = source;
      return true;
    case 'optimal-proto':
      if (/doesn't seem to be a tls\/ssl enabled server|no ssl\/tls enabled/i.test(finding)) state.noTls = source;
      return true;
    case 'scan-problem':
      obs.scan.problems.push(fieldFact(finding, source));
      if (severity === 'FATAL') obs.scan.state = 'failed';
      else if (obs.scan.state === 'completed') obs.scan.state = 'partial';
      return true;
    case 'protocol': {
      const offered = parseOffered(finding);
      if (offered === undefined) {
        // testssl could not decide ("couldn't be tested, socket problem"): the scan is partial.
        if (severity === 'WARN' || severity === 'DEBUG') notePartial(obs, `${rawId}: ${finding}`, source);
        return true;
      }
      if (claim(state, id, severity)) obs.protocols[row.protocol] = fieldFact(offered, source);
      return true;
    }
    case 'cipherlist-low': {
      const offered = parseOffered(finding);
      if (offered === undefined) { notePartial(obs, `${rawId}: ${finding}`, source); return true; }
      if (claim(state, 'cipher:low', offered ? 'HIGH' : 'INFO')) state.low = { offered, source };
      return true;
    }
    case 'cipher-row':
      if (state.listedDes === undefined && listedSuiteIsDes(finding)) state.listedDes = source;
      applyListedSuite(state, finding, source);
      return true;
    case 'suite-list':
      for (const name of finding.split(/\s+/)) noteSuite(state, name, source);
      return true;
    case 'fs-suites': {
      const names = finding.split(/\s+/).filter(Boolean);
      if (names.some(isDheSuite)) state.dheSeen ??= source;
      else if (names.length > 0) state.dheAbsent ??= source;
      return true;
    }
    case 'dh-groups': {
      const bits = /\((\d+) bits\)/.exec(finding);
      if (bits) noteDhBits(state, Number(bits[1]), source);
      return true;
    }
    case 'logjam':
      applyLogjam(state, severity, finding, cve, source);
      return true;
    case 'logjam-primes':
      // A widely shared prime of 1024 bits or less is what Logjam's precomputation breaks; testssl
      // grades those HIGH or CRITICAL. Larger shared primes are only informative.
      if (severity !== 'HIGH' && severity !== 'CRITICAL') return !VERDICT_SEVERITIES.has(severity);
      if (claim(state, 'vuln:logjam', severity)) {
        obs.vulnerabilities.logjam = fieldFact({ state: 'vulnerable', detail: `common DH prime: ${finding}`, ...(cve ? { cve } : {}) }, source);
      }
      return true;
    case 'robot':
      if (/no rsa key transport cipher/i.test(finding)) state.staticRsaRefused ??= source;
      applyVulnerability(state, 'robot', severity, finding, cve, source);
      return true;
    case 'cipher-list': {
      const offered = parseOffered(finding);
      if (offered === undefined) { notePartial(obs, `${rawId}: ${finding}`, source); return true; }
      // AVERAGE (CBC) is reported per list; keep "offered" if any spelling says so.
      const cipherClass = row.cipherClass;
      if (claim(state, `cipher:${cipherClass}`, offered ? 'HIGH' : 'INFO')) obs.cipherClasses[cipherClass] = fieldFact(offered, source);
      return true;
    }
    case 'fs': {
      const lower = finding.toLowerCase();
      if (lower.startsWith('offered')) obs.forwardSecrecy = fieldFact(true, source);
      else if (lower.includes('no ciphers supporting')) {
        obs.forwardSecrecy = fieldFact(false, source);
        state.dheAbsent ??= source;
      }
      return true;
    }
    case 'negotiated':
      obs.preferredCipher = fieldFact(finding, source);
      return true;
    case 'certificate':
      applyCertificateRow(obs, id, certIndex, severity, finding, source, ctx, line);
      return true;
    case 'vulnerability':
      applyVulnerability(state, row.vuln, severity, finding, cve, source);
      return true;
    case 'other':
      return true;
  }
}

function applyVulnerability(state: EndpointState, vuln: VulnId, severity: TestsslSeverity, finding: string, cve: string, source: SourceRef): void {
  const obs = state.obs;
  const verdict = parseVulnerability(finding, severity);
  if (claim(state, `vuln:${vuln}`, severity)) {
    obs.vulnerabilities[vuln] = fieldFact({ state: verdict, detail: finding, ...(cve ? { cve } : {}) }, source);
  }
  // The RC4 test is also the only place testssl lists RC4 suites.
  if (vuln === 'rc4' && verdict !== 'unknown') obs.cipherClasses.rc4 = fieldFact(verdict === 'vulnerable', source);
}

/**
 * LOGJAM (CVE-2015-4000) is the DHE EXPORT downgrade, and that is what this row's verdict is read
 * as. testssl also writes here that the server's own group "has only 1024 bits" (graded MEDIUM or
 * worse): that is the group size, a fact `dh-weak` judges, so it becomes `dhBits` and never a
 * second Logjam finding for the same weak group.
 */
function applyLogjam(state: EndpointState, severity: TestsslSeverity, finding: string, cve: string, source: SourceRef): void {
  const bits = /has only (\d+) bits/i.exec(finding);
  if (bits) noteDhBits(state, Number(bits[1]), source);
  const f = finding.toLowerCase();
  const verdict: VulnState = /uses dh export/.test(f) ? 'vulnerable'
    : /no dh export ciphers/.test(f) ? 'not-vulnerable'
      : parseVulnerability(finding, severity);
  // Ranked by the verdict, not testssl's severity: a MEDIUM "1024 bits" row says "no DH EXPORT" too.
  const rank: TestsslSeverity = verdict === 'vulnerable' ? 'HIGH' : verdict === 'not-vulnerable' ? 'OK' : 'DEBUG';
  if (claim(state, 'vuln:logjam', rank)) {
    state.obs.vulnerabilities.logjam = fieldFact({ state: verdict, detail: finding, ...(cve ? { cve } : {}) }, source);
  }
}

function noteDhBits(state: EndpointState, bits: number, source: SourceRef): void {
  if (!Number.isInteger(bits) || bits <= 0) return;
  if (state.dhMin === undefined || bits < state.dhMin.bits) state.dhMin = { bits, source };
  state.dheSeen ??= source;
}

/** One suite name (IANA or OpenSSL) the server accepted. */
function noteSuite(state: EndpointState, name: string, source: SourceRef): void {
  if (name === '') return;
  if (isStaticRsaSuite(name)) state.staticRsaSeen ??= source;
  if (isDheSuite(name)) state.dheSeen ??= source;
}

/**
 * A per-cipher row ("x9f  DHE-RSA-AES256-GCM-SHA384  DH 1024  AESGCM  256  TLS_DHE_RSA_WITH_…"):
 * its key exchange column gives static RSA and the DH group size.
 */
function applyListedSuite(state: EndpointState, finding: string, source: SourceRef): void {
  if (/not a\/v$/i.test(finding)) return;
  for (const token of finding.split(/\s+/)) {
    if (token.startsWith('TLS_') || token.startsWith('SSL_') || /^[A-Z0-9]+(?:-[A-Z0-9]+)+$/.test(token)) noteSuite(state, token, source);
  }
  const dh = /(?:^|\s)DH\s+(\d+)(?:\s|$)/.exec(finding);
  if (dh) noteDhBits(state, Number(dh[1]), source);
}

function notePartial(obs: Observation, text: string, source: SourceRef): void {
  obs.scan.problems.push(fieldFact(text, source));
  if (obs.scan.state === 'completed') obs.scan.state = 'partial';
}

/** "offered…" / "not offered…" / "likely not offered"; undefined when testssl could not tell. */
function parseOffered(finding: string): boolean | undefined {
  const f = finding.toLowerCase();
  if (f.startsWith('not offered') || f.startsWith('likely not offered')) return false;
  // SSLv3/TLS rows where the server answered with another version: the requested one is not offered.
  if (f.startsWith('server responded with higher version') || f.startsWith('connection failed rather than downgrading')) return false;
  if (f.startsWith('offered') || f.startsWith('supported but') || f.startsWith('vulnerable with')) return true;
  return undefined;
}

export function parseVulnerability(finding: string, severity: TestsslSeverity): VulnState {
  const f = finding.toLowerCase();
  if (f.includes('not vulnerable') || f.startsWith('no session ticket') || f.startsWith('supported (ok)')) return 'not-vulnerable';
  if (f.includes('potentially') || f.includes('likely vulnerable') || f.includes('probably')) return 'potentially-vulnerable';
  // testssl 3.0 words SWEET32 without "VULNERABLE" (3.1+ adds it): 64-bit block ciphers are the flaw itself.
  if (f.includes('vulnerable') || f.includes('uses 64 bit block ciphers')) return 'vulnerable';
  if (severity === 'OK') return 'not-vulnerable';
  // No verdict in the text but testssl flagged it (e.g. LOGJAM: "DH group has only 1024 bits"):
  // a weakness worth a warning, not a proven vulnerability.
  if (severity === 'LOW' || severity === 'MEDIUM' || severity === 'HIGH' || severity === 'CRITICAL') return 'potentially-vulnerable';
  return 'unknown';
}


function applyCertificateRow(obs: Observation, id: string, index: number, severity: TestsslSeverity, finding: string,
  source: SourceRef, ctx: IngestContext, line: number): void {
  switch (id) {
    case 'cert_commonname':
      certificateAt(obs, index).commonName = fieldFact(finding, source);
      return;
    case 'cert_subjectaltname':
      if (!/^no san/i.test(finding)) certificateAt(obs, index).subjectAltNames = fieldFact(finding.split(/\s+/).filter(Boolean), source);
      return;
    case 'cert_caissuers':
      certificateAt(obs, index).issuer = fieldFact(finding, source);
      return;
    case 'cert_serialnumber':
      certificateAt(obs, index).serial = fieldFact(finding, source);
      return;
    case 'cert_fingerprintsha256':
      certificateAt(obs, index).fingerprintSha256 = fieldFact(finding, source);
      return;
    case 'cert_notbefore':
    case 'cert_notafter': {
      const iso = parseTestsslDate(finding);
      if (iso === undefined) {
        ctx.problem({ line, column: 5, code: 'unparseable-date', effect: 'value-ignored',
          message: PROBLEM.testsslCertDate(id === 'cert_notbefore' ? 'cert_notBefore' : 'cert_notAfter', finding) });
        return;
      }
      certificateAt(obs, index)[id === 'cert_notbefore' ? 'notBefore' : 'notAfter'] = fieldFact(iso, source);
      return;
    }
    case 'cert_keysize': {
      const m = /^(\w+)\s+(\d+)\s+bits/i.exec(finding);
      if (m) {
        const cert = certificateAt(obs, index);
        cert.keyAlgorithm = fieldFact(keyAlgorithm(m[1]!), source);
        cert.keyBits = fieldFact(Number(m[2]), source);
      }
      return;
    }
    case 'cert_signaturealgorithm':
      certificateAt(obs, index).signatureAlgorithm = fieldFact(finding, source);
      return;
    case 'cert_chain_of_trust': {
      const f = finding.toLowerCase();
      if (f.startsWith('passed')) {
        certificateAt(obs, index).chainTrust = fieldFact({ trusted: true, selfSigned: false, detail: finding }, source);
      } else if (/^failed \(expired\)\.?\s*$/.test(f)) {
        // openssl verify stops at the expiry: the path to a trusted root is fine, and cert-expired
        // reports the expiry itself. Counting it as "untrusted" too would fail one fact twice.
        certificateAt(obs, index).chainTrust = fieldFact({ trusted: true, selfSigned: false, detail: `chain to a trusted root; validation stopped at the expiry (${finding})` }, source);
      } else if (f.startsWith('failed') || f.includes('not trusted') || f.includes('trust checks failed')) {
        certificateAt(obs, index).chainTrust = fieldFact({ trusted: false, selfSigned: /self.signed/.test(f), detail: finding }, source);
      }
      return;
    }
    case 'cert_trust': {
      const f = finding.toLowerCase();
      if (f.startsWith('ok via') || f.startsWith('via cn')) certificateAt(obs, index).hostnameMatch = fieldFact(true, source);
      else if (f.includes('does not match')) certificateAt(obs, index).hostnameMatch = fieldFact(false, source);
      return;
    }
    case 'ocsp_stapling': {
      const offered = parseOffered(finding);
      if (offered !== undefined) certificateAt(obs, index).ocspStapling = fieldFact(offered, source);
      return;
    }
    default:
      // Other certificate rows (validity period, CT, CRL/OCSP URIs…) stay as sources only.
      void severity;
  }
}

function keyAlgorithm(name: string): KeyAlgorithm {
  const n = name.toUpperCase();
  if (n === 'RSA') return 'RSA';
  if (n === 'EC' || n === 'ECDSA') return 'EC';
  if (n === 'DSA') return 'DSA';
  if (n.startsWith('ED') || n === 'EDDSA') return 'EdDSA';
  return 'other';
}

/**
 * testssl prints certificate dates as "YYYY-MM-DD HH:MM" in the scanning machine's local time,
 * without a zone. We read them as UTC (what scanners on servers and in containers run in) and the
 * report says so in its methodology.
 */
export function parseTestsslDate(s: string): string | undefined {
  const t = s.trim();
  // testssl's own form, read directly: date-fns' parser costs tens of microseconds a call, which
  // showed in ingest time. Anything else (fewer digits, years before 1000) goes through date-fns.
  if (t.length === 16 && DATE_SHAPE.test(t)) {
    const y = Number(t.slice(0, 4));
    const mo = Number(t.slice(5, 7));
    const d = Number(t.slice(8, 10));
    const h = Number(t.slice(11, 13));
    const mi = Number(t.slice(14, 16));
    if (y < 1000) return slowTestsslDate(t);
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59) return undefined;
    return new Date(Date.UTC(y, mo - 1, d, h, mi)).toISOString();
  }
  return slowTestsslDate(t);
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

function daysInMonth(y: number, month: number): number {
  return new Date(Date.UTC(y, month, 0)).getUTCDate();
}

function slowTestsslDate(trimmed: string): string | undefined {
  const d = parseDate(`${trimmed} +00:00`, 'yyyy-MM-dd HH:mm xxx', new Date(0));
  return isValid(d) ? d.toISOString() : undefined;
}

/** One cipher suite a server accepted: `cipher_xc030` (-e, 3.0 server preference) or `cipher-tls1_2_xc030` (-E). */
const CIPHER_ROW = /^cipher(?:-(?:tls1(?:_[0-3])?|ssl[23]))?_x[0-9a-f]+$/;

/**
 * "x0a  DES-CBC3-SHA  RSA  3DES  168  TLS_RSA_WITH_3DES_EDE_CBC_SHA" (-E rows start with the
 * protocol; --show-each adds "available" or "not a/v"): whether the suite is single DES or RC2.
 */
function listedSuiteIsDes(finding: string): boolean {
  const tokens = finding.trim().split(/\s+/);
  if (/not a\/v$/i.test(finding.trim())) return false;
  const name = tokens.find((t) => t.startsWith('TLS_') || t.startsWith('SSL_')) ?? tokens.find((t) => /^[A-Z0-9]+(?:-[A-Z0-9]+)+$/.test(t));
  return name !== undefined && classifySuite(name).classes.includes('des');
}

/**
 * Single DES (and RC2) from testssl's LOW list, which also holds RC4: offered only when a
 * per-cipher row names such a suite, or LOW was offered while RC4 was found not offered.
 * LOW offered beside RC4 without such a row leaves DES undecided rather than claim it.
 */
function decideSingleDes(state: EndpointState): void {
  const { low, obs } = state;
  if (state.listedDes) obs.cipherClasses.des = fieldFact(true, state.listedDes);
  else if (low && !low.offered) obs.cipherClasses.des = fieldFact(false, low.source);
  else if (low && obs.cipherClasses.rc4?.value === false) obs.cipherClasses.des = fieldFact(true, low.source);
}

/** Facts derived once all rows are in: single DES, TLS availability and STARTTLS from what was offered. */
function finishObservation(state: EndpointState): void {
  const obs = state.obs;
  decideSingleDes(state);
  if (state.staticRsaSeen) obs.staticRsa = fieldFact(true, state.staticRsaSeen);
  else if (state.staticRsaRefused) obs.staticRsa = fieldFact(false, state.staticRsaRefused);
  if (state.dhMin) obs.dhBits = fieldFact(state.dhMin.bits, state.dhMin.source);
  if (state.dheSeen) obs.dheOffered = fieldFact(true, state.dheSeen);
  else if (state.dheAbsent) obs.dheOffered = fieldFact(false, state.dheAbsent);
  const starttls = obs.endpoint.transport === 'starttls';
  const readings = Object.values(obs.protocols);
  const offered = readings.find((f) => f?.value === true);
  if (offered) {
    obs.tlsAvailable = fieldFact(true, offered.source);
    if (starttls) obs.startTlsOffered = fieldFact(true, state.service ?? offered.source);
    return;
  }
  const refusal = state.noTls
    ?? (readings.length > 0 && readings.every((f) => f?.value === false) ? readings[0]!.source : undefined)
    ?? obs.scan.problems.find((p) => /starttls|tls\/ssl enabled/i.test(p.value))?.source;
  if (refusal) {
    obs.tlsAvailable = fieldFact(false, refusal);
    if (starttls) obs.startTlsOffered = fieldFact(false, refusal);
  }
}
