/**
 * `npm run bench:scan` (node dist/bench/scan-bench.js): the built-in scanner on loopback.
 *
 * Starts lab mail servers in a child process (their own core): N/4 addresses × SMTP 25 STARTTLS,
 * 465, 993 and 995, every 10th address with the legacy profile, plus dnsmasq serving one domain
 * per address (MX → :25, SRV _submissions/_imaps/_pop3s → the rest). Scans all domains with the
 * per-IP cap at its default (2), then runs testssl.sh `-p -S` on a sample of the same endpoints in
 * the same run and reports the ratio per endpoint. Prints endpoints/s, handshakes/s, peak RSS.
 *
 * Options (environment): BENCH_ENDPOINTS (default 1000), BENCH_TESTSSL_SAMPLE (default 4, 0 skips),
 * BENCH_CONCURRENCY (endpoints at once, default 64), BENCH_JSON (write the figures there).
 * Targets: 1,000 endpoints in under 2 minutes; ≥ 20× testssl.sh per endpoint.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { scanDomains } from '../src/scan/index.js';
import { readTestsslCsv, runTestssl, testsslVersion } from '../test/lab/testssl.js';

const ENDPOINTS = Number(process.env['BENCH_ENDPOINTS'] ?? 1000);
const SAMPLE = Number(process.env['BENCH_TESTSSL_SAMPLE'] ?? 4);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 64);
const DNS = { ip: '127.0.11.53', port: 53 };
const ipOf = (i: number) => `127.0.${12 + Math.floor(i / 250)}.${1 + (i % 250)}`;

async function startServers(ips: string[]): Promise<{ child: ChildProcess; caFile: string }> {
  const script = fileURLToPath(new URL('./scan-bench-servers.js', import.meta.url));
  const child = fork(script, [JSON.stringify({ ips, legacyEvery: 10 })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const caFile = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { caFile: string }).caFile));
    child.once('exit', (code) => reject(new Error(`lab servers exited (${code})`)));
  });
  return { child, caFile };
}

async function startDns(domains: { domain: string; ip: string }[], dir: string): Promise<ChildProcess> {
  const lines = ['no-resolv', 'no-hosts', 'bind-interfaces', `listen-address=${DNS.ip}`, `port=${DNS.port}`, 'user=root', 'local=/bench.test/'];
  for (const { domain, ip } of domains) {
    const mx = `mx.${domain}`;
    lines.push(`host-record=${mx},${ip}`, `mx-host=${domain},${mx},10`,
      `srv-host=_submissions._tcp.${domain},${mx},465`, `srv-host=_imaps._tcp.${domain},${mx},993`, `srv-host=_pop3s._tcp.${domain},${mx},995`);
  }
  const conf = path.join(dir, 'dnsmasq.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn('dnsmasq', ['--keep-in-foreground', `--conf-file=${conf}`, '--pid-file=', '--log-facility=-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dnsmasq did not start')), 10_000);
    child.stderr?.on('data', (b: Buffer) => { if (b.toString().includes('started')) { clearTimeout(timer); resolve(); } });
    child.once('exit', (c) => { clearTimeout(timer); reject(new Error(`dnsmasq exited (${c})`)); });
  });
  return child;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const addresses = Math.ceil(ENDPOINTS / 4);
  const ips = Array.from({ length: addresses }, (_, i) => ipOf(i));
  const work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-scan-bench-'));
  const { child: servers, caFile } = await startServers(ips);
  const domains = ips.map((ip, i) => ({ domain: `d${i}.bench.test`, ip }));
  const dns = await startDns(domains, work);
  try {
    const t0 = performance.now();
    const result = await scanDomains(domains.map((d) => ({ domain: d.domain })), {
      resolver: `${DNS.ip}:${DNS.port}`, caFiles: [caFile], systemRoots: false, ipv6: false, outDir: path.join(work, 'results'),
      concurrency: CONCURRENCY, connections: CONCURRENCY * 2, perIp: 2, ehloName: 'bench.tlsproof.test',
      timeouts: { connectMs: 5000, readMs: 10_000, handshakeMs: 10_000, dnsMs: 3000 }, retry: { attempts: 2, delaysMs: [500] },
    });
    const seconds = (performance.now() - t0) / 1000;
    const c = result.counts;
    const rss = process.resourceUsage().maxRSS;
    const perEndpoint = seconds / c.endpoints;
    const figures: Record<string, unknown> = {
      endpoints: c.endpoints, completed: c.completed, partial: c.partial, error: c.error, blocked: c.blocked,
      seconds: Number(seconds.toFixed(2)), endpointsPerSecond: Number((c.endpoints / seconds).toFixed(1)),
      handshakes: c.handshakes, handshakesPerSecond: Number((c.handshakes / seconds).toFixed(0)), connections: c.connections,
      dnsQueries: c.dnsQueries, peakRssMB: Math.round(rss / 1024), peakPerIp: result.peakPerIp, concurrency: CONCURRENCY,
    };
    console.log(`tlsproof scan: ${c.endpoints} endpoints (${c.completed} completed, ${c.partial} partial, ${c.error} error, ${c.blocked} blocked) in ${seconds.toFixed(1)} s`);
    console.log(`  ${figures['endpointsPerSecond']} endpoints/s, ${figures['handshakesPerSecond']} TLS handshakes+ServerHellos/s over ${c.connections} connections, peak RSS ${mb(rss)}, max ${result.peakPerIp} connections per IP`);
    console.log(`  target: 1,000 endpoints < 120 s → ${seconds < 120 * (c.endpoints / 1000) ? 'met' : 'NOT met'}`);

    const version = SAMPLE > 0 ? await testsslVersion() : undefined;
    if (version) {
      const sample = result.endpoints.filter((e) => e.status === 'completed').slice(0, SAMPLE);
      // Same endpoints, one tlsproof scan each at a time for a per-endpoint figure, then testssl side by side.
      const { probeEndpoint } = await import('../src/scan/probe.js');
      const { ConnectionLimiter } = await import('../src/scan/limiter.js');
      const { createTrustStore } = await import('../src/scan/tls-client.js');
      const opts = {
        timeouts: { connectMs: 5000, readMs: 10_000, handshakeMs: 10_000 }, endpointMs: 60_000, retry: { attempts: 1, delaysMs: [500] },
        ehloName: 'bench.tlsproof.test', trust: createTrustStore({ caFiles: [caFile], systemRoots: false }), limiter: new ConnectionLimiter(8, 2),
        now: () => new Date(), tool: 'tlsproof bench',
      };
      const t1 = performance.now();
      for (const e of sample) {
        const ep = e.observation.endpoint;
        await probeEndpoint({ ...ep, ip: ep.ip ?? ep.host }, opts);
      }
      const oursEach = (performance.now() - t1) / 1000 / sample.length;
      const t2 = performance.now();
      let rows = 0;
      await Promise.all(sample.map(async (e, i) => {
        const ep = e.observation.endpoint;
        const csvFile = path.join(work, `testssl-${i}.csv`);
        await runTestssl({ ip: ep.ip ?? ep.host, host: ep.host, port: ep.port, ...(ep.transport === 'starttls' ? { starttls: 'smtp' as const } : {}), csvFile, caFile, sections: ['-p', '-S'], timeoutMs: 300_000 });
        rows += (await readTestsslCsv(csvFile)).length;
      }));
      const testsslWall = (performance.now() - t2) / 1000;
      const testsslEach = testsslWall / sample.length;
      figures['testssl'] = { version, sample: sample.length, wallSeconds: Number(testsslWall.toFixed(1)), secondsPerEndpointParallel: Number(testsslEach.toFixed(2)), rows };
      figures['tlsproofSecondsPerEndpointSerial'] = Number(oursEach.toFixed(3));
      figures['ratioPerEndpointSerial'] = Number((testsslEach / oursEach).toFixed(0));
      figures['ratioThroughput'] = Number((testsslEach / perEndpoint).toFixed(0));
      console.log(`testssl.sh ${version} -p -S: ${sample.length} of the same endpoints in ${testsslWall.toFixed(1)} s in parallel (${testsslEach.toFixed(1)} s per endpoint)`);
      console.log(`  tlsproof one endpoint at a time: ${(oursEach * 1000).toFixed(0)} ms per endpoint → ${figures['ratioPerEndpointSerial']}× faster per endpoint`);
      console.log(`  tlsproof in the mass scan: ${(perEndpoint * 1000).toFixed(1)} ms per endpoint → ${figures['ratioThroughput']}× the throughput (target ≥ 20×)`);
    } else if (SAMPLE > 0) {
      console.log('testssl.sh not installed (apt-get install -y testssl.sh): no comparison');
    }
    if (process.env['BENCH_JSON']) writeFileSync(process.env['BENCH_JSON'], `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    dns.kill('SIGTERM');
    servers.kill('SIGTERM');
    await new Promise((r) => servers.once('exit', r));
    await rm(work, { recursive: true, force: true });
  }
}

await main();
