/**
 * A report opens the evidence store twice (compare, then record, with its outputs written in
 * between). SQLite's quick check reads every page of the store, so the second opening skips it
 * when this process checked the very same file and nothing has changed it since; a file changed
 * in between (here: damaged in place, its size kept) is checked again and refused, and the run is
 * not recorded. Through the real pipeline (runReport), counting the quick checks SQLite is asked for.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runReport, type ReportRequest } from '../../src/pipeline.js';
import { EvidenceStore } from '../../src/store/store.js';
import { tempDir } from '../cli/commands/history-support.js';
import { ROOT, tempStorePath } from '../history/support.js';
import { syntheticRun } from './support.js';

const INPUT = 'test/fixtures/testssl/smtp-good.csv';
const AT = '2026-10-01T09:00:00.000Z';

function request(outDir: string, store: string, beforeStep?: () => void): ReportRequest {
  return {
    inputs: [INPUT], formats: ['json'], outDir, strict: false, generatedAt: AT, observedAt: '2026-09-30T09:00:00Z', cwd: ROOT,
    toolVersion: '0.1.0-test', scan: false, store: { path: store, command: ['report'], recordedAt: AT },
    ...(beforeStep ? { outputHooks: { beforeStep } } : {}),
  };
}

/** A store of 20 synthetic runs: big enough that a stretch in its middle holds only old rows. */
async function storeWithRuns(): Promise<string> {
  const path = await tempStorePath();
  const es = EvidenceStore.open(path, { toolVersion: 'test', mode: 'write' });
  for (let i = 1; i <= 20; i++) es.recordRun(syntheticRun(i, { endpoints: 20 }));
  es.close();
  return path;
}

function countQuickChecks(): { readonly count: () => number } {
  const pragma = vi.spyOn(Database.prototype, 'pragma');
  return { count: () => pragma.mock.calls.filter(([source]) => String(source).startsWith('quick_check')).length };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a report checks its evidence store once', () => {
  it('compares and records with one quick check when the store is unchanged in between', async () => {
    const store = await storeWithRuns();
    const checks = countQuickChecks();
    const outcome = await runReport(request(await tempDir(), store));
    expect(outcome.runSeq).toBe(21);
    expect(checks.count()).toBe(1);
  });

  it('checks again, and refuses to record, when the store was damaged between compare and record', async () => {
    const store = await storeWithRuns();
    const checks = countQuickChecks();
    let damaged = false;
    const damage = () => {
      if (damaged) return;
      damaged = true;
      // Garbage over pages in the middle of the file (old runs' rows), the size kept.
      const size = statSync(store).size;
      const fd = openSync(store, 'r+');
      writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
    };
    await expect(runReport(request(await tempDir(), store, damage))).rejects.toMatchObject({ code: 'store-corrupt' });
    expect(damaged).toBe(true);
    expect(checks.count()).toBe(2);
  });
});
