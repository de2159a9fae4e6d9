/**
 * A single huge value (a host name, a finding, a result line) is refused by the reader that meets
 * it: an input problem at its file:line, the record left out, the rest of the file still read.
 * Each reader is given a value just over the bound, so the tests prove the bound itself.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/index.js';
import { MAX_FIELD_CHARS, MAX_RESULT_LINE_CHARS } from '../../src/ingest/limits.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const OBSERVED = '2026-10-01T09:00:00Z';
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tlsproof-oversized-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function read(name: string, content: string) {
  await writeFile(join(dir, name), content);
  return ingest([name], { cwd: dir, observedAt: OBSERVED });
}

const huge = (n: number) => 'a'.repeat(n + 1);

describe('oversized fields are input problems at file:line, in every reader', () => {
  it('CSV (testssl): a host name over the bound skips that row only', async () => {
    const sample = await readFile(join(root, 'test/fixtures/testssl/smtp-good.csv'), 'utf8');
    const lines = sample.split('\n');
    lines[3] = lines[3]!.replace('mail.good.example.test', huge(MAX_FIELD_CHARS));
    const out = await read('big.csv', lines.join('\n'));
    const p = out.problems.filter((x) => x.code === 'field-too-long');
    expect(p).toEqual([expect.objectContaining({ file: 'big.csv', line: 4, column: 2, effect: 'row-skipped' })]);
    expect(p[0]!.message).toMatch(/field 2 is 10485\d\d characters long, more than the 1 MiB/);
    expect(out.observations).toHaveLength(1);
  });

  it('CSV: a field exactly at the bound is read', async () => {
    const sample = await readFile(join(root, 'test/fixtures/testssl/smtp-good.csv'), 'utf8');
    const lines = sample.split('\n');
    lines[3] = lines[3]!.replace('"not offered"', `"${'b'.repeat(MAX_FIELD_CHARS)}"`);
    const out = await read('edge.csv', lines.join('\n'));
    expect(out.problems.filter((x) => x.code === 'field-too-long')).toEqual([]);
  });

  it('JSON (SSLyze): a string over the bound skips the server result it is in, naming its path', async () => {
    const doc = JSON.parse(await readFile(join(root, 'test/fixtures/ingest/sslyze-json/v6-mixed-results.json'), 'utf8')) as {
      server_scan_results: { server_location: { hostname: string } }[];
    };
    doc.server_scan_results[1]!.server_location.hostname = huge(MAX_FIELD_CHARS);
    const out = await read('big.json', JSON.stringify(doc, null, 2));
    const p = out.problems.filter((x) => x.code === 'field-too-long');
    expect(p).toHaveLength(1);
    expect(p[0]!.line).toBeGreaterThan(1);
    expect(p[0]!.message).toMatch(/server_location\.hostname is 1048577 characters/);
  });

  it('tlsproof results: a line over the bound is dropped as it streams, the next lines are read', async () => {
    const header = JSON.stringify({ type: 'header', format: 'tlsproof-scan/v1', tool: 'tlsproof 0.1.0', startedAt: OBSERVED, domains: 0, options: {} });
    const bigLine = JSON.stringify({ type: 'domain', domain: huge(MAX_RESULT_LINE_CHARS) });
    const footer = JSON.stringify({ type: 'nonsense' });
    const out = await read('scan.jsonl', `${header}\n${bigLine}\n${footer}\n`);
    expect(out.files[0]!.kind).toBe('tlsproof-jsonl');
    expect(out.problems.map((x) => [x.line, x.code])).toEqual([[2, 'line-too-long'], [3, 'bad-result-line']]);
    expect(out.problems[0]!.message).toMatch(/more than the 8 MiB/);
  });

  it('tlsproof results: a field over the bound in a short enough line', async () => {
    const header = JSON.stringify({ type: 'header', format: 'tlsproof-scan/v1', tool: 'tlsproof 0.1.0', startedAt: OBSERVED, domains: 0, options: {} });
    const out = await read('scan2.jsonl', `${header}\n${JSON.stringify({ type: 'domain', domain: huge(MAX_FIELD_CHARS) })}\n`);
    expect(out.problems.map((x) => [x.line, x.code])).toEqual([[2, 'field-too-long']]);
  });

  it('XML (nmap): a script output attribute and an <elem> text over the bound are ignored at their line', async () => {
    const xml = (await readFile(join(root, 'test/fixtures/ingest/nmap-xml/by-address.xml'), 'utf8')).split('\n');
    xml[12] = xml[12]!.replace('output="&#xa;  TLSv1.2', `output="${huge(MAX_FIELD_CHARS)}&#xa;  TLSv1.2`);
    xml[15] = xml[15]!.replace('ecdh_x25519', huge(MAX_FIELD_CHARS));
    const out = await read('big.xml', xml.join('\n'));
    const p = out.problems.filter((x) => x.code === 'field-too-long');
    expect(p.map((x) => [x.line, x.effect])).toEqual([[13, 'value-ignored'], [16, 'value-ignored']]);
    expect(p[0]!.message).toMatch(/attribute output of <script> is \d+ characters long, more than the 1 MiB/);
    expect(out.observations.length).toBeGreaterThan(0);
  });

  it('XML (Nessus): a plugin_output over the bound is ignored at its line', async () => {
    const xml = (await readFile(join(root, 'test/fixtures/ingest/nessus-xml/edge-cases.nessus'), 'utf8')).split('\n');
    xml[47] = xml[47]!.replace('This port supports', huge(MAX_FIELD_CHARS));
    const out = await read('big.nessus', xml.join('\n'));
    const p = out.problems.filter((x) => x.code === 'field-too-long');
    expect(p.map((x) => x.line)).toEqual([49]);
  });
});
