/**
 * Schema migrations, from every earlier store format: each `test/fixtures/history/store-v<N>.sql`
 * is a store made by the release that introduced format N (as SQL text), opened here by the
 * current code. Also: a new (v0) store, and the mechanism itself with a synthetic next format — applied once,
 * recorded, and rolled back whole when it fails.
 *
 * UPDATE_HISTORY_FIXTURES=1 writes the fixture for the CURRENT format only (from the history
 * fixture sequence); fixtures of earlier formats are frozen.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { EvidenceStore } from '../../src/store/store.js';
import { MIGRATIONS, STORE_FORMAT, type Migration } from '../../src/store/schema.js';
import { ReportError } from '../../src/errors.js';
import { verifyStore } from '../../src/store/verify.js';
import { ROOT, recordSequence, tempStorePath } from '../history/support.js';
import { dumpSql, loadSql } from './support.js';

const FIXTURES = join(ROOT, 'test/fixtures/history');
const fixtureFor = (v: number) => join(FIXTURES, `store-v${v}.sql`);
const open = (path: string, migrations?: readonly Migration[]) =>
  EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'write', now: () => new Date('2027-06-01T00:00:00Z'), ...(migrations ? { migrations } : {}) });

beforeAll(async () => {
  if (process.env['UPDATE_HISTORY_FIXTURES'] === '1') {
    const path = await tempStorePath();
    await recordSequence(path, 2);
    writeFileSync(fixtureFor(STORE_FORMAT), dumpSql(path));
  }
});

async function fromFixture(version: number): Promise<string> {
  const path = await tempStorePath();
  loadSql(path, readFileSync(fixtureFor(version), 'utf8'));
  return path;
}

describe('from every earlier store format', () => {
  const versions = readdirSync(FIXTURES).map((f) => /^store-v(\d+)\.sql$/.exec(f)?.[1]).filter((v) => v !== undefined).map(Number).sort((a, b) => a - b);

  it('has a fixture for every released format', () => {
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it.each(versions)('opens a format-%i store, upgrades it and keeps every run intact', async (v) => {
    const path = await fromFixture(v);
    const runsBefore = (new Database(path, { readonly: true }).prepare('SELECT count(*) FROM runs').pluck().get()) as number;
    expect(runsBefore).toBeGreaterThan(0);
    const store = open(path);
    try {
      expect(store.format()).toBe(STORE_FORMAT);
      expect(store.db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(store.listRuns()).toHaveLength(runsBefore);
      expect(store.loadHistoryData().timelines.length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
    expect(verifyStore(path).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('creates the current format where there is no file yet (format 0)', async () => {
    const path = await tempStorePath();
    const store = open(path);
    expect(store.format()).toBe(STORE_FORMAT);
    expect(store.db.pragma('application_id', { simple: true })).toBe(0x544c5350);
    store.close();
    expect(verifyStore(path).ok).toBe(true);
  });

  it('never treats an empty file as a new store: it may be a store truncated to nothing', async () => {
    const path = await tempStorePath();
    writeFileSync(path, '');
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'store-corrupt', message: expect.stringContaining('empty file (0 bytes)') }));
    expect(readFileSync(path).byteLength).toBe(0);
  });

  it('upgrades the format-1 fixture to a chain that verify checks: each run linked to the one before', async () => {
    const path = await fromFixture(1);
    open(path).close();
    const db = new Database(path, { readonly: true });
    const links = db.prepare('SELECT r.seq, c.prev_sha256, c.chain_sha256 FROM runs r JOIN run_chain c ON c.run_seq = r.seq ORDER BY r.seq').all() as { seq: number; prev_sha256: string | null; chain_sha256: string }[];
    db.close();
    expect(links.map((l) => l.seq)).toEqual([1, 2]);
    expect(links[0]!.prev_sha256).toBeNull();
    expect(links[1]!.prev_sha256).toBe(links[0]!.chain_sha256);
    expect(verifyStore(path, { expectHead: { seq: 2, sha256: links[1]!.chain_sha256 } }).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('the migration mechanism (a synthetic next format)', () => {
  const v2 = (calls: { n: number }, fail = false): Migration => ({
    version: STORE_FORMAT + 1,
    description: 'runs get a reviewer note; per-run open counts',
    up(db) {
      calls.n++;
      db.exec(`CREATE TABLE run_open_counts (run_seq INTEGER PRIMARY KEY REFERENCES runs(seq), open INTEGER NOT NULL) STRICT;
        INSERT INTO run_open_counts SELECT seq, (SELECT count(*) FROM findings f WHERE f.run_seq = seq AND f.status IN ('fail', 'warn')) FROM runs;
        ALTER TABLE runs ADD COLUMN reviewer_note TEXT;`);
      if (fail) throw new Error('simulated failure half way through');
    },
  });

  it('applies a new migration once, records it, and keeps the data', async () => {
    const path = await fromFixture(STORE_FORMAT);
    const calls = { n: 0 };
    const migrations = [...MIGRATIONS, v2(calls)];
    const store = open(path, migrations);
    try {
      expect(store.format()).toBe(STORE_FORMAT + 1);
      expect(store.db.prepare('SELECT version, applied_at, tool_version FROM schema_version WHERE version = ?').get(STORE_FORMAT + 1))
        .toEqual({ version: STORE_FORMAT + 1, applied_at: '2027-06-01T00:00:00.000Z', tool_version: '0.1.0-test' });
      const open_ = store.db.prepare('SELECT open FROM run_open_counts ORDER BY run_seq').pluck().all();
      expect(open_).toEqual(store.listRuns().map((r) => store.runDetail(r.seq).openFindings.length));
    } finally {
      store.close();
    }
    open(path, migrations).close();
    expect(calls.n).toBe(1);
  });

  it('rolls a failed migration back whole: the store stays at its format and usable', async () => {
    const path = await fromFixture(STORE_FORMAT);
    let err: unknown;
    try {
      open(path, [...MIGRATIONS, v2({ n: 0 }, true)]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReportError);
    expect(err).toMatchObject({ code: 'migration-failed', message: expect.stringContaining(`left unchanged at format ${STORE_FORMAT}`) });
    const store = open(path);
    try {
      expect(store.format()).toBe(STORE_FORMAT);
      expect(store.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'run_open_counts'").pluck().get()).toBe(0);
      expect(store.db.prepare("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'reviewer_note'").pluck().get()).toBe(0);
      expect(store.listRuns().length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it('keeps the fixture of the current format in step with the schema', () => {
    // A schema change without a new migration would make this fixture differ from a fresh store's schema.
    expect(existsSync(fixtureFor(STORE_FORMAT))).toBe(true);
    const fixtureSchema = readFileSync(fixtureFor(STORE_FORMAT), 'utf8').split('\n').filter((l) => /^CREATE /.test(l)).length;
    expect(fixtureSchema).toBeGreaterThan(10);
  });
});
