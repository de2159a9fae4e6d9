/**
 * The check fact table (src/checks/facts.ts) is honest: on every real observation of the corpus
 * (each reader's files) plus scanner-only facts, a check given ONLY its declared facts reaches the
 * same verdicts as on the whole observation (it reads nothing else), and without them it has no
 * verdict (it needs them). Also: the testssl reader's list of vulnerabilities no check judges is
 * exactly the vulnerabilities no check reads, so its "not evaluated" counts stay true.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { CHECK_FACTS } from '../../src/checks/facts.js';
import { CHECK_IDS, type CheckId } from '../../src/checks/index.js';
import { TESTSSL_UNJUDGED_VULNS } from '../../src/ingest/testssl-csv.js';
import {
  VULNERABILITIES, emptyObservation, type CertificateFacts, type FactPath, type MailDialogueFacts, type Observation,
} from '../../src/model/observation.js';
import { loadCorpus } from '../model/fact-corpus.js';
import { CTX, findingsOf } from './helpers.js';
import { ENFORCE, dane, pf, rpt, sts } from './probe-facts.js';
import { failure, report, withReports } from './sender-facts.js';

/** `obs` with only `keep` (true) or everything but `keep` (false) of the fact paths. */
function project(obs: Observation, paths: readonly FactPath[], keep: boolean): Observation {
  const wanted = (p: FactPath): boolean => paths.includes(p) === keep;
  const out = emptyObservation(obs.endpoint, obs.observedAt, obs.observedAtSource);
  out.sources = obs.sources;
  if (wanted('scan')) out.scan = obs.scan;
  for (const [k, v] of Object.entries(obs)) {
    if (v === undefined || ['endpoint', 'observedAt', 'observedAtSource', 'sources', 'scan', 'tool', 'transcript'].includes(k)) continue;
    const o = out as unknown as Record<string, unknown>;
    if (k === 'protocols' || k === 'cipherClasses' || k === 'vulnerabilities') {
      o[k] = Object.fromEntries(Object.entries(v as object).filter(([sub]) => wanted(`${k}.${sub}` as FactPath)));
    } else if (k === 'mail') {
      o[k] = Object.fromEntries(Object.entries(v as MailDialogueFacts).filter(([sub]) => wanted(`mail.${sub}` as FactPath)));
    } else if (k === 'certificates') {
      o[k] = (v as CertificateFacts[]).map((c) => Object.fromEntries(Object.entries(c).filter(([sub]) => sub === 'index' || wanted(`certificates.${sub}` as FactPath))));
    } else if (wanted(k as FactPath)) {
      o[k] = v;
    }
  }
  return out;
}

function verdicts(id: CheckId, obs: Observation): string[] {
  return findingsOf(checks[id], obs, CTX).map((f) => `${f.status}:${f.messageId}`);
}

