/**
 * `tlsproof scan` as a user runs it: a domain list in, results folder out, exit codes, and a real
 * kill -9 of a scanning process followed by `--resume` (the compiled CLI in a child process).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyCommand } from '../../src/cli/commands/history.js';
import { scanCommand } from '../../src/cli/commands/scan.js';
import { storeCommand } from '../../src/cli/commands/store.js';
import type { CliIo } from '../../src/cli/io.js';
import { readTlsproofResultsDetailed } from '../../src/ingest/tlsproof-results.js';
import { makeLabPki } from '../lab/certs.js';
import { startLabServer, type LabServer } from '../lab/servers.js';
import { startDnsmasq, type Dnsmasq } from '../lab/mail/dnsmasq.js';
import { lacks } from '../support/tools.js';

/** What the lab servers of this file need (ports below 1024 need root). */
const noLab = lacks('openssl', 'dnsmasq', 'root');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_SCAN = path.join(ROOT, 'dist/src/cli/commands/scan.js');
const DNS = '127.0.10.53';
const N = 12;
const ip = (i: number) => `127.0.10.${10 + i}`;
let work = '';
let caFile = '';
let list = '';
let dns: Dnsmasq | undefined;
const servers: LabServer[] = [];

function io(out: string[], err: string[]): CliIo {
  return { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: work, env: {}, now: () => new Date() };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-cli-scan-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  caFile = pki.caCertFile;
  const rows = ['domain,owner,hosts'];
  const mx: { domain: string; target: string; preference: number }[] = [];
  const hosts: { name: string; ip: string }[] = [];
  for (let i = 0; i < N; i++) {
    const name = `mx.d${i}.cli.test`;
    servers.push(await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: ip(i), port: 25, host: name, certs: [await pki.issue({ kind: 'good', hostname: name })] }));
    mx.push({ domain: `d${i}.cli.test`, target: name, preference: 10 });
    hosts.push({ name, ip: ip(i) });
    rows.push(`d${i}.cli.test,Mail team,${i === 0 ? `"${ip(N)}:993"` : ''}`);
  }
  servers.push(await startLabServer({ protocol: 'imap', transport: 'implicit', ip: ip(N), port: 993, host: 'imap.cli.test', certs: [await pki.issue({ kind: 'good', hostname: 'imap.cli.test' })] }));
  dns = await startDnsmasq(DNS, 53, { zones: ['cli.test'], mx, hosts });
  list = path.join(work, 'domains.csv');
  writeFileSync(list, `${rows.join('\n')}\n`);
  if (!existsSync(DIST_SCAN)) await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT }).catch(() => undefined);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.stop()));
  await dns?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const common = () => ['--resolver', `${DNS}:53`, '--ca-file', caFile, '--ipv4-only', '--connect-timeout', '2s', '--read-timeout', '3s', '--handshake-timeout', '3s', '--retries', '0'];

