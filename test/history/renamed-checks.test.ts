/**
 * A store recorded by an earlier release (test/fixtures/history/store-v1.sql, written before the
 * three expiry windows became one cert-expiring check) compared with a run recorded today: the
 * expiring certificate is one finding that persists, not three resolved plus one new.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparePeriods } from '../../src/history/compare.js';
import type { HistoryData } from '../../src/history/timeline.js';
import type { PeriodComparison } from '../../src/model/history.js';
import { addStoredFinding } from '../../src/history/renamed-checks.js';
import type { TimelineFinding } from '../../src/history/timeline.js';
import { resolvePeriod } from '../../src/model/period.js';
import { buildModel, recordRun } from '../../src/pipeline.js';
import { EvidenceStore } from '../../src/store/store.js';
import { loadSql } from '../store/support.js';
import { ROOT, requestFor, tempStorePath } from './support.js';

const EXPIRING = 'mail.expiring.example.test[127.0.77.21]:25';
const EXPIRED = 'mail.expired.example.test[127.0.77.20]:25';
const ids = (list: readonly { findingId: string }[]) => list.map((f) => f.findingId).sort();

describe('a format-1 store with the old expiry ids, compared with a run of today\'s checks', () => {
  let c: PeriodComparison;
  let data: HistoryData;
  beforeAll(async () => {
    const path = await tempStorePath();
    loadSql(path, readFileSync(join(ROOT, 'test/fixtures/history/store-v1.sql'), 'utf8'));
    const old = new (await import('better-sqlite3')).default(path, { readonly: true });
    // The fixture really holds the old ids (guards against the test passing on a regenerated store).
    expect(old.prepare("SELECT count(*) FROM findings WHERE check_id LIKE 'cert-expiry-%'").pluck().get()).toBe(6);
    old.close();
    // Today's pipeline, 10 December 2026: the certificate (notAfter 2026-12-18) still expiring.
    const run = { name: 'December rescan', period: '2026-12-01..2026-12-13', observedAt: '2026-12-10T10:00:00Z',
      inputs: ['test/fixtures/history/real/smtp-expiring.csv', 'test/fixtures/history/real/smtp-expired.csv'] };
    const req = requestFor(run, path, 9);
    await recordRun(req, await buildModel(req));
    const store = EvidenceStore.open(path, { toolVersion: '0.1.0-test', mode: 'read' });
    try { data = store.loadHistoryData(); } finally { store.close(); }
    c = comparePeriods(data, { current: resolvePeriod('2026-12-01..2026-12-13'), previous: resolvePeriod('2026-11') });
  });

  it('reads the three stored windows of one certificate as one open cert-expiring finding (the nearest window\'s severity)', () => {
    const nov = data.timelines.find((t) => t.key === EXPIRING)!.points[0]!;
    expect([...nov.findings.values()].filter((f) => f.checkId.startsWith('cert-expir')))
      .toEqual([{ localId: 'cert-expiring', checkId: 'cert-expiring', status: 'warn', severity: 'high' }]);
  });

  it('compares them as the same finding: persisting since the first scan, never resolved plus new', () => {
    expect(ids(c.persisting)).toContain(`cert-expiring@${EXPIRING}`);
    expect(c.persisting.find((f) => f.findingId === `cert-expiring@${EXPIRING}`)).toMatchObject({ firstSeen: '2026-11-28T19:20:00.000Z', severity: 'high' });
    for (const list of [c.new, c.resolved, c.regressed, c.unverified]) {
      expect(list.filter((f) => f.checkId.startsWith('cert-expir') && f.endpointKey === EXPIRING)).toEqual([]);
    }
    expect([...c.new, ...c.resolved, ...c.persisting, ...c.regressed, ...c.unverified].filter((f) => f.checkId.startsWith('cert-expiry-'))).toEqual([]);
  });

  it('leaves an already-expired certificate to cert-expired alone', () => {
    expect(ids(c.persisting).filter((id) => id.endsWith(EXPIRED))).toEqual([`cert-expired@${EXPIRED}`]);
    expect(ids([...c.new, ...c.resolved, ...c.unverified]).filter((id) => id.endsWith(EXPIRED))).toEqual([]);
  });

  it('counts the certificate once in the trend', () => {
    const nov = comparePeriods(data, { current: resolvePeriod('2026-11'), previous: resolvePeriod('2026-10') });
    const last = nov.trend[nov.trend.length - 1]!;
    // November (old run): legacy 5 (medium/low…), expiring 1 high, expired 1 critical — the windows once.
    const open = [...data.timelines.flatMap((t) => [...t.points[0]!.findings.values()])].filter((f) => f.status === 'fail' || f.status === 'warn');
    expect(Object.values(last.openBySeverity).reduce((a, b) => a + b, 0)).toBe(open.length);
    expect(open.filter((f) => f.checkId.startsWith('cert-expir') && f.checkId !== 'cert-expired')).toHaveLength(1);
  });
});

describe('addStoredFinding', () => {
  const add = (...rows: (TimelineFinding & { messageId: string })[]) => {
    const m = new Map<string, TimelineFinding>();
    for (const r of rows) addStoredFinding(m, r);
    return [...m.values()];
  };
  it('merges windows per certificate, keeps unrenamed checks as stored', () => {
    expect(add(
      { localId: 'cert-expiry-90d#2', checkId: 'cert-expiry-90d', status: 'warn', severity: 'low', messageId: 'expiring' },
      { localId: 'cert-expiry-60d#2', checkId: 'cert-expiry-60d', status: 'warn', severity: 'medium', messageId: 'expiring' },
      { localId: 'cert-expiry-30d#1', checkId: 'cert-expiry-30d', status: 'error', severity: 'high', messageId: 'invalid-date' },
      { localId: 'proto-tls10', checkId: 'proto-tls10', status: 'fail', severity: 'medium', messageId: 'offered' },
    )).toEqual([
      { localId: 'cert-expiring#2', checkId: 'cert-expiring', status: 'warn', severity: 'medium' },
      { localId: 'cert-expiring#1', checkId: 'cert-expiring', status: 'error', severity: 'high' },
      { localId: 'proto-tls10', checkId: 'proto-tls10', status: 'fail', severity: 'medium' },
    ]);
  });
});
