/**
 * One vocabulary across sources: the same lab servers scanned by tlsproof's own probe, testssl.sh
 * (one run writing CSV and JSON) and nmap (`--script ssl-enum-ciphers,ssl-cert`), each result
 * ingested by the production readers and judged by the production checks. Per server and check,
 * every tool that reaches a verdict must reach the same one; a tool without a verdict must say it
 * cannot measure the check ("not measured by nmap", from its fact table), or be listed below with
 * the reason. Nothing is cached: the servers are started and scanned on every run.
 *
 * Servers (own loopback range 127.0.104.x):
 * - legacy SMTP STARTTLS: TLS 1.0–1.3, CBC suites, static-RSA key exchange, a 1024-bit DHE group,
 *   client-initiated renegotiation honoured (Node's legacy profile);
 * - expired IMAPS: modern TLS, a certificate from the lab CA that expired.
 *
 * Needs root (ports 25, 993), testssl.sh and nmap; fails rather than skips without them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { ingest } from '../../src/ingest/index.js';
import { SOURCE_FACTS } from '../../src/model/fact-coverage.js';
import type { Finding } from '../../src/model/finding.js';
import type { Observation } from '../../src/model/observation.js';
import { ConnectionLimiter } from '../../src/scan/limiter.js';
import { probeEndpoint } from '../../src/scan/probe.js';
import { createTrustStore } from '../../src/scan/tls-client.js';
import { measuredFacts } from '../model/fact-corpus.js';
import { makeLabPki } from './certs.js';
import { runNmap } from './formats/make-format-fixtures.js';
import { startLabServer, type LabServer } from './servers.js';
import { runTestssl, type StartTlsProtocol } from './testssl.js';
import { lacks } from '../support/tools.js';

interface LabTarget {
  readonly key: string;
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  readonly service: 'smtp' | 'imaps';
  readonly transport: 'starttls' | 'implicit';
  readonly starttls?: StartTlsProtocol;
}

const LEGACY: LabTarget = { key: 'legacy-smtp', host: 'mail.legacy.xs.example.test', ip: '127.0.104.1', port: 25, service: 'smtp', transport: 'starttls', starttls: 'smtp' };
const EXPIRED: LabTarget = { key: 'expired-imaps', host: 'imap.expired.xs.example.test', ip: '127.0.104.2', port: 993, service: 'imaps', transport: 'implicit' };
const TARGETS = [LEGACY, EXPIRED];

type Tool = 'tlsproof probe' | 'testssl.sh CSV' | 'testssl.sh JSON' | 'nmap';

/**
 * Tools that measure a fact only in part, so "not tested" is their honest answer on some servers:
 * each entry says why. Anything else without a verdict must carry "not measured by <tool>".
 */
const PARTLY_MEASURED: Readonly<Record<string, string>> = {
  'nmap cert-untrusted': 'nmap does not validate chains; it states trust only for a self-signed certificate',
  'nmap cert-self-signed': 'nmap does not validate chains; it states trust only for a self-signed certificate',
};

/** Checks about the run rather than the server: each tool reports on its own scan. */
const ABOUT_THE_RUN = new Set(['scan-incomplete']);

let work = '';
const servers: LabServer[] = [];
const verdicts = new Map<string, Map<Tool, Finding[]>>();
const observations = new Map<string, Map<Tool, Observation>>();
const timings: string[] = [];

function put(key: string, tool: Tool, obs: Observation, reportDate: string): void {
  observations.set(key, (observations.get(key) ?? new Map()).set(tool, obs));
  verdicts.set(key, (verdicts.get(key) ?? new Map()).set(tool, runChecks(obs, { reportDate })));
}

