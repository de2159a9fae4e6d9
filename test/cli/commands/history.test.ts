/**
 * `tlsproof report` recording into the evidence store, and `tlsproof history [show RUN]`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportModelSchema } from '../../../src/model/report-model.js';
import { EvidenceStore } from '../../../src/store/store.js';
import { MIGRATIONS } from '../../../src/store/schema.js';
import { SEQUENCE } from '../../history/support.js';
import { syntheticRun } from '../../store/support.js';
import { cli, recordViaCli, reportArgs, tempDir, type CliResult } from './history-support.js';

let store: string;
let fourth: CliResult;
let fourthOut: string;

beforeAll(async () => {
  store = join(await tempDir(), 'evidence.db');
  await recordViaCli(store, 3);
  fourthOut = await tempDir();
  fourth = await cli(reportArgs(3, store, fourthOut).filter((a) => a !== '--quiet'), { now: SEQUENCE[3]!.observedAt });
});

describe('tlsproof report with the evidence store', () => {
  it('records the run and prints how the period compares with the previous one', async () => {
    const r = fourth;
    const out = fourthOut;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Recorded as run 4 in ${store}; Q2 2027 against Q1 2027: 9 new, 0 resolved, 3 regressed, 5 persisting, 2 overdue (tlsproof diff 2027-Q2 for details).`);
    const model = ReportModelSchema.parse(JSON.parse(readFileSync(join(out, 'tlsproof-Q2-2027.json'), 'utf8')));
    expect(model.history?.regressed.map((f) => f.checkId).sort()).toEqual(['proto-tls10', 'proto-tls11', 'vuln-beast']);
  });

  it('records nothing with --no-store, and refuses --store with it', async () => {
    const dir = await tempDir();
    const input = join(process.cwd(), SEQUENCE[0]!.inputs[0]!);
    const r = await cli(['report', input, '--format', 'json', '--out', join(dir, 'out'), '--no-store', '--observed-at', '2026-11-28T19:20:00Z'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Recorded');
    expect(readdirSync(dir)).toEqual(['out']);
    const both = await cli(['report', SEQUENCE[0]!.inputs[0]!, '--no-store', '--store', join(dir, 'x.db'), '--format', 'json', '--out', join(dir, 'o2')]);
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('--store and --no-store contradict each other') });
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });

  it('uses .tlsproof/evidence.db in the working folder by default', async () => {
    const dir = await tempDir();
    const input = join(process.cwd(), SEQUENCE[0]!.inputs[0]!);
    const r = await cli(['report', input, '--format', 'json', '--out', join(dir, 'out'), '--observed-at', '2026-11-28T19:20:00Z'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Recorded as run 1 in ${join(dir, '.tlsproof/evidence.db')}.`);
  });

  it('refuses a store from a newer tlsproof and writes no report', async () => {
    const dir = await tempDir();
    const path = join(dir, 'newer.db');
    const newer = EvidenceStore.open(path, { toolVersion: '9.0.0', mode: 'write', migrations: [...MIGRATIONS, { version: MIGRATIONS.length + 1, description: 'future', up: () => undefined }] });
    newer.recordRun(syntheticRun(1));
    newer.close();
    const r = await cli(reportArgs(0, path, join(dir, 'out')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tlsproof: The evidence store ".*newer\.db" was written by a newer tlsproof \(tlsproof 9\.0\.0\).*It was not changed\. Upgrade tlsproof to use it, or give --store another path\.\n$/);
    expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
  });
});

describe('tlsproof history', () => {
  it('lists the runs with their periods and what they found', async () => {
    const r = await cli(['history', '--store', store]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Evidence store ${store} (format ${MIGRATIONS.length}): 4 runs`);
    expect(lines[1]).toMatch(/^Run\s+Recorded \(UTC\)\s+By\s+Period\s+Observed \(UTC\)\s+Endpoints\s+Open\s+Inputs\s+Report id$/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s{2,}/).slice(0, 6))).toEqual([
      ['1', '2026-11-28 19:20', 'report', '2026-Q4', '2026-11-28', '4'],
      ['2', '2026-12-14 19:00', 'report', '2026-Q4', '2026-12-14', '1'],
      ['3', '2027-02-15 19:00', 'report', '2027-Q1', '2027-02-15', '5'],
      ['4', '2027-05-17 19:00', 'report', '2027-Q2', '2027-05-17', '5'],
    ]);
  });

  it('prints JSON with --json', async () => {
    const r = await cli(['history', '--store', store, '--json']);
    const parsed = JSON.parse(r.stdout) as { runs: { seq: number; period: { id: string } }[] };
    expect(parsed.runs.map((x) => x.period.id)).toEqual(['2026-Q4', '2026-Q4', '2027-Q1', '2027-Q2']);
  });

  it('shows one run by number or uuid prefix: command, inputs with SHA-256, findings', async () => {
    const r = await cli(['history', 'show', '3', '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Run 3  [0-9a-f-]{36}\n/);
    expect(r.stdout).toContain('Command      tlsproof report test/fixtures/history/derived/legacy-tls12-only.csv');
    expect(r.stdout).toMatch(/test\/fixtures\/history\/real\/imaps-good\.csv\s+testssl-csv\s+\d+ B\s+\d+ records\s+observed 2027-02-15 19:00 \(option\)\s+[0-9a-f]{64}/);
    // The 1024-bit DH group is dh-weak's finding (it used to be a second, Logjam one).
    expect(r.stdout).toMatch(/MEDIUM\s+fail\s+dh-weak\s+mail\.legacy\.example\.test\[127\.0\.77\.30\]:25/);
    const uuid = /^Run 3 {2}([0-9a-f-]{36})/.exec(r.stdout)![1]!;
    expect((await cli(['history', 'show', uuid.slice(0, 8), '--store', store])).stdout).toBe(r.stdout);
  });

  it('says which runs exist when a run is not found, and when there is no store', async () => {
    expect(await cli(['history', 'show', '99', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('No run "99"') });
    expect(await cli(['history', 'show', '99', '--store', store])).toMatchObject({ stderr: expect.stringContaining('Runs: 1–4.') });
    const missing = join(await tempDir(), 'none.db');
    expect(await cli(['history', '--store', missing])).toMatchObject({ code: 2, stderr: expect.stringContaining(`No evidence store at "${missing}"`) });
    expect(existsSync(missing)).toBe(false);
    expect(await cli(['history', 'list'])).toMatchObject({ code: 2, stderr: expect.stringContaining('takes no arguments, or "show RUN"') });
  });
});
