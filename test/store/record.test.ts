/**
 * What a report run records about time: observation times normalised to UTC (which decides the
 * period), where each time came from, the period used for the history section, and the note when
 * a run's observations fall outside its --period.
 */
import { copyFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePeriods } from '../../src/history/compare.js';
import { resolvePeriod } from '../../src/model/period.js';
import { buildModel, recordRun, type ReportRequest } from '../../src/pipeline.js';
import { EvidenceStore } from '../../src/store/store.js';
import { ROOT, tempStorePath } from '../history/support.js';
import { tempDir } from '../cli/commands/history-support.js';

const GOOD = 'test/fixtures/history/real/smtp-good.csv';
const LEGACY = 'test/fixtures/history/real/smtp-legacy.csv';

async function report(store: string, over: Partial<ReportRequest>, at: string) {
  const req: ReportRequest = {
    inputs: [GOOD], formats: ['json'], outDir: '/nonexistent', strict: false, generatedAt: at, cwd: ROOT, toolVersion: '0.1.0-test',
    store: { path: store, command: ['report'], recordedAt: at }, ...over,
  };
  return (await recordRun(req, await buildModel(req))).model;
}

function history(store: string) {
  const s = EvidenceStore.open(store, { toolVersion: 'test', mode: 'read' });
  try {
    return s.loadHistoryData();
  } finally {
    s.close();
  }
}

describe('observation times', () => {
  it('are stored in UTC, and the UTC date decides the period (23:30 in Chicago on 30 Sep is Q4)', async () => {
    const store = await tempStorePath();
    await report(store, { observedAt: '2026-09-30T23:30:00-05:00' }, '2026-10-02T00:00:00Z');
    const data = history(store);
    expect(data.timelines[0]!.points[0]).toMatchObject({ observedAt: '2026-10-01T04:30:00.000Z', day: '2026-10-01' });
    expect(comparePeriods(data, { current: resolvePeriod('2026-Q3') }).endpoints.current).toBe(0);
    expect(comparePeriods(data, { current: resolvePeriod('2026-Q4') }).endpoints.current).toBe(1);
  });

  it('come from the file modification time without --observed-at, and say so', async () => {
    const dir = await tempDir();
    const copy = join(dir, 'scan.csv');
    copyFileSync(join(ROOT, GOOD), copy);
    const mtime = new Date('2026-08-15T06:00:00Z');
    utimesSync(copy, mtime, mtime);
    const store = await tempStorePath();
    await report(store, { inputs: [copy], cwd: dir }, '2026-09-01T00:00:00Z');
    const s = EvidenceStore.open(store, { toolVersion: 'test', mode: 'read' });
    try {
      expect(s.runDetail(1).inputFiles[0]).toMatchObject({ file: 'scan.csv', observedAt: '2026-08-15T06:00:00.000Z', observedAtSource: 'file-mtime' });
      expect(s.loadHistoryData().timelines[0]!.points[0]!.observedAt).toBe('2026-08-15T06:00:00.000Z');
    } finally {
      s.close();
    }
  });
});