/** Scanner-only facts no reader file gives (mail dialogue, MTA-STS, TLS-RPT, DANE…), on SMTP and submission. */
function scannerObservations(): Observation[] {
  const smtp = emptyObservation({ host: 'mx.example.test', ip: '192.0.2.25', port: 25, service: 'smtp', transport: 'starttls' }, '2026-09-15T10:00:00Z', 'input');
  smtp.mail = { authBeforeTls: pf(['PLAIN', 'LOGIN'], '250-AUTH PLAIN LOGIN'), mailAcceptedBeforeTls: pf(false, '530 5.7.0 STARTTLS first') };
  smtp.domainPolicies = [
    { ...sts('example.test', ENFORCE), ...rpt('example.test', { record: 'missing', problem: 'no record' }) },
    rpt('example.org', { record: 'valid', recordText: 'v=TLSRPTv1; rua=mailto:r@example.org', rua: ['mailto:r@example.org'] }),
  ];
  smtp.dane = dane({ tlsa: [{ usage: 3, selector: 1, matchingType: 1, data: 'ab' }], authenticated: true, matches: false, detail: 'one TLSA record' });
  // Verdicts the corpus files happen not to carry (Nessus 52611 fires rarely; testssl 3.0.8 says
  // Ticketbleed "not vulnerable" only for servers with session tickets).
  smtp.vulnerabilities = {
    'starttls-injection': pf({ state: 'vulnerable', detail: 'plugin 52611' }, 'Plugin 52611 SMTP Service STARTTLS Plaintext Command Injection'),
    ticketbleed: pf({ state: 'not-vulnerable', detail: 'not vulnerable (OK)' }, '"ticketbleed","mx","25","OK","not vulnerable (OK)"'),
  };
  smtp.sources = [smtp.mail.authBeforeTls!.source];
  // What senders reported (TLS-RPT), joined as the pipeline joins it: a failure-rate and a sender-failure verdict here.
  const withSenders = withReports(smtp, [report('2026-09-14', 900, [failure('starttls-not-supported', 100)])]);
  const sub = emptyObservation({ host: 'mx.example.test', ip: '192.0.2.25', port: 587, service: 'submission', transport: 'starttls' }, '2026-09-15T10:00:00Z', 'input');
  sub.mail = { authBeforeTls: pf([], '250-STARTTLS'), mailAcceptedBeforeTls: pf(true, '250 2.1.0 Ok') };
  sub.sources = [sub.mail.authBeforeTls!.source];
  return [withSenders, sub];
}

let observations: Observation[] = [];

describe('check fact table', () => {
  beforeAll(async () => {
    observations = [...(await loadCorpus()).map((e) => e.obs), ...scannerObservations()];
  }, 120_000);

  it('has a row for every check and names only facts', () => {
    expect(Object.keys(CHECK_FACTS)).toEqual([...CHECK_IDS]);
    for (const id of CHECK_IDS) expect(CHECK_FACTS[id].length, id).toBeGreaterThan(0);
  });

  it.each(CHECK_IDS)('%s: its declared facts alone decide it, and it has no verdict without them', (id) => {
    const facts = CHECK_FACTS[id];
    let decided = 0;
    for (const obs of observations) {
      const whole = verdicts(id, obs);
      expect(verdicts(id, project(obs, facts, true)), `${id} on ${obs.endpoint.host}:${obs.endpoint.port} (${obs.sources[0]?.file})`).toEqual(whole);
      if (whole.some((v) => /^(pass|fail|warn|error):/.test(v))) decided++;
      // The scan state is always known, so scan-incomplete always has a verdict.
      if (id === 'scan-incomplete' || obs.endpoint.transport === 'none') continue;
      const without = findingsOf(checks[id], project(obs, facts, false), CTX);
      for (const f of without) expect(f.status, `${id} without its facts on ${obs.endpoint.host}:${obs.endpoint.port}`).toBe('not-tested');
    }
    // The corpus must exercise the check, or the first property proves nothing.
    expect(decided, `no observation in the corpus gives ${id} a verdict`).toBeGreaterThan(0);
  });

  it('lists exactly the vulnerabilities no check reads as not evaluated in testssl rows', () => {
    const read = new Set<FactPath>(Object.values(CHECK_FACTS).flat());
    for (const v of VULNERABILITIES) expect(TESTSSL_UNJUDGED_VULNS.has(v), v).toBe(!read.has(`vulnerabilities.${v}`));
  });

  it('says which tool could not measure a check', () => {
    const nmapOnly = observations.find((o) => o.sources.every((s) => s.kind === 'nmap-xml') && o.tlsAvailable?.value === true)!;
    const [finding] = findingsOf(checks['vuln-heartbleed'], nmapOnly, CTX);
    expect(finding).toMatchObject({ status: 'not-tested', message: 'Heartbleed was not tested (not measured by nmap)', data: { notMeasuredBy: 'nmap' } });
    // nmap can state the facts dh-weak reads, so its finding is never put down to nmap.
    const [dh] = findingsOf(checks['dh-weak'], nmapOnly, CTX);
    expect(dh).toBeDefined();
    expect(dh!.data['notMeasuredBy']).toBeUndefined();
  });
});
