/**
 * Several inputs can describe the same endpoint: a rescan, two files of one run, or two tools
 * (testssl.sh and nmap, Nessus and SSLyze…). They become one Observation that keeps every source.
 *
 * - Readings by the same tool: the most recent reading of each fact wins (a rescan after a fix
 *   replaces the old verdict).
 * - Readings by different tools: the worse reading decides, and a disagreeing reading is kept on
 *   the fact as a conflict (`Fact.conflicts`) so the report can show both. "Worse" is what fails a
 *   check: a legacy protocol or weak cipher class offered, TLS 1.2/1.3 or forward secrecy missing,
 *   a vulnerability found, an earlier expiry, a smaller key, an untrusted chain, a name mismatch,
 *   a stapled OCSP response saying revoked.
 * - An endpoint a tool knew only by address (nmap run on an IP) joins the named endpoint with the
 *   same address and port, when exactly one such endpoint exists.
 */
import { endpointKey } from './endpoint.js';
import type { CertificateFacts, ChainTrust, Observation, OcspCertificateStatus, Protocol, ScanState, VulnFact, VulnState } from './observation.js';
import { SOURCE_TOOL, type Fact } from './source.js';

export function mergeObservations(all: readonly Observation[]): Observation[] {
  const byKey = new Map<string, Observation[]>();
  for (const o of all) {
    const key = endpointKey(o.endpoint);
    const list = byKey.get(key);
    if (list) list.push(o);
    else byKey.set(key, [o]);
  }
  attachAddressOnly(byKey);
  const out: Observation[] = [];
  for (const list of byKey.values()) out.push(list.length === 1 ? list[0]! : mergeGroup(list));
  return out;
}

function isAddress(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s));
}

/** Moves groups keyed by a bare address into the one named group with that address and port. */
function attachAddressOnly(byKey: Map<string, Observation[]>): void {
  const named = new Map<string, string[]>();
  for (const [key, list] of byKey) {
    const e = list[0]!.endpoint;
    if (!isAddress(e.host) && e.ip) {
      const k = `${e.ip}:${e.port}`;
      named.set(k, [...(named.get(k) ?? []), key]);
    }
  }
  for (const [key, list] of [...byKey]) {
    const e = list[0]!.endpoint;
    if (!isAddress(e.host)) continue;
    const targets = named.get(`${e.ip ?? e.host}:${e.port}`);
    if (targets?.length !== 1) continue;
    byKey.get(targets[0]!)!.push(...list);
    byKey.delete(key);
  }
}

/** The tool behind an observation: its sources' kind (testssl CSV and JSON are one tool). */
function toolOf(o: Observation): string {
  const kind = o.sources[0]?.kind;
  return kind ? SOURCE_TOOL[kind] : (o.tool ?? 'unknown');
}

function byTime(a: Observation, b: Observation): number {
  return a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0;
}

function mergeGroup(list: Observation[]): Observation {
  const families = new Map<string, Observation[]>();
  for (const o of [...list].sort(byTime)) {
    const tool = toolOf(o);
    families.set(tool, [...(families.get(tool) ?? []), o]);
  }
  const perTool = [...families.values()].map((f) => (f.length === 1 ? copy(f[0]!) : mergeSameTool(f)));
  if (perTool.length === 1) return perTool[0]!;
  // A named endpoint is the better label than a bare address.
  perTool.sort((a, b) => Number(isAddress(a.endpoint.host)) - Number(isAddress(b.endpoint.host)));
  let merged = perTool[0]!;
  for (const other of perTool.slice(1)) merged = combineTools(merged, other);
  return merged;
}

function copy(o: Observation): Observation {
  return {
    ...o,
    scan: { state: o.scan.state, problems: [...o.scan.problems] },
    protocols: { ...o.protocols },
    cipherClasses: { ...o.cipherClasses },
    vulnerabilities: { ...o.vulnerabilities },
    certificates: o.certificates.map((c) => ({ ...c })),
    sources: [...o.sources],
  };
}

/** Keys handled explicitly; any other (optional) field is taken from the newest reading that has it. */
const HANDLED = new Set([
  'endpoint', 'observedAt', 'observedAtSource', 'tool', 'scan', 'tlsAvailable', 'startTlsOffered', 'protocols',
  'cipherClasses', 'forwardSecrecy', 'preferredCipher', 'certificates', 'vulnerabilities', 'sources',
]);

