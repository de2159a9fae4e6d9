/**
 * `tlsproof scan --resume` over a results file damaged in the middle (garbage where three endpoint
 * records were, valid records after them): every valid record is kept, the damaged lines are
 * named by file:line, and only the endpoints they held are probed again. Real processes (the
 * compiled bin), real mail servers and a real DNS server on 127.0.123.x.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTlsproofResultsDetailed } from '../../src/ingest/tlsproof-results.js';
import { makeLabPki } from '../lab/certs.js';
import { startLabServer, type LabServer } from '../lab/servers.js';
import { startDnsmasq, type Dnsmasq } from '../lab/mail/dnsmasq.js';
import { lacks } from '../support/tools.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/tlsproof.js');
const DNS = '127.0.123.53';
const N = 8;
const ip = (i: number) => `127.0.123.${10 + i}`;
let work = '';
let caFile = '';
let dns: Dnsmasq | undefined;
const servers = new Map<string, LabServer>();

function tlsproof(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: work, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-resume-damaged-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  caFile = pki.caCertFile;
  const rows = ['domain'];
  const mx: { domain: string; target: string; preference: number }[] = [];
  const hosts: { name: string; ip: string }[] = [];
  for (let i = 0; i < N; i++) {
    const name = `mx.r${i}.resume.test`;
    servers.set(name, await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: ip(i), port: 25, host: name, certs: [await pki.issue({ kind: 'good', hostname: name })] }));
    mx.push({ domain: `r${i}.resume.test`, target: name, preference: 10 });
    hosts.push({ name, ip: ip(i) });
    rows.push(`r${i}.resume.test`);
  }
  dns = await startDnsmasq(DNS, 53, { zones: ['resume.test'], mx, hosts });
  writeFileSync(path.join(work, 'domains.csv'), `${rows.join('\n')}\n`);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([...servers.values()].map((s) => s.stop()));
  await dns?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const common = ['--resolver', `${DNS}:53`, '--ca-file', '', '--ipv4-only', '--connect-timeout', '2s', '--read-timeout', '3s', '--handshake-timeout', '3s', '--retries', '0', '--no-store', '--no-progress'];
const args = () => common.map((a, i) => (common[i - 1] === '--ca-file' ? caFile : a));

describe.skipIf(lacks('openssl', 'dnsmasq', 'root'))('tlsproof scan --resume over a results file damaged in the middle', () => {
  it('keeps every valid record, names the damaged lines and rescans only what they held', async () => {
    const first = await tlsproof(['scan', 'domains.csv', '--out', 'results', ...args()]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const file = path.join(work, 'results', 'scan.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const endpointLines = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('"type":"endpoint"'));
    expect(endpointLines).toHaveLength(N);

    // Garbage where endpoint records 3, 4 and 5 were (a disk error, a bad copy), valid records before and after.
    const damaged = endpointLines.slice(2, 5);
    const hostOf = (l: string) => (JSON.parse(l) as { observation: { endpoint: { host: string } } }).observation.endpoint.host;
    const lost = damaged.map(([l]) => hostOf(l));
    const garbage = ['\u0000\u0000\u0000\u0000', '{"type":"endpoint","key":', 'Zm9vYmFyIGJhc2U2NA== not a record'];
    const broken = lines.map((l, i) => {
      const at = damaged.findIndex(([, j]) => j === i);
      return at < 0 ? l : garbage[at]!;
    });
    writeFileSync(file, `${broken.join('\n')}\n`);
    const kept = endpointLines.filter(([, i]) => !damaged.some(([, j]) => j === i)).map(([l]) => hostOf(l));

    const connectionsBefore = new Map([...servers].map(([name, s]) => [name, s.stats.connections]));
    const resumed = await tlsproof(['scan', 'domains.csv', '--out', 'results', ...args(), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    // The damaged lines, by file and line number (1-based, as an editor shows them).
    for (const [, i] of damaged) expect(resumed.stderr).toContain(`results/scan.jsonl:${i + 1}: not JSON`);
    expect(resumed.stderr).toContain('3 lines of the earlier results did not read back');
    expect(resumed.stdout).toContain(`${N} endpoints (3 completed, 0 partial, 0 error, 0 blocked, ${N - 3} from the earlier run)`);

    // Only the endpoints the damaged lines held were probed again.
    for (const [name, s] of servers) {
      const again = s.stats.connections - connectionsBefore.get(name)!;
      if (lost.includes(name)) expect(again, name).toBeGreaterThan(0);
      else expect(again, name).toBe(0);
    }

    // The results file now holds every endpoint once, reads back without problems, and the valid records kept their place.
    const back = await readTlsproofResultsDetailed(path.join(work, 'results'));
    expect(back.problems).toEqual([]);
    expect(back.observations.map((o) => o.endpoint.host).sort()).toEqual([...servers.keys()].sort());
    const after = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const afterHosts = after.filter((l) => l.includes('"type":"endpoint"')).map(hostOf);
    expect(afterHosts.slice(0, kept.length)).toEqual(kept);
    expect(new Set(afterHosts).size).toBe(N);
    expect(readFileSync(path.join(work, 'results', 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(N + 1);
  }, 180_000);

  it('a full disk during a scan: exit 2 naming the folder and ENOSPC, no stack, and what reached the disk stays readable (root: a 16 KiB tmpfs)', async () => {
    const mnt = path.join(work, 'full');
    await mkdir(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mnt]);
    try {
      const r = await tlsproof(['scan', 'domains.csv', '--out', mnt, ...args(), '--concurrency', '1']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`Cannot write ${mnt}: the file system is full (ENOSPC)`);
      expect(r.stderr).toContain(`the results so far stay in ${mnt}`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect((await readdir(mnt)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // What reached the disk reads back: whole records, at most a torn last line (which --resume drops).
      const back = await readTlsproofResultsDetailed(mnt);
      expect(back.observations.length).toBeLessThan(N);
      expect(back.problems.every((p) => p.message.includes('torn last line'))).toBe(true);
    } finally {
      execFileSync('umount', [mnt]);
    }
  }, 180_000);
});
