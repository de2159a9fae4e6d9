/**
 * What the child processes of the crash and concurrency tests run: the real import code (pipeline
 * → buildRunRecord → EvidenceStore.recordRun). TLSPROOF_TEST_PAUSE_AT=<stage> makes the recording
 * announce "PAUSED <stage>" and block inside its transaction, so the parent can kill it there.
 */
import { existsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../../../src/pipeline.js';
import { buildRunRecord } from '../../../src/store/record.js';
import { EvidenceStore } from '../../../src/store/store.js';
import type { RecordStage } from '../../../src/store/types.js';
import { SEQUENCE, requestFor, ROOT } from '../../history/support.js';
import { syntheticRun } from '../support.js';

function pauseHook(): ((stage: RecordStage) => void) | undefined {
  const at = process.env['TLSPROOF_TEST_PAUSE_AT'];
  if (!at) return undefined;
  return (stage) => {
    if (stage !== at) return;
    writeSync(1, `PAUSED ${stage}\n`);
    // Block the thread (and with it the open write transaction) until killed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  };
}

/** Blocks until `file` exists: the parent's signal (the child has no stdin). */
function waitForFile(file: string): void {
  while (!existsSync(file)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

/**
 * `sequence <store> <index>...` records fixture runs; `lockstep <store> <tag> <count> <dir>`
 * records small runs when the parent says so (file `<dir>/<tag>-<n>`), announcing `PREPARED <tag> <n>` before its transaction
 * and `HOLDING <tag> <n>` inside it, where it waits for `<dir>/<tag>-<n>-commit`.
 */
export async function main(args: string[]): Promise<number> {
  const [mode, path, ...rest] = args;
  if (!path) throw new Error('usage: sequence|lockstep <store> ...');
  const hook = pauseHook();
  if (mode === 'sequence') {
    for (const i of rest.map(Number)) {
      const req = requestFor(SEQUENCE[i]!, undefined, i);
      const built = await buildModel(req);
      const record = await buildRunRecord({
        toolVersion: req.toolVersion, cwd: ROOT, period: built.period, periodOptions: {}, model: built.model, files: built.files,
        observations: built.observations, findings: built.findings, problems: built.problems, frameworks: [],
        request: { inputs: req.inputs, domains: null, organisation: null, title: null, period: req.period ?? null, frameworks: null, reportDate: built.model.report.reportDate,
          generatedAt: req.generatedAt, observedAt: req.observedAt ?? null, mappingsDirs: [], fiscalYearStartMonth: null },
      }, { command: ['report'], recordedAt: req.generatedAt, newId: () => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}` });
      const store = EvidenceStore.open(path, { toolVersion: '0.1.0-child', mode: 'write' });
      try {
        // A small page cache makes SQLite spill the transaction's pages into the WAL before commit.
        store.db.pragma('cache_size = 8');
        store.recordRun(record, hook ? { onStage: hook } : {});
      } finally {
        store.close();
      }
      writeSync(1, `RECORDED ${i}\n`);
    }
    return 0;
  }
  if (mode === 'lockstep') {
    const [tag, count, dir] = rest;
    if (!tag || !count || !dir) throw new Error('usage: lockstep <store> <tag> <count> <dir>');
    writeSync(1, `READY ${tag}\n`);
    waitForFile(join(dir, 'go'));
    // Both children race on creating the store.
    EvidenceStore.open(path, { toolVersion: '0.1.0-child', mode: 'write', busyTimeoutMs: 30_000 }).close();
    writeSync(1, `OPENED ${tag}\n`);
    for (let n = 1; n <= Number(count); n++) {
      waitForFile(join(dir, `${tag}-${n}`));
      const store = EvidenceStore.open(path, { toolVersion: '0.1.0-child', mode: 'write', busyTimeoutMs: 30_000 });
      try {
        const r = syntheticRun(n, { endpoints: 40, input: `${tag} run ${n}\n` });
        store.recordRun({ ...r, uuid: `${tag}-${String(n).padStart(4, '0')}`, reportId: `TP-${tag}-${n}` }, {
          onStage: (stage) => {
            if (stage === 'prepared') writeSync(1, `PREPARED ${tag} ${n}\n`);
            if (stage === 'before-commit') {
              writeSync(1, `HOLDING ${tag} ${n}\n`);
              waitForFile(join(dir, `${tag}-${n}-commit`));
            }
          },
        });
      } finally {
        store.close();
      }
      writeSync(1, `RECORDED ${tag} ${n}\n`);
    }
    return 0;
  }
  throw new Error(`unknown mode ${mode}`);
}