/** One tool, several readings (oldest first): later readings overwrite earlier ones. */
function mergeSameTool(sorted: Observation[]): Observation {
  const merged = copy(sorted[0]!);
  const m = merged as unknown as Record<string, unknown>;
  for (const o of sorted.slice(1)) {
    merged.observedAt = o.observedAt;
    merged.observedAtSource = o.observedAtSource;
    if (o.tool) merged.tool = o.tool;
    merged.scan = { state: o.scan.state, problems: [...merged.scan.problems, ...o.scan.problems] };
    if (o.tlsAvailable) merged.tlsAvailable = o.tlsAvailable;
    if (o.startTlsOffered) merged.startTlsOffered = o.startTlsOffered;
    if (o.forwardSecrecy) merged.forwardSecrecy = o.forwardSecrecy;
    if (o.preferredCipher) merged.preferredCipher = o.preferredCipher;
    Object.assign(merged.protocols, o.protocols);
    Object.assign(merged.cipherClasses, o.cipherClasses);
    Object.assign(merged.vulnerabilities, o.vulnerabilities);
    // A newer scan that saw certificates replaces the older certificate set: certificates are renewed as a whole.
    if (o.certificates.length > 0) merged.certificates = o.certificates.map((c) => ({ ...c }));
    for (const s of o.sources) merged.sources.push(s);
    for (const [k, v] of Object.entries(o)) if (!HANDLED.has(k) && v !== undefined) m[k] = v;
  }
  return merged;
}

/** Rank of a value: higher is worse. Equal ranks keep the reading already there. */
type Rank<T> = (v: T) => number;

const offeredIsWorse: Rank<boolean> = (v) => (v ? 1 : 0);
const missingIsWorse: Rank<boolean> = (v) => (v ? 0 : 1);
const LEGACY: ReadonlySet<Protocol> = new Set(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']);
const VULN_RANK: Readonly<Record<VulnState, number>> = { unknown: 0, 'not-vulnerable': 1, 'potentially-vulnerable': 2, vulnerable: 3 };
const OCSP_RANK: Readonly<Record<OcspCertificateStatus['status'], number>> = { good: 0, unknown: 1, revoked: 2 };
const WEAK_HASH = /sha[-_ ]?1(?!\d)|md[245](?!\d)/i;

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The reading that decides between two tools' facts, with the other kept as a conflict when the
 * two disagree. `equal` says when two readings agree (vulnerability details differ in wording).
 */
function decide<T>(a: Fact<T> | undefined, b: Fact<T> | undefined, rank?: Rank<T>, equal: (x: T, y: T) => boolean = same): Fact<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  if (equal(a.value, b.value)) return a;
  const [win, lose] = rank && rank(b.value) > rank(a.value) ? [b, a] : [a, b];
  return {
    value: win.value,
    source: win.source,
    conflicts: [...(win.conflicts ?? []), { value: lose.value, source: lose.source }, ...(lose.conflicts ?? [])],
  };
}

