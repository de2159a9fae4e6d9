/**
 * Writing outputs is all or nothing. Every way writing can fail (a folder nobody may write, a
 * parent that is a file, a name too long, a full disk, a file-size limit, a full standard output,
 * an unwritable store, a scan folder that is a file) ends the real `tlsproof` process with exit 2
 * and one message naming the path and the system's reason, with no partial or temporary file, the
 * earlier files of the same names untouched, and no run recorded in the store. Real failures where
 * the machine allows them (ulimit -f, /dev/full, a small tmpfs and chattr as root), an injected
 * fault in the writer (test/cli/child/faulty-cli.mjs) where it does not.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/store/store.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');
const faulty = join(root, 'test/cli/child/faulty-cli.mjs');
const INPUT = join(root, 'test/fixtures/testssl/smtp-good.csv');
const GENERATED_AT = '2026-10-01T09:00:00Z';
const BASE = 'tlsproof-2026-10-01';
const isRoot = process.getuid?.() === 0;

interface Run { code: number | string; stdout: string; stderr: string }

function run(args: string[], opts: { fault?: string; shell?: string } = {}): Promise<Run> {
  const env = { ...process.env, ...(opts.fault ? { TLSPROOF_TEST_FAULT: opts.fault } : {}) };
  const [file, argv] = opts.shell !== undefined
    // A child shell sets the limit for the tlsproof process it starts, as a user's shell would.
    ? ['/bin/sh', ['-c', `${opts.shell}; exec "$0" "$@"`, process.execPath, bin, ...args]]
    : [process.execPath, [opts.fault ? faulty : bin, ...args]];
  return new Promise((resolve) => {
    execFile(file, argv as string[], { cwd: root, env, timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : String(err.code ?? err.signal)) : 0, stdout, stderr });
    });
  });
}

let dir: string;
const frozen: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-output-failures-'));
});

afterAll(async () => {
  for (const p of frozen) execFileSync('chattr', ['-i', p]);
  await rm(dir, { recursive: true, force: true });
});

/** A fresh case folder: an output folder holding last run's report and a store holding one run. */
async function scenario(name: string): Promise<{ out: string; store: string; before: Record<string, string> }> {
  const base = join(dir, name);
  const out = join(base, 'out');
  const store = join(base, 'evidence.db');
  await mkdir(out, { recursive: true });
  const first = await run(['report', INPUT, '--no-scan', '--format', 'json', '--out', join(base, 'first'), '--store', store,
    '--generated-at', '2026-09-01T09:00:00Z', '--quiet']);
  expect(first.code, first.stderr).toBe(0);
  const before = { [`${BASE}.html`]: '<p>last quarter</p>', [`${BASE}.json`]: '{"last":"quarter"}' };
  for (const [f, text] of Object.entries(before)) await writeFile(join(out, f), text);
  return { out, store, before };
}

function runsIn(store: string): number {
  const es = EvidenceStore.open(store, { toolVersion: '0.1.0-test', mode: 'read' });
  try {
    return es.listRuns().length;
  } finally {
    es.close();
  }
}

/** The folder holds exactly what it held before: same names, same bytes, no temporary file. */
async function unchanged(out: string, before: Record<string, string>): Promise<void> {
  expect((await readdir(out)).sort()).toEqual(Object.keys(before).sort());
  for (const [f, text] of Object.entries(before)) expect(await readFile(join(out, f), 'utf8')).toBe(text);
}

const reportArgs = (out: string, store: string, formats = 'html,json,csv') =>
  ['report', INPUT, '--no-scan', '--format', formats, '--out', out, '--store', store, '--generated-at', GENERATED_AT, '--bundle'];

function expectRefusal(r: Run, path: string, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toContain(`(${code})`);
  expect(r.stdout).not.toContain('Wrote');
}

