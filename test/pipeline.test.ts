/**
 * The pipeline renders through the output-format registry: a run writes exactly the files the
 * registry names for its formats, and standard output is refused, before any input is read, for
 * formats that do not allow it or that write more than one file.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportError } from '../src/errors.js';
import { runReport, type ReportRequest } from '../src/pipeline.js';
import { fileNames, OUTPUT_FORMAT_IDS, type OutputFormatId } from '../src/report/formats/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterAll(async () => { await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))); });

function request(formats: readonly OutputFormatId[], outDir: string, inputs = ['test/fixtures/testssl/smtp-good.csv']): ReportRequest {
  return {
    inputs, formats, outDir, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', observedAt: '2026-09-30T09:00:00Z',
    cwd: ROOT, toolVersion: '0.1.0-test', scan: false,
  };
}

describe('the pipeline and the output-format registry', () => {
  it('writes exactly the files the registry names for every format, and nothing else', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tlsproof-pipeline-'));
    dirs.push(out);
    const outcome = await runReport(request(OUTPUT_FORMAT_IDS, out));
    const expected = OUTPUT_FORMAT_IDS.flatMap((id) => fileNames(id, 'tlsproof-2026-10-01'));
    expect(outcome.written.map((w) => w.slice(out.length + 1)).sort()).toEqual([...expected].sort());
    expect((await readdir(out)).sort()).toEqual([...expected].sort());
  }, 120_000);

  it.each([
    [['csv'], 'csv'],
    [['html'], 'html'],
    [['json', 'pdf'], 'json,pdf'],
  ] as const)('refuses %j on standard output before reading any input, naming what may go there', async (formats, named) => {
    const streamed: Uint8Array[] = [];
    // The input does not exist: a refusal about it would mean the inputs were read first.
    const req = { ...request(formats, ROOT, ['no/such/input.csv']), stream: (b: Uint8Array) => { streamed.push(b); } };
    const err = await runReport(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).code).toBe('usage');
    expect((err as ReportError).message).toBe(`--out - (standard output) works only with --format json; give --out DIR to write ${named}.`);
    expect(streamed).toEqual([]);
  });

  it('streams the one format that allows it', async () => {
    const streamed: Uint8Array[] = [];
    const outcome = await runReport({ ...request(['json'], ROOT), stream: (b) => { streamed.push(b); } });
    expect(streamed).toHaveLength(1);
    expect(outcome.written).toEqual([]);
    expect((JSON.parse(new TextDecoder().decode(streamed[0])) as { report: { id: string } }).report.id).toBe(outcome.model.report.id);
  });
});
