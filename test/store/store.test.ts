/**
 * The evidence store's guarantees, each tried: WAL, runs whole or not at all, never overwritten or
 * changed, inputs kept byte for byte, export of everything, verify catching tampering, and
 * damaged, foreign or newer files reported without being changed.
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { EvidenceStore } from '../../src/store/store.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { ReportError } from '../../src/errors.js';
import { verifyStore } from '../../src/store/verify.js';
import { tempStorePath } from '../history/support.js';
import { sha256File, syntheticRun } from './support.js';

const open = (path: string, mode: 'read' | 'write' = 'write') => EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode });

function storeError(fn: () => unknown): ReportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReportError) return err;
    throw err;
  }
  throw new Error('expected a ReportError');
}

describe('recording runs', () => {
  it('keeps a run whole: rows, counts, inputs byte for byte, in WAL mode', async () => {
    const path = await tempStorePath();
    const store = open(path);
    try {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      const record = syntheticRun(1);
      const { seq } = store.recordRun(record);
      expect(seq).toBe(1);
      const d = store.runDetail(1);
      expect(d).toMatchObject({ seq: 1, uuid: record.uuid, inputs: 1, endpoints: 3, findings: 6, problems: 1, open: 3, command: ['report', 'scan.csv'] });
      expect(d.openFindings.map((f) => f.checkId)).toEqual(['proto-tls10', 'proto-tls10', 'proto-tls10']);
      expect(d.controls).toEqual([{ frameworkId: 'pci-dss', frameworkVersion: '4.0.1', controlId: '4.2.1', status: 'fail' }]);
      expect(store.inputsOf(1)[0]!.content.equals(Buffer.from(record.inputs[0]!.content))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('never overwrites: the same report twice is two runs, and an existing uuid is refused', async () => {
    const path = await tempStorePath();
    const store = open(path);
    try {
      store.recordRun(syntheticRun(1));
      store.recordRun({ ...syntheticRun(1), uuid: '00000000-0000-4000-8000-0000000000aa' });
      expect(() => store.recordRun(syntheticRun(1))).toThrow(/UNIQUE constraint failed: runs.uuid/);
      expect(store.listRuns().map((r) => [r.seq, r.reportId])).toEqual([[1, 'TP-test-1'], [2, 'TP-test-1']]);
      // One copy of the input for both runs.
      expect(store.db.prepare('SELECT count(*) FROM blobs').pluck().get()).toBe(1);
    } finally {
      store.close();
    }
  });

  it('refuses to change or delete anything a run recorded', async () => {
    const path = await tempStorePath();
    const store = open(path);
    try {
      store.recordRun(syntheticRun(1));
      for (const sql of ["UPDATE runs SET report_id = 'x'", 'DELETE FROM runs', "UPDATE findings SET status = 'pass'", 'DELETE FROM observations', 'DELETE FROM blobs', "UPDATE run_inputs SET file = 'y'"]) {
        expect(() => store.db.exec(sql), sql).toThrow(/append-only/);
      }
    } finally {
      store.close();
    }
  });

  it('stores nothing of a run that fails half way (one transaction)', async () => {
    const path = await tempStorePath();
    const store = open(path);
    try {
      store.recordRun(syntheticRun(1));
      const counts = () => ['runs', 'run_inputs', 'observations', 'findings', 'certificates', 'blobs', 'endpoints'].map((t) => store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
      const before = counts();
      const other = syntheticRun(2, { endpoints: 5, input: 'another input\n' });
      expect(() => store.recordRun(other, { onStage: (s) => { if (s === 'findings') throw new Error('disk full (simulated)'); } })).toThrow(/disk full/);
      expect(counts()).toEqual(before);
      expect(store.recordRun(other).seq).toBe(2); // the failed run left no trace, not even its number
    } finally {
      store.close();
    }
  });

  it('refuses an input that changed since the report read it, storing nothing', async () => {
    const path = await tempStorePath();
    const store = open(path);
    try {
      const r = syntheticRun(1);
      const changed = { ...r, inputs: [{ ...r.inputs[0]!, content: Buffer.from('edited after reading\n') }] };
      expect(storeError(() => store.recordRun(changed))).toMatchObject({ code: 'input-changed', message: expect.stringMatching(/scan\.csv.*changed while tlsproof was reading it/) });
      expect(store.listRuns()).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('export', () => {
  it('writes everything as JSON lines, inputs included', async () => {
    const path = await tempStorePath();
    const store = open(path);
    const lines: string[] = [];
    try {
      const r = syntheticRun(1);
      store.recordRun(r);
      store.recordRun(syntheticRun(2, { fixed: true }));
      expect(store.exportJsonLines((l) => lines.push(l))).toBe(lines.length);
    } finally {
      store.close();
    }
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const records = lines.map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
    const count = (t: string) => records.filter((r) => r.type === t).length;
    expect(records[0]).toMatchObject({ type: 'store', application: 'tlsproof-evidence-store', format: MIGRATIONS.length });
    expect([count('run'), count('input'), count('blob'), count('endpoint'), count('observation'), count('finding'), count('certificate'), count('problem'), count('control')])
      .toEqual([2, 2, 2, 3, 6, 3, 6, 2, 2]);
    const blob = records.find((r) => r.type === 'blob' && r['sha256'] === syntheticRun(1).inputs[0]!.sha256)!;
    expect(Buffer.from(blob['contentBase64'] as string, 'base64').equals(Buffer.from(syntheticRun(1).inputs[0]!.content))).toBe(true);
    expect(records.find((r) => r.type === 'observation')).toMatchObject({ run: 1, endpoint: 'mx0.example.test[192.0.2.1]:25', passed: ['proto-sslv3'],
      facts: { protocols: { 'TLSv1.0': { value: true, source: { file: 'scan.csv', line: 2 } } } } });
  });
});

describe('verify', () => {
  it('passes an intact store', async () => {
    const path = await tempStorePath();
    const store = open(path);
    store.recordRun(syntheticRun(1));
    store.recordRun(syntheticRun(2, { fixed: true }));
    store.close();
    const result = verifyStore(path);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result).toMatchObject({ ok: true, format: MIGRATIONS.length, runs: 2, blobs: 2 });
    expect(result.checks.map((c) => c.id)).toEqual(['file', 'integrity', 'application-id', 'format', 'foreign-keys', 'append-only', 'run-counts', 'run-content',
      'chain', 'chain-head', 'unreferenced', 'signatures', 'inputs']);
  });

  it('catches rows changed behind the triggers\' back, and a swapped input', async () => {
    const path = await tempStorePath();
    const store = open(path);
    store.recordRun(syntheticRun(1));
    store.recordRun(syntheticRun(2));
    store.close();
    const db = new Database(path);
    db.exec(`DROP TRIGGER findings_append_only_update; UPDATE findings SET status = 'pass' WHERE run_seq = 2;
      DROP TRIGGER blobs_append_only_update; UPDATE blobs SET data = X'00' WHERE sha256 = (SELECT min(sha256) FROM blobs);`);
    db.close();
    const result = verifyStore(path);
    expect(result.ok).toBe(false);
    const failed = Object.fromEntries(result.checks.filter((c) => !c.ok).map((c) => [c.id, c.detail]));
    expect(Object.keys(failed).sort()).toEqual(['append-only', 'chain', 'inputs', 'run-content']);
    expect(failed['run-content']).toMatch(/^run 2: rows differ from what was recorded/);
    expect(failed['append-only']).toMatch(/findings_append_only_update, blobs_append_only_update/);
    expect(failed['inputs']).toMatch(/cannot decompress/);
  });
});

describe('bad store files', () => {
  it('reports a damaged database instead of crashing, and verify says where', async () => {
    const path = await tempStorePath();
    const store = open(path);
    for (let i = 1; i <= 20; i++) store.recordRun(syntheticRun(i, { endpoints: 20 }));
    store.close();
    // Overwrite a stretch in the middle of the file (pages of the runs' rows) with garbage.
    const size = readFileSync(path).byteLength;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const result = verifyStore(path);
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.id === 'integrity')).toMatchObject({ ok: false });
    let err: unknown;
    try {
      const s = open(path);
      try {
        s.loadHistoryData();
        s.exportJsonLines(() => undefined);
      } finally {
        s.close();
      }
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReportError);
    expect(err).toMatchObject({ code: 'store-corrupt', message: expect.stringMatching(/is damaged [^]*Nothing was written to it[^]*tlsproof store verify/) });
  });

  it('refuses a file that is not SQLite, and leaves it alone', async () => {
    const path = await tempStorePath();
    writeFileSync(path, 'these are my notes, not a database\n');
    expect(storeError(() => open(path))).toMatchObject({ code: 'store-corrupt', message: expect.stringContaining('not an SQLite database at all') });
    expect(readFileSync(path, 'utf8')).toBe('these are my notes, not a database\n');
    expect(verifyStore(path)).toMatchObject({ ok: false, checks: [{ id: 'file', ok: false }] });
  });

  it('refuses another application\'s SQLite database unchanged', async () => {
    const path = await tempStorePath();
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = sha256File(path);
    expect(storeError(() => open(path))).toMatchObject({ code: 'store-foreign' });
    expect(sha256File(path)).toBe(before);
  });

  it('refuses a store from a newer tlsproof with a clear message and never rewrites it', async () => {
    const path = await tempStorePath();
    const newer = EvidenceStore.open(path, {
      toolVersion: '9.0.0', mode: 'write',
      migrations: [...MIGRATIONS, { version: MIGRATIONS.length + 1, description: 'future', up: (d) => d.exec('CREATE TABLE future_things (x TEXT)') }],
    });
    newer.recordRun(syntheticRun(1));
    newer.close();
    const before = sha256File(path);
    const err = storeError(() => open(path));
    expect(err.code).toBe('store-newer');
    expect(err.message).toContain(`written by a newer tlsproof (tlsproof 9.0.0): it is in store format ${MIGRATIONS.length + 1}`);
    expect(err.message).toContain('It was not changed');
    expect(storeError(() => open(path, 'read')).code).toBe('store-newer');
    expect(verifyStore(path).checks.find((c) => c.id === 'format')).toMatchObject({ ok: false, detail: expect.stringContaining('newer tlsproof') });
    expect(sha256File(path)).toBe(before);
  });

  it('says where to look when there is no store to read', async () => {
    const path = await tempStorePath();
    expect(storeError(() => open(path, 'read'))).toMatchObject({ code: 'store-not-found', message: expect.stringContaining('--store PATH') });
  });
});
