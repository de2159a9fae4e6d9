/**
 * Tampering with a store behind tlsproof's back, with real SQLite edits (better-sqlite3), and what
 * `store verify` makes of each: an edited endpoint host, a deleted last run (three ways, from
 * clumsy to thorough), and a finding's status changed with its content hash recomputed — then
 * with every later hash recomputed too, which only a copy of the chain head held elsewhere
 * catches. Recording refuses a store whose last run was cut off, leaving it byte-identical.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { EvidenceStore } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { chainHash } from '../../src/store/chain.js';
import { runContentHash } from '../../src/store/content-hash.js';
import { tempStorePath } from '../history/support.js';
import { sha256File, syntheticRun } from './support.js';

const open = (path: string) => EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'write' });

/** A store of three runs (run 3 with an input no other run has); returns its path and chain head. */
async function threeRuns(): Promise<{ path: string; head: { seq: number; sha256: string }; run2: { seq: number; sha256: string } }> {
  const path = await tempStorePath();
  const store = open(path);
  store.recordRun(syntheticRun(1));
  const run2 = store.recordRun(syntheticRun(2)).chain;
  const head = store.recordRun(syntheticRun(3, { fixed: true })).chain;
  store.close();
  expect(verifyStore(path).ok).toBe(true);
  return { path, head, run2 };
}

/** Runs SQL on the store the way an editor would: the append-only triggers dropped first. */
function edit(path: string, sql: string | ((db: Database.Database) => void)): void {
  const db = new Database(path);
  try {
    for (const t of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
    if (typeof sql === 'string') db.exec(sql);
    else sql(db);
  } finally {
    db.close();
  }
}

const failed = (path: string, expectHead?: { seq: number; sha256: string }) =>
  Object.fromEntries(verifyStore(path, { expectHead }).checks.filter((c) => !c.ok).map((c) => [c.id, c.detail]));

const DELETE_RUN_3 = `DELETE FROM findings WHERE run_seq = 3; DELETE FROM certificates WHERE run_seq = 3; DELETE FROM observations WHERE run_seq = 3;
  DELETE FROM run_inputs WHERE run_seq = 3; DELETE FROM problems WHERE run_seq = 3; DELETE FROM control_results WHERE run_seq = 3;
  DELETE FROM run_chain WHERE run_seq = 3; DELETE FROM runs WHERE seq = 3;`;

describe('store verify against a tampered store', () => {
  it('the append-only triggers refuse the plain edits', async () => {
    const { path } = await threeRuns();
    const db = new Database(path);
    expect(() => db.exec("UPDATE endpoints SET host = 'evil.example' WHERE id = 1")).toThrow(/endpoints is append-only/);
    expect(() => db.exec('DELETE FROM run_chain WHERE run_seq = 3')).toThrow(/run_chain is append-only/);
    db.close();
  });

  it('catches an edited endpoint host: every run that observed it no longer gives its chain hash', async () => {
    const { path } = await threeRuns();
    edit(path, "UPDATE endpoints SET host = 'mx0.attacker.test' WHERE key = 'mx0.example.test[192.0.2.1]:25'");
    const f = failed(path);
    expect(Object.keys(f).sort()).toEqual(['append-only', 'chain']);
    expect(f['chain']).toMatch(/^run 1: its rows no longer give its chain hash.*run 2: its rows no longer give its chain hash.*run 3: its rows no longer give its chain hash/);
  });

  it('catches a deleted last run while SQLite\'s run counter still counts it', async () => {
    const { path, head } = await threeRuns();
    edit(path, DELETE_RUN_3);
    const f = failed(path);
    expect(f['chain-head']).toMatch(/SQLite handed out run numbers up to 3, but the last run is 2: run 3 was deleted/);
    expect(f['unreferenced']).toMatch(/1 stored input no run refers to/);
    expect(f['chain']).toBeUndefined(); // runs 1 and 2 are intact: the cut is at the end
    expect(failed(path, head)['expected-head']).toBe('Run 3, whose hash you hold, is not in the store: it or runs before it were deleted.');
  });

  it('catches a deleted last run with the counter reset, by the store\'s note of the head and what the run left behind', async () => {
    const { path } = await threeRuns();
    edit(path, `${DELETE_RUN_3} UPDATE sqlite_sequence SET seq = 2 WHERE name = 'runs';`);
    const f = failed(path);
    expect(f['chain-head']).toMatch(/the store's note of the chain head says run 3 .* the last run is 2/);
    expect(f['unreferenced']).toMatch(/1 stored input no run refers to .*left behind by a deleted run/);
  });

  it('cannot see a deleted last run when the counter, the note and the leftovers are all fixed: only a held head catches it', async () => {
    const { path, head, run2 } = await threeRuns();
    edit(path, `${DELETE_RUN_3} UPDATE sqlite_sequence SET seq = 2 WHERE name = 'runs';
      UPDATE store_meta SET value = '2 ${run2.sha256}' WHERE key = 'chain_head';
      DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM run_inputs);`);
    const result = verifyStore(path);
    // The stated limit, as verify states it: from the file alone this store looks intact…
    expect(result.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['append-only']);
    expect(result.limits.join(' ')).toContain('Only a copy of the chain head kept elsewhere catches that');
    // …and the head a report printed does not let it pass.
    expect(failed(path, head)['expected-head']).toMatch(/^Run 3, whose hash you hold, is not in the store/);
    expect(failed(path, run2)['expected-head']).toBeUndefined();
  });

  it('catches a finding whose status was changed and its content hash recomputed, by the chain', async () => {
    const { path } = await threeRuns();
    edit(path, (db) => {
      db.exec("UPDATE findings SET status = 'pass' WHERE run_seq = 2");
      db.prepare('UPDATE runs SET content_sha256 = ? WHERE seq = 2').run(recomputedContentHash(db, 2));
    });
    const f = failed(path);
    expect(f['run-content']).toBeUndefined(); // the recomputed format-1 hash agrees…
    expect(f['chain']).toMatch(/^run 2: its rows no longer give its chain hash/); // …the chain does not
  });

  it('cannot see it when every later chain hash is recomputed too: a held head catches it', async () => {
    const { path, head } = await threeRuns();
    edit(path, (db) => {
      db.exec("UPDATE findings SET status = 'pass' WHERE run_seq = 2");
      db.prepare('UPDATE runs SET content_sha256 = ? WHERE seq = 2').run(recomputedContentHash(db, 2));
      let prev = db.prepare('SELECT chain_sha256 FROM run_chain WHERE run_seq = 1').pluck().get() as string;
      for (const seq of [2, 3]) {
        const sha = chainHash(db, seq, prev)!;
        db.prepare('UPDATE run_chain SET prev_sha256 = ?, chain_sha256 = ? WHERE run_seq = ?').run(prev, sha, seq);
        prev = sha;
      }
      db.prepare("UPDATE store_meta SET value = ? WHERE key = 'chain_head'").run(`3 ${prev}`);
    });
    expect(Object.keys(failed(path))).toEqual(['append-only']);
    expect(failed(path, head)['expected-head']).toMatch(/^Run 3's chain hash is [0-9a-f]{16}…, not the [0-9a-f]{16}… you hold: the store was rewritten/);
  });

  it('refuses to record onto a store whose last run was deleted, and leaves it byte-identical', async () => {
    const { path } = await threeRuns();
    edit(path, DELETE_RUN_3);
    const before = sha256File(path);
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'store-corrupt', message: expect.stringMatching(/was altered: SQLite handed out run numbers up to 3.*Nothing was written to it.*tlsproof store verify/) }));
    expect(sha256File(path)).toBe(before);
  });
});

