/**
 * The lab-tier guard, on the production path: real test files of the lab tier run in a child
 * Vitest whose PATH really lacks the tools they need (a folder of links to every command here but
 * those). Locally they skip and say which Debian package to install, in one line; under CI=true
 * the same files fail and name the package.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing } from './tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** One file per kind of lab test: a PDF read back, a live nmap scan, real Postfix and Dovecot. */
const SAMPLE = ['test/report/history-resolved-late.test.ts', 'test/ingest/nmap-live.test.ts', 'test/scan/real-servers.test.ts'];
const HIDDEN = new Set(['pdftotext', 'nmap', 'postfix', 'dovecot']);

let dir = '';
let hiddenPath = '';

/** A PATH with every command of this one except `hide`, as links in one folder. */
async function pathWithout(hide: ReadonlySet<string>, into: string): Promise<string> {
  await mkdir(into);
  const linked = new Set<string>();
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const name of names) {
      if (hide.has(name) || linked.has(name)) continue;
      const file = join(d, name);
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
      } catch {
        continue;
      }
      linked.add(name);
      await symlink(file, join(into, name));
    }
  }
  return into;
}

interface VitestRun { code: number | null; output: string; report: { numTotalTests: number; numPendingTests: number; numFailedTestSuites: number; numPassedTests: number } }

function vitest(files: readonly string[], env: NodeJS.ProcessEnv, report: string): Promise<VitestRun> {
  const argv = [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 170_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') { reject(err); return; }
      readFile(report, 'utf8').then(
        (json) => resolve({ code: err ? (err.code as number) : 0, output: stdout + stderr, report: JSON.parse(json) as VitestRun['report'] }),
        reject,
      );
    });
  });
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: hiddenPath, NO_COLOR: '1', ...extra };
  delete env['FORCE_COLOR'];
  if (!('CI' in extra)) delete env['CI'];
  delete env['TLSPROOF_TESTS'];
  delete env['VITEST'];
  delete env['VITEST_WORKER_ID'];
  delete env['VITEST_POOL_ID'];
  return env;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-tools-'));
  hiddenPath = await pathWithout(HIDDEN, join(dir, 'bin'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('missing()', () => {
  it('finds a command on PATH as the tests start it, and names the package of one that is not there', async () => {
    const bin = join(dir, 'stub');
    await mkdir(bin);
    await writeFile(join(bin, 'pdftotext'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(bin, 'nmap'), 'not executable\n', { mode: 0o644 });
    expect(missing(['pdftotext'], { PATH: bin })).toEqual([]);
    expect(missing(['nmap', 'pdftotext', 'postfix', 'nmap'], { PATH: bin })).toEqual(['nmap (apt-get install nmap)', 'postfix (apt-get install postfix)']);
    expect(missing(['/nonexistent/chromium' as never], { PATH: bin })).toHaveLength(1);
    // A testssl.sh checkout named by TESTSSL_BIN counts, as test/lab/testssl.ts runs it.
    expect(missing(['testssl'], { PATH: bin })).toEqual(['testssl (apt-get install testssl.sh)']);
    expect(missing(['testssl'], { PATH: bin, TESTSSL_BIN: join(bin, 'pdftotext') })).toEqual([]);
    expect(missing(['testssl'], { PATH: bin, TESTSSL_BIN: join(bin, 'testssl.sh') })).toHaveLength(1);
  });
});

describe('the lab tier without its tools', () => {
  it('skips locally, every guarded test, with one line naming the Debian package', async () => {
    const r = await vitest(SAMPLE, childEnv({}), join(dir, 'local.json'));
    expect(r.code, r.output).toBe(0);
    expect(r.report.numFailedTestSuites, r.output).toBe(0);
    expect(r.report.numPassedTests, r.output).toBe(0);
    expect(r.report.numPendingTests, r.output).toBe(r.report.numTotalTests);
    expect(r.report.numTotalTests).toBeGreaterThan(5);
    const lines = r.output.split('\n').filter((l) => l.startsWith('tlsproof tests: skipping'));
    expect(lines.find((l) => l.includes('pdftotext (apt-get install poppler-utils)')), r.output).toBeDefined();
    expect(lines.find((l) => l.includes('nmap (apt-get install nmap)')), r.output).toBeDefined();
    expect(lines.find((l) => l.includes('postfix (apt-get install postfix), dovecot (apt-get install dovecot-imapd dovecot-pop3d)')), r.output).toBeDefined();
    // One line per file, however many of its tests the guard skipped.
    expect(lines).toHaveLength(SAMPLE.length);
  }, 180_000);

  it('fails under CI=true, naming the package CI must install', async () => {
    const r = await vitest(SAMPLE, childEnv({ CI: 'true' }), join(dir, 'ci.json'));
    expect(r.code, r.output).not.toBe(0);
    expect(r.report.numFailedTestSuites, r.output).toBe(SAMPLE.length);
    expect(r.report.numPassedTests, r.output).toBe(0);
    expect(r.output).toMatch(/CI must not skip the lab tests that need pdftotext \(apt-get install poppler-utils\)/);
    expect(r.output).toMatch(/CI must not skip the lab tests that need nmap \(apt-get install nmap\)/);
    expect(r.output).toMatch(/CI must not skip the lab tests that need postfix \(apt-get install postfix\)/);
  }, 180_000);
});