function assignFact<O extends object, K extends keyof O>(target: O, key: K, value: O[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

const SCAN_RANK: Readonly<Record<ScanState, number>> = { completed: 0, partial: 1, failed: 2 };

/** Two tools' readings of one endpoint: the worse reading of each fact decides. */
function combineTools(a: Observation, b: Observation): Observation {
  const merged = copy(a);
  const newer = b.observedAt > a.observedAt ? b : a;
  merged.observedAt = newer.observedAt;
  merged.observedAtSource = newer.observedAtSource;
  const tools = [...new Set([a.tool, b.tool].filter((t): t is string => !!t).flatMap((t) => t.split(' + ')))];
  if (tools.length > 0) merged.tool = tools.join(' + ');
  // A tool that could not scan at all does not make the others' scan incomplete.
  const usable = [a.scan, b.scan].filter((s) => s.state !== 'failed');
  const scans = usable.length > 0 ? usable : [a.scan, b.scan];
  merged.scan = {
    state: scans.reduce<ScanState>((w, s) => (SCAN_RANK[s.state] > SCAN_RANK[w] ? s.state : w), 'completed'),
    problems: scans.flatMap((s) => s.problems),
  };
  assignFact(merged, 'tlsAvailable', decide(a.tlsAvailable, b.tlsAvailable, missingIsWorse));
  assignFact(merged, 'startTlsOffered', decide(a.startTlsOffered, b.startTlsOffered, missingIsWorse));
  assignFact(merged, 'forwardSecrecy', decide(a.forwardSecrecy, b.forwardSecrecy, missingIsWorse));
  assignFact(merged, 'preferredCipher', decide(a.preferredCipher, b.preferredCipher));
  for (const p of Object.keys(b.protocols) as Protocol[]) {
    assignFact(merged.protocols, p, decide(a.protocols[p], b.protocols[p], LEGACY.has(p) ? offeredIsWorse : missingIsWorse));
  }
  for (const c of Object.keys(b.cipherClasses) as (keyof Observation['cipherClasses'])[]) {
    assignFact(merged.cipherClasses, c, decide(a.cipherClasses[c], b.cipherClasses[c], offeredIsWorse));
  }
  for (const v of Object.keys(b.vulnerabilities) as (keyof Observation['vulnerabilities'])[]) {
    assignFact(merged.vulnerabilities, v, decide<VulnFact>(a.vulnerabilities[v], b.vulnerabilities[v], (x) => VULN_RANK[x.state], (x, y) => x.state === y.state));
  }
  merged.certificates = combineCertificates(merged.certificates, b.certificates);
  merged.sources.push(...b.sources);
  const m = merged as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(b)) if (!HANDLED.has(k) && v !== undefined && m[k] === undefined) m[k] = v;
  return merged;
}

function fingerprint(c: CertificateFacts): string | undefined {
  return c.fingerprintSha256?.value.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

/** Pairs each of `b`'s certificates with one of `a`'s (fingerprint, else name and position); the rest are added. */
function combineCertificates(a: CertificateFacts[], b: readonly CertificateFacts[]): CertificateFacts[] {
  const out = a.map((c) => ({ ...c }));
  const used = new Set<CertificateFacts>();
  for (const cb of b) {
    const fpb = fingerprint(cb);
    let match = fpb ? out.find((ca) => !used.has(ca) && fingerprint(ca) === fpb) : undefined;
    if (!match) {
      match = out.find((ca) => !used.has(ca) && ca.index === cb.index && (!fpb || !fingerprint(ca))
        && (ca.commonName === undefined || cb.commonName === undefined || ca.commonName.value.toLowerCase() === cb.commonName.value.toLowerCase()));
    }
    if (!match) {
      const index = Math.max(0, ...out.map((c) => c.index)) + 1;
      const added = { ...cb, index };
      out.push(added);
      used.add(added);
      continue;
    }
    used.add(match);
    combineCertificate(match, cb);
  }
  return out;
}

function combineCertificate(a: CertificateFacts, b: CertificateFacts): void {
  const time = (iso: string): number => Date.parse(iso) || 0;
  // Tools print certificate dates to the minute (testssl) or the second (nmap, SSLyze): a minute apart is the same date.
  const sameMinute = (x: string, y: string): boolean => Math.abs(time(x) - time(y)) < 60_000;
  assignFact(a, 'notAfter', decide(a.notAfter, b.notAfter, (v) => -time(v), sameMinute));
  assignFact(a, 'notBefore', decide(a.notBefore, b.notBefore, (v) => time(v), sameMinute));
  assignFact(a, 'keyBits', decide(a.keyBits, b.keyBits, (v) => -v));
  assignFact(a, 'signatureAlgorithm', decide(a.signatureAlgorithm, b.signatureAlgorithm, (v) => (WEAK_HASH.test(v) ? 1 : 0),
    (x, y) => x.replace(/[^a-z0-9]/gi, '').toLowerCase() === y.replace(/[^a-z0-9]/gi, '').toLowerCase() || WEAK_HASH.test(x) === WEAK_HASH.test(y)));
  assignFact(a, 'chainTrust', decide<ChainTrust>(a.chainTrust, b.chainTrust, (v) => (v.trusted ? 0 : 1) + (v.selfSigned ? 1 : 0),
    (x, y) => x.trusted === y.trusted && x.selfSigned === y.selfSigned));
  assignFact(a, 'hostnameMatch', decide(a.hostnameMatch, b.hostnameMatch, missingIsWorse));
  assignFact(a, 'ocspStapling', decide(a.ocspStapling, b.ocspStapling, missingIsWorse));
  assignFact(a, 'ocspStatus', decide<OcspCertificateStatus>(a.ocspStatus, b.ocspStatus, (v) => OCSP_RANK[v.status], (x, y) => x.status === y.status));
  assignFact(a, 'keyAlgorithm', decide(a.keyAlgorithm, b.keyAlgorithm));
  assignFact(a, 'commonName', decide(a.commonName, b.commonName, undefined, (x, y) => x.toLowerCase() === y.toLowerCase()));
  assignFact(a, 'issuer', decide(a.issuer, b.issuer, undefined, () => true));
  // Serial numbers are printed in hex by some tools and in decimal by others: not compared.
  assignFact(a, 'serial', decide(a.serial, b.serial, undefined, () => true));
  assignFact(a, 'subjectAltNames', decide(a.subjectAltNames, b.subjectAltNames, undefined,
    (x, y) => same([...x].map((s) => s.toLowerCase()).sort(), [...y].map((s) => s.toLowerCase()).sort())));
  assignFact(a, 'fingerprintSha256', decide(a.fingerprintSha256, b.fingerprintSha256, undefined, (x, y) => x.replace(/[^0-9a-f]/gi, '').toUpperCase() === y.replace(/[^0-9a-f]/gi, '').toUpperCase()));
  const am = a as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(b)) if (v !== undefined && am[k] === undefined) am[k] = v;
}
