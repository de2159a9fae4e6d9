/**
 * The scanner: domains in, one Observation per mail endpoint out, streamed to disk as each
 * endpoint finishes. Discovery (DNS, MTA-STS, TLS-RPT) runs per domain; endpoints shared by several
 * domains are probed once; DANE is checked for SMTP endpoints against the chain the probe saw.
 *
 * Politeness is built in: a global connection cap and a per-address cap (default 2), retries with
 * backoff for temporary refusals, and an honest "blocked" status when a server refuses us.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { endpointKey } from '../model/endpoint.js';
import type { DomainPolicyFacts, Observation } from '../model/observation.js';
import { emptyObservation } from '../model/observation.js';
import { fact, type SourceRef } from '../model/source.js';
import { matchTlsa } from './cert.js';
import type { ConnTimeouts } from './conn.js';
import { discoverDomain, type DomainPlan, type DomainTarget, type PlannedEndpoint } from './discover.js';
import { Resolver, parseResolver, systemResolver } from './dns.js';
import { ConnectionLimiter, mapLimit } from './limiter.js';
import { mxMatches } from './policy.js';
import { parsedChains, probeEndpoint, type ProbeResult, type RetryPolicy } from './probe.js';
import { RESULTS_FILE, RESULTS_FORMAT, type DomainRecord, type EndpointRecord } from './results-schema.js';
import { ResultsWriter, readResultsFile } from './results.js';
import { createTrustStore } from './tls-client.js';


interface ScanTimeouts extends ConnTimeouts {
  /** Budget for one endpoint's probes, ms. */
  readonly endpointMs: number;
  /** One DNS query, ms. */
  readonly dnsMs: number;
  /** MTA-STS policy fetch, ms. */
  readonly httpsMs: number;
}

const DEFAULT_TIMEOUTS: ScanTimeouts = {
  connectMs: 10_000, readMs: 20_000, handshakeMs: 15_000, endpointMs: 180_000, dnsMs: 5_000, httpsMs: 15_000,
};

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, delaysMs: [5_000, 20_000] };

export interface ScanOptions {
  /** `IP[:PORT]` for every DNS query (default: first nameserver in /etc/resolv.conf). */
  readonly resolver?: string;
  /** Extra trust anchors (internal CAs). */
  readonly caFiles?: readonly string[];
  /** Trust the system CA bundle besides Node's roots (default true). */
  readonly systemRoots?: boolean;
  /** Folder for scan.jsonl and summary.csv; nothing is written without it. */
  readonly outDir?: string;
  /** Continue the scan in `outDir`: finished endpoints and discovered domains are kept. */
  readonly resume?: boolean;
  /** Endpoints probed at once (default 16). */
  readonly concurrency?: number;
  /** Open connections at once, all addresses together (default 32). */
  readonly connections?: number;
  /** Open connections per IP address (default 2). */
  readonly perIp?: number;
  readonly timeouts?: Partial<ScanTimeouts>;
  readonly retry?: RetryPolicy;
  /** Name given in EHLO (default `tlsproof.invalid`). */
  readonly ehloName?: string;
  /** Probe AAAA addresses too (default true). */
  readonly ipv6?: boolean;
  /** Port for MTA-STS policy fetches (default 443; tests use others). */
  readonly mtaStsPort?: number;
  readonly now?: () => Date;
  /** Tool name recorded in observations, e.g. `tlsproof 0.1.0`. */
  readonly tool?: string;
  readonly signal?: AbortSignal;
  /** Called after each endpoint (progress bars, tests). */
  readonly onEndpoint?: (record: EndpointRecord, progress: ScanProgress) => void;
  /** Called once the plan is known. */
  readonly onPlanned?: (progress: ScanProgress) => void;
}

interface ScanProgress {
  readonly done: number;
  readonly total: number;
  readonly errors: number;
  readonly blocked: number;
  readonly elapsedMs: number;
}

