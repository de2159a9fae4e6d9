/**
 * One clock for deadlines: the pure rule, then one deadline per finding everywhere — the report
 * model's remediation plan, its history section and `tlsproof diff --json` — on the fixture
 * sequence recorded through the real pipeline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINES, dueDate, resolveDeadlines } from '../../src/history/deadline.js';
import type { PeriodComparison } from '../../src/model/history.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { cli } from '../cli/commands/history-support.js';
import { recordSequence, tempStorePath } from './support.js';

describe('dueDate', () => {
  it('counts the severity\'s days from the day first seen', () => {
    expect(dueDate({ severity: 'critical', firstSeen: '2026-11-28T19:20:00Z' }, DEFAULT_DEADLINES)).toBe('2026-12-28');
    expect(dueDate({ severity: 'info', firstSeen: '2026-11-28T19:20:00Z' }, DEFAULT_DEADLINES)).toBeNull();
    expect(dueDate({ severity: 'low', firstSeen: '2026-11-28T19:20:00Z' }, resolveDeadlines({ low: 7 }))).toBe('2026-12-05');
  });

  it('never falls after the certificate\'s expiry, unless it had expired before it was first seen', () => {
    const f = { severity: 'high' as const, firstSeen: '2026-11-28T19:20:00Z' };
    expect(dueDate({ ...f, certificateNotAfter: '2026-12-18T19:14:00Z' }, DEFAULT_DEADLINES)).toBe('2026-12-18');
    expect(dueDate({ ...f, certificateNotAfter: '2027-12-18T19:14:00Z' }, DEFAULT_DEADLINES)).toBe('2027-01-27');
    expect(dueDate({ ...f, certificateNotAfter: '2026-10-29T19:14:00Z' }, DEFAULT_DEADLINES)).toBe('2027-01-27');
  });
});

describe('one deadline per finding in the plan, the history and tlsproof diff', () => {
  let models: ReportModel[];
  let store: string;
  beforeAll(async () => {
    store = await tempStorePath();
    models = await recordSequence(store);
  });

  it('caps the expiring certificate\'s fix-by at its expiry (first run, no history yet)', () => {
    const item = models[0]!.remediation.find((r) => r.checkId === 'cert-expiring')!;
    expect(item).toMatchObject({ severity: 'high', deadlineDays: 60, dueDate: '2026-12-18' });
    expect(item.findings).toEqual([{ id: 'cert-expiring@mail.expiring.example.test[127.0.77.21]:25', firstSeen: '2026-11-28T19:20:00.000Z', dueDate: '2026-12-18' }]);
  });

  it('counts from first seen in the store, not from the report date, in every later run', async () => {
    const last = models[models.length - 1]!;
    const h = last.history!;
    const diff = JSON.parse((await cli(['diff', h.period.id, '--store', store, '--json', '--as-of', h.asOf])).stdout) as PeriodComparison;
    const historyItems = new Map([...h.new, ...h.persisting, ...h.regressed].map((f) => [f.findingId, f]));
    const diffItems = new Map([...diff.new, ...diff.persisting, ...diff.regressed].map((f) => [f.findingId, f]));
    const planned = last.remediation.flatMap((r) => r.findings);
    expect(planned.length).toBeGreaterThan(5);
    for (const f of planned) {
      const inHistory = historyItems.get(f.id);
      expect(inHistory, f.id).toBeDefined();
      expect([f.id, f.firstSeen, f.dueDate]).toEqual([f.id, inHistory!.firstSeen, inHistory!.dueDate]);
      expect([f.id, diffItems.get(f.id)?.dueDate]).toEqual([f.id, f.dueDate]);
    }
    // The expired certificate, open since the first scan (28 Nov 2026): due 30 days later, long before this report date.
    expect(planned.find((f) => f.id.startsWith('cert-expired@'))).toMatchObject({ firstSeen: '2026-11-28T19:20:00.000Z', dueDate: '2026-12-28' });
    expect(last.report.reportDate > '2026-12-28').toBe(true);
  });
});