describe.skipIf(noLab)('tlsproof scan', () => {
  it('scans a domain list into a results folder and exits 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await scanCommand(['domains.csv', '--out', 'results', ...common()], io(out, err));
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/Scanned 12 domains: 13 endpoints \(13 completed, 0 partial, 0 error, 0 blocked\)/);
    const back = await readTlsproofResultsDetailed(path.join(work, 'results'));
    expect(back.observations).toHaveLength(13);
    expect(back.finished).toBe(true);
    expect(readFileSync(path.join(work, 'results', 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^domains,host,ip,port/);

    // The finished scan is recorded in the evidence store, with its results and list as inputs…
    const store = path.join(work, '.tlsproof', 'evidence.db');
    expect(out.join('')).toContain(`Recorded as run 1 in ${store}.`);
    const listed: string[] = [];
    expect(await historyCommand(['show', '1', '--json'], io(listed, []))).toBe(0);
    const run = JSON.parse(listed.join('')) as { kind: string; command: string[]; endpoints: number; inputFiles: { file: string; kind: string }[] };
    expect(run.kind).toBe('scan');
    expect(run.command.slice(0, 4)).toEqual(['scan', 'domains.csv', '--out', 'results']);
    expect(run.endpoints).toBe(13);
    expect(run.inputFiles.map((f) => [f.file, f.kind])).toEqual([['results/scan.jsonl', 'tlsproof-jsonl'], ['domains.csv', 'domain-list-csv']]);
    // …so a report can be rebuilt from it later, identical to what the scan recorded.
    const regen: string[] = [];
    expect(await storeCommand(['regenerate', '1', '--out', 'regenerated', '--format', 'json'], io(regen, []))).toBe(0);
    expect(regen.join('')).toContain("Identical to run 1's report");
  }, 60_000);

  it('records nothing with --no-store', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-cli-scan-nostore-'));
    try {
      const out: string[] = [];
      const code = await scanCommand(['--domain', 'd1.cli.test', '--out', 'r', '--no-store', ...common()], { ...io(out, []), cwd: dir });
      expect(code).toBe(0);
      expect(out.join('')).not.toContain('Recorded');
      expect(existsSync(path.join(dir, '.tlsproof'))).toBe(false);
      await expect(scanCommand([list, '--out', 'r', '--no-store', '--store', 'x.db'], io([], []))).rejects.toThrow(/contradict/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('prints help and refuses bad options with a message', async () => {
    const out: string[] = [];
    expect(await scanCommand(['--help'], io(out, []))).toBe(0);
    expect(out.join('')).toContain('--resolver IP[:PORT]');
    await expect(scanCommand([list, '--out', 'x', '--resolver', 'dns.example.test'], io([], []))).rejects.toThrow(/--resolver: "dns.example.test" is not a resolver address/);
    await expect(scanCommand([list], io([], []))).rejects.toThrow(/needs --out DIR/);
    await expect(scanCommand([list, '--out', 'x', '--per-ip', '0'], io([], []))).rejects.toThrow(/--per-ip "0" must be a whole number/);
  });

  it('exits 1 when an endpoint cannot be assessed, and says which', async () => {
    const bad = path.join(work, 'bad.csv');
    writeFileSync(bad, 'domain,hosts\nclosed.cli.test,127.0.10.9:25\n');
    const out: string[] = [];
    const code = await scanCommand([bad, '--out', 'closed', ...common()], io(out, []));
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/1 endpoint \(0 completed, 0 partial, 1 error, 0 blocked\)/);
    const back = await readTlsproofResultsDetailed(path.join(work, 'closed'));
    expect(back.observations[0]?.probeStatus?.value).toMatchObject({ status: 'error', reason: 'connect-failed' });
  }, 60_000);

  it('survives kill -9: --resume finishes without redoing or losing endpoints', async () => {
    expect(existsSync(DIST_SCAN), 'npm run build first (dist/src/cli/commands/scan.js)').toBe(true);
    const dir = path.join(work, 'killed');
    // The built command in its own process, stopped by its own hook right after the third endpoint
    // reached scan.jsonl (one endpoint at a time), and killed there: no clock decides what was written.
    const runner = `import { writeSync } from 'node:fs';
      import { scanCommand } from ${JSON.stringify(DIST_SCAN)};
      let written = 0;
      process.exitCode = await scanCommand(process.argv.slice(1), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), cwd: process.cwd(), env: process.env, now: () => new Date(),
        onScanEndpoint: () => {
          written++;
          writeSync(1, 'WRITTEN ' + written + '\\n');
          if (written === 3) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
        } });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', runner, '--', list, '--out', dir, ...common(), '--concurrency', '1', '--quiet'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const file = path.join(dir, 'scan.jsonl');
    let said = '';
    child.stderr.on('data', (d: Buffer) => { said += d.toString(); });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        said += d.toString();
        if (/^WRITTEN 3$/m.test(said)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the scan exited (${code}) before its third endpoint: ${said}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = await readTlsproofResultsDetailed(dir);
    expect(before.finished).toBe(false);
    const done = before.observations.length;
    expect(done).toBe(3);
    const out: string[] = [];
    const code = await scanCommand([list, '--out', dir, ...common(), '--resume'], io(out, []));
    expect(code).toBe(0);
    expect(out.join('')).toContain(`${done} from the earlier run`);
    const after = await readTlsproofResultsDetailed(dir);
    expect(after.problems).toEqual([]);
    expect(after.observations).toHaveLength(13);
    const keys = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"type":"endpoint"')).map((l) => (JSON.parse(l) as { key: string }).key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(13);
  }, 60_000);
});

describe.skipIf(noLab)('tlsproof report on a domain list (scan, then report)', () => {
  it('scans the listed domains on loopback and reports on what it found', async () => {
    const { main } = await import('../../src/cli/index.js');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['report', list, '--org', 'Scan Co', '--format', 'json', '--out', 'report-from-scan', '--no-store',
      '--generated-at', '2026-10-01T00:00:00Z', '--resolver', `${DNS}:53`, '--ca-file', caFile, '--ipv4-only', '--scan-out', 'scan-results'], io(out, err));
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(work, 'report-from-scan', 'tlsproof-2026-10-01.json'), 'utf8')) as {
      scope: { endpoints: { host: string; tool: string; tlsAvailable: boolean }[]; assets: { domain: string; endpointKeys: string[] }[] };
    };
    expect(model.scope.endpoints).toHaveLength(N + 1);
    expect(model.scope.endpoints.every((e) => e.tlsAvailable && e.tool.startsWith('tlsproof'))).toBe(true);
    // Each MX belongs to its listed domain, so per-asset scope works for scanned endpoints too.
    expect(model.scope.assets.find((a) => a.domain === 'd3.cli.test')?.endpointKeys).toEqual([expect.stringMatching(/^mx\.d3\.cli\.test/)]);
    expect(existsSync(path.join(work, 'scan-results', 'scan.jsonl'))).toBe(true);
  }, 90_000);
});

describe.skipIf(noLab)('tlsproof report on a scan results folder', () => {
  it('reads scan.jsonl back as an input (and skips its summary.csv), hashed and listed in scope', async () => {
    const { main } = await import('../../src/cli/index.js');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['report', 'results', '--format', 'json', '--out', 'report-from-results', '--no-store', '--generated-at', '2026-10-01T00:00:00Z'], io(out, err));
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(work, 'report-from-results', 'tlsproof-2026-10-01.json'), 'utf8')) as {
      scope: { endpoints: unknown[]; inputs: { file: string; kind: string; sha256: string }[] };
    };
    expect(model.scope.inputs.map((i) => [i.file, i.kind])).toEqual([[path.join('results', 'scan.jsonl'), 'tlsproof-jsonl']]);
    expect(model.scope.endpoints).toHaveLength(N + 1);
  }, 60_000);
});
