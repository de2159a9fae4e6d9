/**
 * Facts that follow from other facts, derived once per observation (every reader and the scanner
 * share this step; checks never derive). A scanner that judges a vulnerability itself keeps its own
 * verdict: a derived fact only fills a gap.
 *
 * - SWEET32 is the offer of a 64-bit block cipher (3DES, DES, IDEA).
 * - BEAST is a CBC suite (or 3DES/DES, which are CBC too) under SSL 3.0 or TLS 1.0.
 * - LUCKY13 is any CBC suite: whether the server's MAC check is constant-time cannot be seen from
 *   outside, so an offer is "potentially vulnerable", as testssl.sh words it.
 * - Logjam (CVE-2015-4000) is the DHE EXPORT downgrade: without EXPORT suites there is none. The
 *   size of the server's own DH group is a separate fact (`dhBits`), judged by `dh-weak` only, so
 *   one weak group is never counted twice.
 */
import type { CipherClass, FactPath, Observation, Protocol, VulnFact, VulnId } from './observation.js';
import type { Fact } from './source.js';

/** Which facts each derived fact is computed from (the rule is in `deriveFacts`). */
export const DERIVED_FACTS: Readonly<Partial<Record<FactPath, readonly FactPath[]>>> = {
  'vulnerabilities.sweet32': ['cipherClasses.3des', 'cipherClasses.des'],
  'vulnerabilities.beast': ['protocols.SSLv3', 'protocols.TLSv1.0', 'cipherClassesByProtocol'],
  'vulnerabilities.lucky13': ['cipherClasses.cbc', 'cipherClasses.3des', 'cipherClasses.des'],
  'vulnerabilities.logjam': ['cipherClasses.export'],
};

/** CBC-mode classes: AES/Camellia/… CBC, and the 64-bit block ciphers, which are CBC too. */
const CBC_CLASSES: readonly CipherClass[] = ['cbc', '3des', 'des'];
const BLOCK64_CLASSES: readonly CipherClass[] = ['3des', 'des'];
const BEAST_PROTOCOLS: readonly Protocol[] = ['SSLv3', 'TLSv1.0'];

function derived(value: VulnFact, from: Fact<unknown>): Fact<VulnFact> {
  return { value, source: from.source };
}

/**
 * The verdict over `classes` in one class table: offered (with the fact that shows it), not
 * offered (every class known absent), or unknown.
 */
function classesOffered(table: Partial<Record<CipherClass, Fact<boolean>>> | undefined, classes: readonly CipherClass[]):
  { offered: true; fact: Fact<boolean>; names: CipherClass[] } | { offered: false; fact: Fact<boolean> } | undefined {
  if (table === undefined) return undefined;
  const yes = classes.filter((c) => table[c]?.value === true);
  if (yes.length > 0) return { offered: true, fact: table[yes[0]!]!, names: yes };
  const facts = classes.map((c) => table[c]);
  if (facts.every((f) => f?.value === false)) return { offered: false, fact: facts[0]! };
  return undefined;
}

const CLASS_WORDS: Readonly<Record<CipherClass, string>> = {
  null: 'NULL', anon: 'anonymous', export: 'EXPORT', des: 'DES', '3des': '3DES/IDEA', rc4: 'RC4', cbc: 'CBC',
};

function names(cs: readonly CipherClass[]): string {
  return cs.map((c) => CLASS_WORDS[c]).join(', ');
}

function sweet32(obs: Observation): Fact<VulnFact> | undefined {
  const r = classesOffered(obs.cipherClasses, BLOCK64_CLASSES);
  if (r === undefined) return undefined;
  return r.offered
    ? derived({ state: 'vulnerable', detail: `64-bit block cipher suites offered (${names(r.names)})` }, r.fact)
    : derived({ state: 'not-vulnerable', detail: 'no 64-bit block cipher suite (3DES, DES, IDEA) offered' }, r.fact);
}

function lucky13(obs: Observation): Fact<VulnFact> | undefined {
  const r = classesOffered(obs.cipherClasses, CBC_CLASSES);
  if (r === undefined) return undefined;
  return r.offered
    ? derived({ state: 'potentially-vulnerable', detail: `CBC cipher suites offered (${names(r.names)}); whether the server's padding check is constant-time cannot be seen from outside` }, r.fact)
    : derived({ state: 'not-vulnerable', detail: 'no CBC cipher suite offered' }, r.fact);
}

function beast(obs: Observation): Fact<VulnFact> | undefined {
  const legacy = BEAST_PROTOCOLS.map((p) => [p, obs.protocols[p]] as const);
  if (legacy.every(([, f]) => f?.value === false)) {
    return derived({ state: 'not-vulnerable', detail: 'neither SSL 3.0 nor TLS 1.0 is offered' }, legacy[1]![1]!);
  }
  const offered = legacy.filter(([, f]) => f?.value === true);
  if (offered.length === 0) return undefined;
  let allRefused: Fact<boolean> | undefined;
  for (const [p] of offered) {
    const r = classesOffered(obs.cipherClassesByProtocol?.[p], CBC_CLASSES);
    if (r === undefined) return undefined;
    if (r.offered) return derived({ state: 'vulnerable', detail: `${p} is offered with CBC cipher suites (${names(r.names)})` }, r.fact);
    allRefused ??= r.fact;
  }
  return allRefused && derived({ state: 'not-vulnerable', detail: `${offered.map(([p]) => p).join(' and ')} offered without CBC cipher suites` }, allRefused);
}

function logjam(obs: Observation): Fact<VulnFact> | undefined {
  const f = obs.cipherClasses.export;
  if (f?.value !== false) return undefined;
  return derived({ state: 'not-vulnerable', detail: 'no EXPORT cipher suites offered, so no DHE EXPORT downgrade' }, f);
}

const RULES: Readonly<Partial<Record<VulnId, (obs: Observation) => Fact<VulnFact> | undefined>>> = {
  sweet32, beast, lucky13, logjam,
};

/**
 * Fills derived facts the observation lacks; never replaces a reading a scanner made. Pure apart
 * from writing into `obs`; running it twice changes nothing.
 */
export function deriveFacts(obs: Observation): Observation {
  for (const [id, rule] of Object.entries(RULES) as [VulnId, (o: Observation) => Fact<VulnFact> | undefined][]) {
    if (obs.vulnerabilities[id] !== undefined) continue;
    const f = rule(obs);
    if (f !== undefined) obs.vulnerabilities[id] = f;
  }
  return obs;
}