describe('a failure while writing the outputs leaves nothing behind', () => {
  it('full disk on the third output: no file changed, no temporary file, no run recorded', async () => {
    const { out, store, before } = await scenario('enospc');
    const r = await run(reportArgs(out, store), { fault: `write:${BASE}\\.json$:ENOSPC` });
    expectRefusal(r, join(out, `${BASE}.json`), 'ENOSPC');
    expect(r.stderr).toContain('the file system is full');
    expect(r.stderr).toContain('Nothing was written or recorded');
    await unchanged(out, before);
    expect(runsIn(store)).toBe(1);
  });

  it('a rename failing after the first outputs are in place puts the earlier files back', async () => {
    const { out, store, before } = await scenario('rename');
    const r = await run(reportArgs(out, store), { fault: `rename:${BASE}\\.tlsproof\\.zip$:EIO` });
    expectRefusal(r, join(out, `${BASE}.tlsproof.zip`), 'EIO');
    await unchanged(out, before);
    expect(runsIn(store)).toBe(1);
  });

  it('fsync failing (a disk that lost the data) is a failure too', async () => {
    const { out, store, before } = await scenario('fsync');
    const r = await run(reportArgs(out, store, 'pdf,json'), { fault: `fsync:${BASE}\\.pdf$:EIO` });
    expectRefusal(r, join(out, `${BASE}.pdf`), 'EIO');
    await unchanged(out, before);
    expect(runsIn(store)).toBe(1);
  });

  it('ulimit -f in the shell that starts tlsproof: EFBIG, not a truncated file', async () => {
    const { out, store, before } = await scenario('efbig');
    // 512-byte blocks: 40 KiB, room for the store's 32 KiB shared-memory file, less than the HTML report.
    const r = await run(reportArgs(out, store), { shell: 'ulimit -f 80' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('(EFBIG)');
    expect(r.stderr).toContain('ulimit -f');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    await unchanged(out, before);
    expect(runsIn(store)).toBe(1);
  });

  it.skipIf(lacks('root'))('a real full file system (a 256 KiB tmpfs, root only)', async () => {
    const { store } = await scenario('tmpfs');
    const mnt = join(dir, 'tmpfs-mount');
    await mkdir(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    try {
      const before = { [`${BASE}.html`]: '<p>last quarter</p>' };
      await writeFile(join(mnt, `${BASE}.html`), before[`${BASE}.html`]);
      const r = await run(reportArgs(mnt, store));
      expectRefusal(r, mnt, 'ENOSPC');
      await unchanged(mnt, before);
      expect(runsIn(store)).toBe(1);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('--out - to a full device (/dev/full): a clear error, exit 2, nothing recorded', async () => {
    const { store } = await scenario('devfull');
    const fd = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [bin, 'report', INPUT, '--no-scan', '--format', 'json', '--out', '-', '--store', store, '--generated-at', GENERATED_AT],
        { cwd: root, stdio: ['ignore', fd, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code, stderr).toBe(2);
      expect(stderr).toContain('Cannot write to standard output: the file system is full (ENOSPC)');
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      closeSync(fd);
    }
    expect(runsIn(store)).toBe(1);
  });

  it('store export on a full disk leaves no truncated export under its name, and the earlier export as it was', async () => {
    const { store } = await scenario('export');
    const target = join(dir, 'export', 'store.jsonl');
    await writeFile(target, 'last export\n');
    const r = await run(['store', 'export', '--store', store, '--out', target], { fault: 'write:store\\.jsonl$:ENOSPC' });
    expectRefusal(r, target, 'ENOSPC');
    expect(await readFile(target, 'utf8')).toBe('last export\n');
    expect((await readdir(join(dir, 'export'))).filter((f) => f.startsWith('.tlsproof-'))).toEqual([]);
    const ok = await run(['store', 'export', '--store', store, '--out', target]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await readFile(target, 'utf8')).split('\n').length).toBeGreaterThan(5);
  });
});

describe('an output location that cannot work is refused before any work', () => {
  it('--out whose parent is a file', async () => {
    const { store } = await scenario('parent-file');
    const file = join(dir, 'parent-file', 'plain.txt');
    await writeFile(file, 'x');
    const r = await run(reportArgs(join(file, 'out'), store));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file} is a file, not a folder`);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(runsIn(store)).toBe(1);
  });

  it('--out with a name longer than the file system allows', async () => {
    const { store } = await scenario('long-name');
    const out = join(dir, 'long-name', 'x'.repeat(300));
    const r = await run(reportArgs(out, store));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('(ENAMETOOLONG)');
    expect(r.stderr).toContain('is 300 bytes');
    expect(runsIn(store)).toBe(1);
  });

  it('--out in a folder nobody may write (immutable as root, mode 555 otherwise)', async () => {
    const { store } = await scenario('unwritable');
    const locked = join(dir, 'unwritable', 'locked');
    await mkdir(locked);
    if (isRoot) {
      execFileSync('chattr', ['+i', locked]);
      frozen.push(locked);
    } else {
      execFileSync('chmod', ['555', locked]);
    }
    const r = await run(reportArgs(join(locked, 'out'), store));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`cannot write to ${locked}: .*\\((EPERM|EACCES)\\)`));
    expect(existsSync(join(locked, 'out'))).toBe(false);
    expect(runsIn(store)).toBe(1);
  });

  it('a store path that is a folder, or in a folder nobody may write: refused before a report is written', async () => {
    const base = join(dir, 'store-path');
    await mkdir(join(base, 'is-a-folder'), { recursive: true });
    const out = join(base, 'out');
    const r = await run(reportArgs(out, join(base, 'is-a-folder')));
    expect(r.code, r.stderr).toBe(2);
    // The store's own refusal speaks first (it names what a store needs); see test/store/cli-paths.test.ts.
    expect(r.stderr).toContain(`The evidence store path "${join(base, 'is-a-folder')}" is a folder, not a store file`);
    expect(existsSync(out)).toBe(false);

    const locked = join(base, 'locked');
    await mkdir(locked);
    if (isRoot) {
      execFileSync('chattr', ['+i', locked]);
      frozen.push(locked);
    } else {
      execFileSync('chmod', ['555', locked]);
    }
    const r2 = await run(reportArgs(out, join(locked, 'evidence.db')));
    expect(r2.code, r2.stderr).toBe(2);
    expect(r2.stderr).toMatch(/evidence store path ".*locked\/evidence\.db" is in a folder this user cannot write/);
    expect(existsSync(out)).toBe(false);
  });

  it('--scan-out that is a file: refused before any domain is looked up', async () => {
    const base = join(dir, 'scan-out');
    await mkdir(base);
    const file = join(base, 'results');
    await writeFile(file, 'x');
    const list = join(base, 'domains.csv');
    await writeFile(list, 'domain\nexample.invalid\n');
    const r = await run(['report', list, '--scan-out', file, '--resolver', '127.0.123.1:1', '--format', 'json', '--out', join(base, 'out'), '--no-store']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--scan-out ${file}: it is a file, not a folder`);
    expect(existsSync(join(base, 'out'))).toBe(false);
  });
});
