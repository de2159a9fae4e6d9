/**
 * Two tlsproof processes recording into the same store at once — both creating it, both writing
 * runs in a loop — end with every run of both, numbered without gaps or duplicates, and a store
 * that verifies.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/store/store.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { verifyStore } from '../../src/store/verify.js';
import { tempStorePath } from '../history/support.js';
import { startChild } from './child/spawn.js';

describe('two processes at once', () => {
  it('do not corrupt the store or lose a run', async () => {
    const path = await tempStorePath(); // does not exist yet: both children race to create it
    const RUNS = 15;
    const go = `${path}.go`;
    const a = startChild(['synthetic', path, 'A', String(RUNS), go]);
    const b = startChild(['synthetic', path, 'B', String(RUNS), go]);
    await Promise.all([a.waitFor(/^READY A$/), b.waitFor(/^READY B$/)]);
    writeFileSync(go, '');
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect(ea, ea.stderr).toMatchObject({ code: 0 });
    expect(eb, eb.stderr).toMatchObject({ code: 0 });

    const store = EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'read' });
    try {
      const runs = store.listRuns();
      expect(runs.map((r) => r.seq)).toEqual(Array.from({ length: 2 * RUNS }, (_, i) => i + 1));
      expect(runs.filter((r) => r.uuid.startsWith('A-')).length).toBe(RUNS);
      expect(runs.filter((r) => r.uuid.startsWith('B-')).length).toBe(RUNS);
      // They really wrote at the same time: the run numbers interleave.
      const switches = runs.slice(1).filter((r, i) => r.uuid[0] !== runs[i]!.uuid[0]).length;
      expect(switches).toBeGreaterThan(1);
      // Each run is whole: its 40 endpoints and their findings.
      expect(runs.every((r) => r.endpoints === 40 && r.findings === 80)).toBe(true);
      expect(store.db.prepare('SELECT count(*) FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
    } finally {
      store.close();
    }
    const result = verifyStore(path);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  }, 60_000);
});