/** The one observation of `t` in an ingested file (nmap names it by the name it was given). */
async function ingestOne(file: string, t: LabTarget): Promise<Observation> {
  const out = await ingest([file], { cwd: work });
  expect(out.problems.filter((p) => p.effect !== 'value-ignored'), file).toEqual([]);
  const obs = out.observations.filter((o) => o.endpoint.port === t.port);
  expect(obs, `${file}: one observation for port ${t.port}`).toHaveLength(1);
  return obs[0]!;
}

/** A check's verdict from one tool: statuses of its outcomes (one per certificate), or undefined when not run. */
function statusOf(findings: readonly Finding[], checkId: string): string | undefined {
  const mine = findings.filter((f) => f.checkId === checkId);
  return mine.length === 0 ? undefined : mine.map((f) => f.status).join(',');
}

describe.skipIf(lacks('testssl', 'nmap', 'openssl', 'unshare', 'root'))('the same lab servers through the probe, testssl.sh and nmap', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-cross-'));
    const pki = await makeLabPki(path.join(work, 'pki'));
    const dh = await pki.dhParams(1024);
    const legacyCert = await pki.issue({ kind: 'good', hostname: LEGACY.host });
    const expiredCert = await pki.issue({ kind: 'expired', hostname: EXPIRED.host });
    servers.push(await startLabServer({ ...LEGACY, protocol: 'smtp', profile: 'legacy', dhParamFile: dh, certs: [legacyCert] }));
    servers.push(await startLabServer({ ...EXPIRED, protocol: 'imap', profile: 'modern', certs: [expiredCert] }));
    const reportDate = new Date().toISOString().slice(0, 10);

    const probeOpts = {
      timeouts: { connectMs: 3000, readMs: 8000, handshakeMs: 8000 }, endpointMs: 90_000, retry: { attempts: 2, delaysMs: [500] },
      ehloName: 'scanner.example.test', trust: createTrustStore({ caFiles: [pki.caCertFile], systemRoots: false }),
      limiter: new ConnectionLimiter(8, 2), now: () => new Date(), tool: 'tlsproof test',
    };
    await Promise.all(TARGETS.map(async (t) => {
      const [probe, testssl, nmapXml] = await Promise.all([
        probeEndpoint({ host: t.host, ip: t.ip, port: t.port, service: t.service, transport: t.transport }, probeOpts),
        (async () => {
          const csvFile = path.join(work, `${t.key}.csv`);
          const jsonFile = path.join(work, `${t.key}.json`);
          // The sections of testssl's default run that judge these facts: protocols, cipher lists,
          // forward secrecy, certificate, vulnerabilities. Server preferences (-P), headers and client
          // simulation are left out: they judge nothing here and take minutes on a client-order server.
          const run = await runTestssl({
            ...t, csvFile, caFile: pki.caCertFile, sections: ['-p', '-s', '-f', '-S', '-U'], extraArgs: ['--jsonfile', jsonFile],
            timeoutMs: 480_000,
          });
          timings.push(`testssl ${t.key}: ${Math.round(run.durationMs / 1000)} s`);
          expect(run.timedOut, run.output.slice(-2000)).toBe(false);
          return { csvFile, jsonFile };
        })(),
        runNmap({ targets: [t.host], ports: String(t.port), hosts: [{ name: t.host, ip: t.ip }], work }),
      ]);
      const xmlFile = path.join(work, `${t.key}.xml`);
      await writeFile(xmlFile, nmapXml);
      expect(probe.status, probe.detail).toBe('completed');
      put(t.key, 'tlsproof probe', probe.observation, reportDate);
      put(t.key, 'testssl.sh CSV', await ingestOne(testssl.csvFile, t), reportDate);
      put(t.key, 'testssl.sh JSON', await ingestOne(testssl.jsonFile, t), reportDate);
      put(t.key, 'nmap', await ingestOne(xmlFile, t), reportDate);
    }));
    // eslint-disable-next-line no-console -- the run's cost is worth seeing in CI logs
    console.log(`cross-source lab run: ${timings.join(', ')}`);
  }, 540_000);

  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.each(TARGETS.map((t) => [t.key]))('%s: every tool gives the same verdict, or says it cannot measure the check', (key) => {
    const byTool = verdicts.get(key);
    expect(byTool?.size, 'all four results were read').toBe(4);
    const checkIds = new Set([...byTool!.values()].flatMap((fs) => fs.map((f) => f.checkId)));
    const disagreements: string[] = [];
    for (const checkId of checkIds) {
      if (ABOUT_THE_RUN.has(checkId)) continue;
      const decided = new Map<string, Tool[]>();
      const silent: { tool: Tool; finding: Finding }[] = [];
      for (const [tool, findings] of byTool!) {
        const status = statusOf(findings, checkId);
        if (status === undefined) continue;
        if (status.split(',').every((s) => s === 'not-tested')) silent.push({ tool, finding: findings.find((f) => f.checkId === checkId)! });
        else decided.set(status, [...(decided.get(status) ?? []), tool]);
      }
      if (decided.size > 1) {
        disagreements.push(`${checkId}: ${[...decided].map(([s, tools]) => `${tools.join(' + ')} say ${s}`).join('; ')}`);
      }
      if (decided.size === 0) continue;
      for (const { tool, finding } of silent) {
        const toolName = tool.startsWith('testssl') ? 'testssl.sh' : tool;
        if (finding.data['notMeasuredBy'] !== undefined) {
          expect(finding.message, `${checkId} from ${tool}`).toContain(`not measured by ${toolName}`);
          continue;
        }
        if (PARTLY_MEASURED[`${tool} ${checkId}`]) continue;
        disagreements.push(`${checkId}: ${tool} did not test it (${finding.message}) while ${[...decided.values()].flat().join(', ')} did`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('the facts the verdicts rest on were measured by every tool that can measure them', () => {
    const expectDecided = (key: string, checkId: string, status: string, tools: readonly Tool[]) => {
      for (const tool of tools) expect(statusOf(verdicts.get(key)!.get(tool)!, checkId), `${key} ${checkId} from ${tool}`).toBe(status);
    };
    const all: Tool[] = ['tlsproof probe', 'testssl.sh CSV', 'testssl.sh JSON', 'nmap'];
    // The 1024-bit group is dh-weak's, not a second Logjam finding.
    expectDecided(LEGACY.key, 'dh-weak', 'fail', all);
    expectDecided(LEGACY.key, 'vuln-logjam', 'pass', all);
    expectDecided(LEGACY.key, 'cipher-static-rsa', 'fail', all);
    expectDecided(LEGACY.key, 'vuln-beast', 'fail', all);
    expectDecided(LEGACY.key, 'vuln-lucky13', 'warn', all);
    expectDecided(LEGACY.key, 'vuln-sweet32', 'pass', all);
    expectDecided(LEGACY.key, 'reneg-client-initiated', 'fail', ['testssl.sh CSV', 'testssl.sh JSON']);
    expectDecided(LEGACY.key, 'reneg-insecure', 'pass', ['tlsproof probe', 'testssl.sh CSV', 'testssl.sh JSON']);
    expectDecided(EXPIRED.key, 'cipher-static-rsa', 'pass', all);
    expectDecided(EXPIRED.key, 'dh-weak', 'pass', all);
    // The expiry fails cert-expired only; the chain to the lab CA is sound.
    expectDecided(EXPIRED.key, 'cert-expired', 'fail', all);
    expectDecided(EXPIRED.key, 'cert-untrusted', 'pass', ['tlsproof probe', 'testssl.sh CSV', 'testssl.sh JSON']);
  });

  it('the probe states only facts its table lists', () => {
    for (const t of TARGETS) {
      const obs = observations.get(t.key)!.get('tlsproof probe')!;
      expect(measuredFacts(obs).filter((f) => !SOURCE_FACTS.probe.includes(f))).toEqual([]);
    }
  });
});