describe('the history section of a report', () => {
  it('is null for the first run in a store, then compares the quarter of the latest observation when there is no --period', async () => {
    const store = await tempStorePath();
    // After the lab certificates' notBefore (27 Nov 2026), so only configuration findings show.
    expect((await report(store, { observedAt: '2026-12-10T00:00:00Z' }, '2026-12-11T00:00:00Z')).history).toBeNull();
    const m = await report(store, { inputs: [GOOD, LEGACY], observedAt: '2027-02-10T00:00:00Z' }, '2027-02-11T00:00:00Z');
    expect(m.report.period).toBeNull();
    expect(m.history).toMatchObject({ period: { id: '2027-Q1' }, previousPeriod: { id: '2026-Q4' }, asOf: '2027-02-11', notes: [] });
    expect(m.history!.endpointsAdded.map((e) => e.key)).toEqual(['mail.legacy.example.test[127.0.77.30]:25']);
    expect(m.history!.new.map((f) => f.checkId).sort()).toEqual(['cipher-static-rsa', 'dh-weak', 'proto-tls10', 'proto-tls11', 'reneg-client-initiated', 'vuln-beast', 'vuln-lucky13']);
  });

  it('is the same when the same report runs again: repeats are not new evidence', async () => {
    const store = await tempStorePath();
    await report(store, { observedAt: '2026-12-10T00:00:00Z' }, '2026-12-11T00:00:00Z');
    const again = () => report(store, { inputs: [GOOD, LEGACY], period: '2027-Q1', observedAt: '2027-02-10T00:00:00Z' }, '2027-02-11T00:00:00Z');
    const first = await again();
    const second = await again();
    expect(first.history).not.toBeNull();
    expect(second).toEqual(first);
    expect(second.history!.runsConsidered).toBe(2);
  });

  it('notes observations of the run that fall outside its --period', async () => {
    const store = await tempStorePath();
    await report(store, { observedAt: '2026-05-10T00:00:00Z' }, '2026-05-11T00:00:00Z');
    const m = await report(store, { period: '2026-Q3', observedAt: '2026-10-03T00:00:00Z' }, '2026-10-04T00:00:00Z');
    expect(m.history!.period.id).toBe('2026-Q3');
    expect(m.history!.notes).toEqual([expect.stringMatching(/^Run 2, recorded for Q3 2026 \(2026-07-01\.\.2026-09-30\), has 1 endpoint observation dated outside it \(2026-10-03, by --observed-at\); they count in no period\./)]);
    expect(m.history!.endpoints.current).toBe(0);
  });

  it('says when the period\'s state holds endpoints this report did not observe', async () => {
    const store = await tempStorePath();
    await report(store, { inputs: [GOOD, LEGACY], period: '2026-Q3', observedAt: '2026-08-10T00:00:00Z' }, '2026-08-11T00:00:00Z');
    const m = await report(store, { inputs: [GOOD], period: '2026-Q3', observedAt: '2026-09-10T00:00:00Z' }, '2026-09-11T00:00:00Z');
    expect(m.summary.endpoints).toBe(1);
    expect(m.history!.endpoints.current).toBe(2);
    expect(m.history!.notes).toEqual([expect.stringMatching(/^1 endpoint in Q3 2026's state was observed by earlier runs of this period, not by this report/)]);
  });

  it('never lets a run recorded for one period re-date another: its out-of-period observations count in none', async () => {
    const store = await tempStorePath();
    // Q3: the legacy relay, fixed nothing yet.
    await report(store, { inputs: [LEGACY], period: '2026-Q3', observedAt: '2026-09-10T00:00:00Z' }, '2026-09-11T00:00:00Z');
    // A run labelled Q4 whose evidence is dated in Q3 (a wrong --observed-at): Q3 stays as it was.
    await report(store, { inputs: [GOOD], period: '2026-Q4', observedAt: '2026-09-20T00:00:00Z' }, '2026-12-01T00:00:00Z');
    const data = history(store);
    expect(data.setAside).toEqual([{ runSeq: 2, period: { id: '2026-Q4', label: 'Q4 2026', start: '2026-10-01', end: '2026-12-31' }, observations: 1,
      from: '2026-09-20T00:00:00.000Z', to: '2026-09-20T00:00:00.000Z', sources: ['option'] }]);
    const q3 = comparePeriods(data, { current: resolvePeriod('2026-Q3') });
    expect(q3.endpoints.current).toBe(1);
    expect(q3.persisting.length + q3.new.length).toBeGreaterThan(0);
    expect(data.timelines.flatMap((t) => t.points.map((p) => p.runSeq))).toEqual([1]);
  });

  it('reads fiscal periods with the fiscal year start', async () => {
    const store = await tempStorePath();
    await report(store, { observedAt: '2026-08-10T00:00:00Z' }, '2026-08-11T00:00:00Z');
    const m = await report(store, { period: 'FY2027-Q1', fiscalYearStartMonth: 10, observedAt: '2026-11-10T00:00:00Z' }, '2026-11-11T00:00:00Z');
    expect(m.report.period).toEqual({ label: 'FY2027 Q1', start: '2026-10-01', end: '2026-12-31' });
    expect(m.history).toMatchObject({ period: { id: 'FY2027-Q1' }, previousPeriod: { id: 'FY2026-Q4', start: '2026-07-01' }, endpoints: { current: 1, previous: 1 } });
  });
});
