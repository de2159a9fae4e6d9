/**
 * Killing tlsproof in the middle of recording a run leaves the store exactly as it was: a real
 * child process runs the import code, pauses inside its write transaction (after every row is
 * written, before COMMIT, with pages already spilled to the WAL), and is killed with SIGKILL.
 */
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { tempStorePath } from '../history/support.js';
import { sha256File, syntheticRun } from './support.js';
import { startChild } from './child/spawn.js';

function exported(path: string): string[] {
  const store = EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'read' });
  const lines: string[] = [];
  try {
    store.exportJsonLines((l) => lines.push(l));
  } finally {
    store.close();
  }
  return lines;
}

describe('crash during an import', () => {
  it('leaves the previous state intact when the process is killed inside the transaction', async () => {
    const path = await tempStorePath();
    const setup = EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'write' });
    setup.recordRun(syntheticRun(1));
    setup.recordRun(syntheticRun(2, { fixed: true }));
    setup.close();
    const before = exported(path);
    const fileBefore = sha256File(path);

    const child = startChild(['sequence', path, '2'], { TLSPROOF_TEST_PAUSE_AT: 'before-commit' });
    await child.waitFor(/^PAUSED before-commit$/);
    // The child is inside its transaction with uncommitted pages in the write-ahead log.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');

    // SQLite recovery drops the uncommitted frames: same runs, same rows, and verify agrees.
    expect(exported(path)).toEqual(before);
    const result = verifyStore(path);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.runs).toBe(2);
    expect(sha256File(path)).toBe(fileBefore);

    // The lock died with the process: the next run records normally.
    const store = EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'write', busyTimeoutMs: 2_000 });
    try {
      store.recordRun(syntheticRun(3));
      expect(store.listRuns().map((r) => r.seq)).toEqual([1, 2, 3]);
    } finally {
      store.close();
    }
    expect(verifyStore(path).ok).toBe(true);
  }, 60_000);
});
