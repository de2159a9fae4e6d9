/**
 * Command-line traps a new user falls into, through the real bin: `report --help` is the report's
 * help; a format forced on a file that is not in it is refused (exit 2, what the file is, what
 * tlsproof reads it as) instead of an empty report with exit 1; a missing --domains file is named
 * as the domain list; exit codes come from one table; usage errors from every command go through
 * one catch (message, exit 2, no stack).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');
let dir = '';

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-traps-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('configuration traps on the command line', () => {
  it('report --help prints the report command\'s help, not the overview of every command', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await run(['report', 'samples/2026-Q3', flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: tlsproof report <inputs\.\.\.> \[options\]/);
      expect(r.stdout).toContain('--domains FILE');
      expect(r.stdout).toContain('--fail-on LEVEL');
      expect(r.stdout).toContain('Exit codes: 0 report written');
      // Not the global overview: other commands' usage lines and verify's exit codes are not in it.
      expect(r.stdout).not.toContain('tlsproof scan <domains.csv> --out DIR');
      expect(r.stdout).not.toContain('tlsproof verify: 0 verified');
    }
    const global = await run(['--help']);
    expect(global.stdout).toContain('tlsproof scan <domains.csv> --out DIR');
  });

  it('--input-format nessus-csv on a .nessus (XML) file: exit 2, says it is XML and what tlsproof reads it as, writes nothing', async () => {
    const out = join(dir, 'forced-xml');
    const r = await run(['report', 'test/fixtures/ingest/nessus-xml/edge-cases.nessus', '--input-format', 'nessus-csv', '--format', 'json', '--out', out, '--no-store']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--input-format nessus-csv: "test/fixtures/ingest/nessus-xml/edge-cases.nessus" cannot be read as nessus-csv');
    expect(r.stderr).toContain('it is XML with root element <NessusClientData_v2>');
    expect(r.stderr).toContain('tlsproof recognises it as nessus-xml');
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('--input-format on a CSV of another scanner: exit 2 with the columns it lacks', async () => {
    const r = await run(['report', 'test/fixtures/ingest/greenbone-csv/current-multiline-prefixed.csv', '--input-format', 'nessus-csv', '--format', 'json', '--out', join(dir, 'forced-csv'), '--no-store']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the header lacks the required columns "Plugin ID", "Host"/);
    expect(r.stderr).toContain('tlsproof recognises it as greenbone-csv');
  });

  it('a missing --domains file is named as the domain list, not as a scan result', async () => {
    const missing = join(dir, 'no-such-domains.csv');
    const r = await run(['report', 'test/fixtures/testssl/smtp-good.csv', '--domains', missing, '--format', 'json', '--out', join(dir, 'o'), '--no-store']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--domains ${missing}: the domain list file does not exist`);
    expect(r.stderr).not.toContain('Give a scan result file');
  });

  it('usage errors of every command go through the one catch: one line on stderr, exit 2, no stack', async () => {
    for (const args of [['frameworks', 'hipaa'], ['controls'], ['explain'], ['templates', 'copy'], ['history', 'a', 'b'], ['diff'],
      ['store', 'frobnicate'], ['verify'], ['scan', 'x.csv'], ['report'], ['frameworks', '--bogus'], ['report', 'x.csv', '--bogus'], ['frobnicate']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^tlsproof: /);
      expect(r.stderr, args.join(' ')).not.toMatch(/internal error|\n\s+at /);
    }
    const bogus = await run(['report', 'x.csv', '--bogus']);
    expect(bogus.stderr).toMatch(/Unknown option '--bogus'[\s\S]*See tlsproof report --help\./);
  });
});
