/**
 * Two tlsproof processes recording into the same store at once — both creating it, then each
 * starting a run while the other holds its write transaction open — end with every run of both,
 * numbered without gaps or duplicates, in the order the locks decided, and a store that verifies.
 *
 * The interleaving is driven, not hoped for: each child announces the stages of recordRun
 * (RecordHooks) and waits inside its transaction until told to commit, so the same schedule runs on
 * an idle machine and on a loaded CI runner, with no clock in the test.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/store/store.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { verifyStore } from '../../src/store/verify.js';
import { tempStorePath } from '../history/support.js';
import { startChild, type Child } from './child/spawn.js';

describe('two processes at once', () => {
  it('do not corrupt the store or lose a run', async () => {
    const path = await tempStorePath(); // does not exist yet: both children race to create it
    const signals = await mkdtemp(join(tmpdir(), 'tlsproof-lockstep-'));
    const signal = (name: string) => writeFileSync(join(signals, name), '');
    const RUNS = 6;
    const children: Record<'A' | 'B', Child> = {
      A: startChild(['lockstep', path, 'A', String(RUNS), signals]),
      B: startChild(['lockstep', path, 'B', String(RUNS), signals]),
    };
    try {
      await Promise.all([children.A.waitFor(/^READY A$/), children.B.waitFor(/^READY B$/)]);
      signal('go');
      await Promise.all([children.A.waitFor(/^OPENED A$/), children.B.waitFor(/^OPENED B$/)]);

      const expected: string[] = [];
      for (let n = 1; n <= RUNS; n++) {
        // Each process takes both parts in turn: the one holding the lock, and the one that waits.
        const [first, second] = n % 2 === 1 ? (['A', 'B'] as const) : (['B', 'A'] as const);
        signal(`${first}-${n}`);
        await children[first].waitFor(new RegExp(`^HOLDING ${first} ${n}$`));
        signal(`${second}-${n}`);
        signal(`${second}-${n}-commit`);
        // The second has opened the store and is about to write while the first holds the write lock.
        await children[second].waitFor(new RegExp(`^PREPARED ${second} ${n}$`));
        signal(`${first}-${n}-commit`);
        await Promise.all([children[first].waitFor(new RegExp(`^RECORDED ${first} ${n}$`)), children[second].waitFor(new RegExp(`^RECORDED ${second} ${n}$`))]);
        expected.push(`${first}-${String(n).padStart(4, '0')}`, `${second}-${String(n).padStart(4, '0')}`);
      }
      const [ea, eb] = await Promise.all([children.A.exited, children.B.exited]);
      expect(ea, ea.stderr).toMatchObject({ code: 0 });
      expect(eb, eb.stderr).toMatchObject({ code: 0 });

      const store = EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'read' });
      try {
        const runs = store.listRuns();
        expect(runs.map((r) => r.seq)).toEqual(Array.from({ length: 2 * RUNS }, (_, i) => i + 1));
        // The run that held the lock is numbered first, the one that waited for it next.
        expect(runs.map((r) => r.uuid)).toEqual(expected);
        // Each run is whole: its 40 endpoints and their findings.
        expect(runs.every((r) => r.endpoints === 40 && r.findings === 80)).toBe(true);
        expect(store.db.prepare('SELECT count(*) FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
      } finally {
        store.close();
      }
      const result = verifyStore(path);
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      for (const c of Object.values(children)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
      await rm(signals, { recursive: true, force: true });
    }
  }, 60_000);
});