export interface ScanResult {
  readonly observations: Observation[];
  readonly domains: DomainRecord[];
  readonly endpoints: EndpointRecord[];
  readonly counts: Record<'endpoints' | 'completed' | 'partial' | 'error' | 'blocked' | 'resumed' | 'handshakes' | 'connections' | 'dnsQueries', number>;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  /** Paths written, when `outDir` was given. */
  readonly files: string[];
  /**
   * With `resume`: lines of the earlier results file that did not read back (a torn last line,
   * damage anywhere). They were dropped; what they held is scanned again.
   */
  readonly damagedLines: readonly { readonly file: string; readonly line: number; readonly problem: string }[];
  /** Peak simultaneous connections to one address (never above `perIp`). */
  readonly peakPerIp: number;
}

interface Job {
  readonly target: PlannedEndpoint;
  readonly key: string;
  readonly domains: Set<string>;
  readonly plans: DomainPlan[];
}

function probeSource(uri: string, excerpt: string): SourceRef {
  return { kind: 'probe', file: uri, excerpt: excerpt.length > 2000 ? `${excerpt.slice(0, 1999)}…` : excerpt };
}

/** MTA-STS and TLS-RPT of every domain that names this endpoint's host as MX. */
function domainPolicies(job: Job): DomainPolicyFacts[] {
  const out: DomainPolicyFacts[] = [];
  if (job.target.port !== 25) return out;
  for (const plan of job.plans) {
    if (!plan.mx.some((m) => m.exchange === job.target.host)) continue;
    const entry: DomainPolicyFacts = { domain: plan.domain };
    if (plan.mtaSts) {
      const facts = plan.mtaSts.mx !== undefined ? { ...plan.mtaSts, mxMatch: mxMatches(job.target.host, plan.mtaSts.mx) } : plan.mtaSts;
      const line = facts.mxMatch === undefined ? '' : `\nMX ${job.target.host} ${facts.mxMatch ? 'matches' : 'does not match'} policy mx ${(facts.mx ?? []).join(', ')}`;
      entry.mtaSts = fact(facts, probeSource(`dns://_mta-sts.${plan.domain}`, `${plan.mtaStsEvidence ?? ''}${line}`));
    }
    if (plan.tlsRpt) entry.tlsRpt = fact(plan.tlsRpt, probeSource(`dns://_smtp._tls.${plan.domain}`, plan.tlsRptEvidence ?? ''));
    out.push(entry);
  }
  return out;
}

async function addDane(obs: Observation, job: Job, resolver: Resolver): Promise<void> {
  if (job.target.port !== 25) return;
  const name = `_25._tcp.${job.target.host}`;
  try {
    const a = await resolver.tlsa(name);
    // A server with RSA and ECDSA certificates shows senders either chain: each must match (RFC 7672 §3.1).
    const chains = parsedChains.get(obs) ?? [];
    const perChain = a.records.length > 0 ? chains.map((c) => matchTlsa(a.records, c)) : [];
    const usable = a.records.filter((r) => r.usage === 2 || r.usage === 3);
    const matches = chains.length > 0 && usable.length > 0 ? perChain.every((m) => m !== undefined) : undefined;
    const label = (m: (typeof perChain)[number]) => (m ? `${m.usage} ${m.selector} ${m.matchingType}` : undefined);
    const match = perChain.find((m) => m !== undefined);
    const matched = matches ? label(match) : undefined;
    const each = chains.length < 2 ? '' : `; ${chains.map((c, i) => {
      const leaf = c.find((x) => x.position === 0);
      return `certificate ${i + 1}${leaf ? ` (${leaf.keyAlgorithm})` : ''} ${perChain[i] ? `matches ${label(perChain[i])}` : 'matches no record'}`;
    }).join(', ')}`;
    const detail = a.records.length === 0
      ? `no TLSA records at ${name} (${a.rcode}${a.authenticated ? ', authenticated denial' : ''})`
      : `${a.records.length} TLSA record(s), ${a.authenticated ? 'DNSSEC-authenticated (AD)' : 'NOT authenticated (no AD bit)'}` +
        (matches === undefined
          ? (usable.length === 0 ? '; none usable for SMTP (usage 2 or 3)' : '; no certificate chain to compare')
          : chains.length < 2
            ? (matches ? `; chain matches ${matched}` : '; no record matches the presented chain')
            : `${matches ? '; every presented chain matches' : '; not every presented chain matches'}${each}`);
    obs.dane = fact(
      { tlsa: a.records, authenticated: a.authenticated, ...(matches !== undefined ? { matches } : {}), ...(matched ? { matched } : {}), detail },
      probeSource(`dns://${name}`, `${a.text}\n${detail}`),
    );
    obs.sources.push(obs.dane.source);
  } catch (err) {
    const src = probeSource(`dns://${name}`, `TLSA ${name}: ${(err as Error).message}`);
    obs.scan.problems.push(fact(`DANE not tested: ${(err as Error).message}`, src));
    if (obs.scan.state === 'completed') obs.scan.state = 'partial';
  }
}

