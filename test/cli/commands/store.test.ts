/**
 * `tlsproof store verify | export | regenerate`.
 */
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportModelSchema } from '../../../src/model/report-model.js';
import { EvidenceStore } from '../../../src/store/store.js';
import { ROOT } from '../../history/support.js';
import { cli, recordViaCli, tempDir } from './history-support.js';

let store: string;
beforeAll(async () => {
  store = join(await tempDir(), 'evidence.db');
  await recordViaCli(store, 3);
});

describe('tlsproof store verify', () => {
  it('says the store is intact, and exits 0', async () => {
    const r = await cli(['store', 'verify', '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(format 2, 3 runs, 8 stored inputs)');
    expect(r.stdout).toMatch(/ok {4}run-content +3 runs: content hashes match\./);
    expect(r.stdout).toMatch(/ok {4}chain +3 runs chained: every link holds\./);
    expect(r.stdout).toMatch(/\nChain head: 3:[0-9a-f]{64}\nThe store is intact\.\nWhat this check can and cannot see:\n/);
    expect(r.stdout).toContain('Only a copy of the chain head kept elsewhere catches that');
    const json = JSON.parse((await cli(['store', 'verify', '--store', store, '--json'])).stdout) as { ok: boolean; runs: number };
    expect(json).toMatchObject({ ok: true, runs: 3 });
  });

  it('reports a damaged copy with FAIL lines and exit 1, without crashing', async () => {
    const copy = join(await tempDir(), 'damaged.db');
    copyFileSync(store, copy);
    // Garbage over every third page after the schema.
    const fd = openSync(copy, 'r+');
    for (let page = 2; page * 4096 < statSync(copy).size; page += 3) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
    closeSync(fd);
    const r = await cli(['store', 'verify', '--store', copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/FAIL {2}integrity/);
    expect(r.stdout).toContain('The store has problems');
    // Commands that read it say it is damaged and point at verify.
    const h = await cli(['diff', '2027-Q1', '--store', copy]);
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/is damaged \(SQLITE_CORRUPT.*Run "tlsproof store verify"/);
  });
});

describe('tlsproof store export', () => {
  it('writes every record as a JSON line, to a file or standard output', async () => {
    const out = join(await tempDir(), 'export.jsonl');
    const r = await cli(['store', 'export', '--store', store, '--out', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(r.stdout).toBe(`Wrote ${lines.length} lines to ${out}\n`);
    const types = lines.map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe('store');
    expect(types.filter((t) => t === 'run')).toHaveLength(3);
    expect(types.filter((t) => t === 'observation')).toHaveLength(10);
    const toStdout = await cli(['store', 'export', '--store', store]);
    expect(toStdout.stdout).toBe(`${lines.join('\n')}\n`);
  });
});

describe('tlsproof store regenerate', () => {
  it('rebuilds a past report from the stored inputs, identical to the recorded one', async () => {
    const out = await tempDir();
    const r = await cli(['store', 'regenerate', '3', '--store', store, '--out', out, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Wrote ${join(out, 'tlsproof-Q1-2027.json')}`);
    expect(r.stdout).toMatch(/Identical to run 3's report \(model SHA-256 [0-9a-f]{64}\)\./);
    expect(r.code).toBe(0);
    const model = ReportModelSchema.parse(JSON.parse(readFileSync(join(out, 'tlsproof-Q1-2027.json'), 'utf8')));
    const s = EvidenceStore.open(store, { toolVersion: 'test', mode: 'read' });
    try {
      expect(model.report.id).toBe(s.runDetail(3).reportId);
      expect(model.scope.inputs.map((i) => i.file)).toEqual(s.runDetail(3).inputFiles.map((i) => i.file));
      // Regenerating records nothing.
      expect(s.listRuns()).toHaveLength(3);
    } finally {
      s.close();
    }
    // The evidence cites the original file names and lines.
    const tls = model.findings.find((f) => f.checkId === 'proto-tls10' && f.endpoint.host === 'mail.legacy.example.test')!;
    expect(tls.evidence[0]!.source.file).toBe('test/fixtures/history/derived/legacy-tls12-only.csv');
    expect(readFileSync(join(ROOT, tls.evidence[0]!.source.file), 'utf8').split('\n')[tls.evidence[0]!.source.line! - 1]).toContain('"TLS1"');
  });

  it('regenerates a run whose inputs were timed by their modification time', async () => {
    const dir = await tempDir();
    const db = join(dir, 'mtime.db');
    const input = 'test/fixtures/history/real/smtp-good.csv';
    const first = await cli(['report', input, '--store', db, '--format', 'json', '--out', join(dir, 'a'), '--generated-at', '2026-12-01T00:00:00Z', '--quiet']);
    expect(first.code).toBe(0);
    const r = await cli(['store', 'regenerate', '1', '--store', db, '--out', join(dir, 'b'), '--format', 'json']);
    expect(r.stdout).toContain("Identical to run 1's report");
    expect(r.code).toBe(0);
  });

  it('rebuilds with the --mappings files the run read, even after they were edited', async () => {
    const dir = await tempDir();
    const db = join(dir, 'mappings.db');
    const ours = join(dir, 'ours', 'hipaa');
    mkdirSync(ours, { recursive: true });
    const file = join(ours, '2013.yaml');
    const builtIn = readFileSync(join(ROOT, 'mappings/hipaa/2013.yaml'), 'utf8');
    writeFileSync(file, builtIn.replace('  title: HIPAA Security Rule\n', '  title: HIPAA Security Rule (our reading)\n'));
    const first = await cli(['report', 'test/fixtures/history/real/smtp-good.csv', '--mappings', join(dir, 'ours'), '--frameworks', 'hipaa',
      '--store', db, '--format', 'json', '--out', join(dir, 'a'), '--generated-at', '2026-12-01T00:00:00Z', '--quiet']);
    expect(first.code).toBe(0);
    // The file is kept with the run as an input of kind "mapping".
    const s = EvidenceStore.open(db, { toolVersion: 'test', mode: 'read' });
    try {
      expect(s.inputsOf(1).filter((i) => i.kind === 'mapping').map((i) => [i.file, i.content.toString('utf8')])).toEqual([[file, readFileSync(file, 'utf8')]]);
    } finally {
      s.close();
    }
    writeFileSync(file, builtIn.replace('  title: HIPAA Security Rule\n', '  title: HIPAA Security Rule (edited later)\n'));
    const r = await cli(['store', 'regenerate', '1', '--store', db, '--out', join(dir, 'b'), '--format', 'json']);
    expect(r.stdout).toContain("Identical to run 1's report");
    expect(r.code).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'b', 'tlsproof-2026-12-01.json'), 'utf8')) as { frameworks: { title: string }[] };
    expect(model.frameworks.map((f) => f.title)).toEqual(['HIPAA Security Rule (our reading)']);
  });

  it('explains what it needs', async () => {
    expect(await cli(['store', 'regenerate', '3', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('needs --out DIR') });
    expect(await cli(['store', 'vacuum', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('Commands: verify, export, regenerate RUN') });
  });
});
