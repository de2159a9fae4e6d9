/**
 * --format on the command line, through `main` as a user types it: names checked against the
 * output-format registry (report, store regenerate, store bundle share one parser), standard output
 * refused at once for a format it cannot take, and --sign asking for a format that signs.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import { parseFormats } from '../../src/cli/formats.js';
import { DEFAULT_FORMATS, OUTPUT_FORMAT_IDS } from '../../src/report/formats/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, cwd: ROOT, env: {}, now: () => new Date('2026-10-01T09:00:00Z'),
  });
  return { code, stdout, stderr };
}

describe('--format', () => {
  it('reads a list against the registry: each name once, in the order given; absent, the defaults', () => {
    expect(parseFormats(' json, csv ,json')).toEqual(['json', 'csv']);
    expect(parseFormats(undefined)).toEqual([...DEFAULT_FORMATS]);
    expect(parseFormats(undefined, ['pdf', 'json'])).toEqual(['pdf', 'json']);
  });

  it.each([
    [['report', 'no/such/input.csv', '--format', 'html,docx,xlsx']],
    [['store', 'regenerate', '1', '--out', '/tmp/never', '--format', 'docx,xlsx', '--store', 'no/such/store.db']],
    [['store', 'bundle', '1', '--out', '/tmp/never', '--format', 'docx,xlsx', '--store', 'no/such/store.db']],
  ])('%j: an unknown name is refused with the registry\'s list, before anything is read', async (argv) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tlsproof: --format "docx", "xlsx" is not one of ${OUTPUT_FORMAT_IDS.join(', ')}.\n`);
  });

  it.each([['csv'], ['html,pdf'], ['pdf']])('--format %s --out - is refused before any input is read', async (formats) => {
    const r = await cli(['report', 'no/such/input.csv', '--no-store', '--format', formats, '--out', '-']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`tlsproof: --out - (standard output) works only with --format json; give --out DIR to write ${formats}.\n`);
  });

  it('--out - with a format it cannot take is refused before the signing key is even read', async () => {
    const r = await cli(['report', 'no/such/input.csv', '--no-store', '--format', 'pdf', '--out', '-', '--sign', 'no/such/key.pem']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tlsproof: --out - (standard output) works only with --format json; give --out DIR to write pdf.\n');
  });

  it('--sign without a format that signs (or --bundle) is refused, naming the format to add', async () => {
    const r = await cli(['report', 'no/such/input.csv', '--no-store', '--format', 'json,csv', '--sign', 'no/such/key.pem']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tlsproof: --sign signs the PDF report and the evidence bundle: add pdf to --format, or --bundle.\n');
  });
});