/** An error observation for a domain whose discovery failed, so the report shows it as not assessed. */
function dnsFailureObservation(plan: DomainPlan, now: Date, tool: string): Observation {
  const obs = emptyObservation({ host: plan.domain, port: 25, service: 'smtp', transport: 'starttls' }, now.toISOString(), 'input');
  obs.tool = tool;
  const src = probeSource(`dns://${plan.domain}`, [plan.dnsFailed ?? 'DNS lookup failed', ...plan.evidence].join('\n'));
  obs.scan = { state: 'failed', problems: [fact(`dns-failed: ${plan.dnsFailed ?? 'DNS lookup failed'}`, src)] };
  obs.probeStatus = fact({ status: 'error', reason: 'dns-failed', detail: plan.dnsFailed ?? 'DNS lookup failed' }, src);
  obs.sources = [src];
  return obs;
}

/**
 * Scans every domain: discovery, then every endpoint, each written to `outDir` as it finishes.
 * Never throws for a server's behaviour; throws only for unusable options (bad resolver, CA file).
 */
export async function scanDomains(targets: readonly DomainTarget[], opts: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const tool = opts.tool ?? 'tlsproof';
  const timeouts: ScanTimeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const resolver = new Resolver({ server: opts.resolver ? parseResolver(opts.resolver) : systemResolver(), timeoutMs: timeouts.dnsMs });
  const trust = createTrustStore({ ...(opts.caFiles ? { caFiles: opts.caFiles } : {}), ...(opts.systemRoots !== undefined ? { systemRoots: opts.systemRoots } : {}) });
  const limiter = new ConnectionLimiter(opts.connections ?? 32, opts.perIp ?? 2);
  const stats = { handshakes: 0 };
  const ipv6 = opts.ipv6 ?? true;

  const resumeFile = opts.outDir ? join(opts.outDir, RESULTS_FILE) : undefined;
  const resume = opts.resume && resumeFile && existsSync(resumeFile) ? readResultsFile(resumeFile) : undefined;
  const writer = opts.outDir ? new ResultsWriter(opts.outDir, resume) : undefined;
  const files = writer ? [writer.jsonPath, writer.csvPath] : [];
  const endpoints: EndpointRecord[] = resume ? [...resume.endpoints.values()] : [];
  const domains: DomainRecord[] = [];
  const counts = { endpoints: 0, completed: 0, partial: 0, error: 0, blocked: 0, resumed: endpoints.length, handshakes: 0, connections: 0, dnsQueries: 0 };
  let interrupted = false;

  try {
    writer?.write({
      type: resume ? 'resume' : 'header', format: RESULTS_FORMAT, tool, startedAt: now().toISOString(), domains: targets.length,
      options: {
        resolver: `${resolver.server.ip}:${resolver.server.port}`, perIp: limiter.maxPerIp, connections: limiter.maxTotal,
        concurrency: opts.concurrency ?? 16, timeouts, retry: opts.retry ?? DEFAULT_RETRY, ipv6, caFiles: opts.caFiles ?? [],
      },
    });

    // Discovery, a few domains at a time (DNS is cheap, but resolvers rate-limit too).
    const plans = await mapLimit(targets, 8, async (t) => {
      const done = resume?.domains.get(t.domain.toLowerCase().replace(/\.$/, ''));
      if (done) {
        domains.push(done);
        return done.plan;
      }
      if (opts.signal?.aborted) return undefined;
      const plan = await discoverDomain(t, {
        resolver, ipv6, srv: true, policies: true,
        fetch: { trust, timeoutMs: timeouts.httpsMs, ipv6, ...(opts.mtaStsPort ? { port: opts.mtaStsPort } : {}) },
      });
      const rec: DomainRecord = { type: 'domain', domain: plan.domain, at: now().toISOString(), plan };
      writer?.write(rec);
      domains.push(rec);
      return plan;
    });

    const jobs = new Map<string, Job>();
    const failures: Observation[] = [];
    for (const plan of plans) {
      if (!plan) continue;
      if (plan.dnsFailed) failures.push(dnsFailureObservation(plan, now(), tool));
      for (const e of plan.endpoints) {
        const key = endpointKey(e);
        const job = jobs.get(key) ?? { target: e, key, domains: new Set<string>(), plans: [] };
        job.domains.add(plan.domain);
        job.plans.push(plan);
        jobs.set(key, job);
      }
    }
    for (const obs of failures) {
      const key = endpointKey(obs.endpoint);
      if (resume?.endpoints.has(key)) continue;
      const rec: EndpointRecord = { type: 'endpoint', key, domains: [obs.endpoint.host], status: 'error', reason: 'dns-failed', detail: obs.probeStatus?.value.detail ?? 'DNS failed', elapsedMs: 0, observation: obs };
      writer?.write(rec);
      endpoints.push(rec);
      counts.error++;
    }
    const todo = [...jobs.values()].filter((j) => !resume?.endpoints.has(j.key));
    const bar = { done: 0, errors: 0, blocked: 0 };
    const progress = (): ScanProgress => ({ ...bar, total: todo.length, elapsedMs: Date.now() - started });
    opts.onPlanned?.(progress());

    await mapLimit(todo, opts.concurrency ?? 16, async (job) => {
      if (opts.signal?.aborted) return;
      const t0 = Date.now();
      const result: ProbeResult = await probeEndpoint(job.target, {
        timeouts, endpointMs: timeouts.endpointMs, retry: opts.retry ?? DEFAULT_RETRY, ehloName: opts.ehloName ?? 'tlsproof.invalid',
        trust, limiter, now, tool, stats, ...(opts.signal ? { signal: opts.signal } : {}),
      });
      // An interrupted endpoint is not written: resume redoes it rather than keep half an answer.
      if (opts.signal?.aborted) return;
      const obs = result.observation;
      const policies = domainPolicies(job);
      if (policies.length > 0) {
        obs.domainPolicies = policies;
        for (const p of policies) {
          if (p.mtaSts) obs.sources.push(p.mtaSts.source);
          if (p.tlsRpt) obs.sources.push(p.tlsRpt.source);
        }
      }
      if (result.status === 'completed' || result.status === 'partial') await addDane(obs, job, resolver);
      const status = result.status === 'completed' && obs.scan.state === 'partial' ? 'partial' : result.status;
      const rec: EndpointRecord = {
        type: 'endpoint', key: job.key, domains: [...job.domains].sort(), status,
        ...(result.reason ? { reason: result.reason } : {}), detail: result.detail, elapsedMs: Date.now() - t0, observation: obs,
      };
      writer?.write(rec);
      endpoints.push(rec);
      counts[status]++;
      bar.done++;
      if (status === 'error') bar.errors++;
      if (status === 'blocked') bar.blocked++;
      opts.onEndpoint?.(rec, progress());
    });
    interrupted = opts.signal?.aborted ?? false;
  } finally {
    counts.endpoints = endpoints.length;
    counts.handshakes = stats.handshakes;
    counts.connections = limiter.opened;
    counts.dnsQueries = resolver.queries;
    if (writer) {
      writer.write({ type: 'footer', finishedAt: now().toISOString(), interrupted: opts.signal?.aborted ?? false, counts });
      writer.close();
    }
  }
  return {
    observations: endpoints.map((e) => e.observation),
    domains, endpoints, counts, elapsedMs: Date.now() - started, interrupted, files, peakPerIp: limiter.peakPerIp,
    damagedLines: resume && resumeFile ? resume.badLines.map((b) => ({ file: resumeFile, ...b })) : [],
  };
}