/** The format-1 content hash of a run, from its rows as they now are (what an editor would recompute). */
function recomputedContentHash(db: Database.Database, seq: number): string {
  type Row = Record<string, unknown>;
  const r = db.prepare('SELECT * FROM runs WHERE seq = ?').get(seq) as Row;
  const rows = (sql: string) => db.prepare(sql).all(seq) as Row[];
  return runContentHash({
    run: ['uuid', 'recorded_at', 'tool_version', 'command', 'request', 'report_id', 'period_id', 'period_label', 'period_start', 'period_end',
      'report_date', 'generated_at', 'observed_from', 'observed_to', 'input_count', 'endpoint_count', 'finding_count', 'problem_count', 'summary', 'model_sha256'].map((k) => r[k]),
    inputs: rows('SELECT * FROM run_inputs WHERE run_seq = ?').map((i) => [i['ord'], i['file'], i['kind'], i['sha256'], i['bytes'], i['records'], i['problems'], i['observed_at'], i['observed_at_source']]),
    observations: rows('SELECT o.*, e.key FROM observations o JOIN endpoints e ON e.id = o.endpoint_id WHERE o.run_seq = ?')
      .map((o) => [o['key'], o['observed_at'], o['observed_at_source'], o['tool'], o['scan_state'], o['frameworks'], o['passed'], o['facts']]),
    findings: rows('SELECT f.*, e.key FROM findings f JOIN endpoints e ON e.id = f.endpoint_id WHERE f.run_seq = ?')
      .map((f) => [f['key'], f['local_id'], f['check_id'], f['status'], f['severity'], f['message_id'], f['message'], f['data'], f['evidence']]),
    certificates: rows('SELECT c.*, e.key FROM certificates c JOIN endpoints e ON e.id = c.endpoint_id WHERE c.run_seq = ?')
      .map((c) => [c['key'], c['idx'], c['common_name'], c['issuer'], c['serial'], c['fingerprint_sha256'], c['not_before'], c['not_after']]),
    problems: rows('SELECT * FROM problems WHERE run_seq = ?').map((p) => [p['ord'], p['file'], p['line'], p['col'], p['code'], p['message'], p['effect']]),
    controls: rows('SELECT * FROM control_results WHERE run_seq = ?').map((c) => [c['framework_id'], c['framework_version'], c['control_id'], c['status']]),
  });
}
