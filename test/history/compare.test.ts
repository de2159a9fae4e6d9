/**
 * Three quarters of real testssl results (test/fixtures/history, see its README): recorded through
 * the pipeline into a store, then compared quarter against quarter.
 *
 * Timeline of what changed (scan times from sequence.json):
 * - 2026-11-28 (Q4): mail.legacy offers TLS 1.0/1.1; mail.expiring's certificate has 20 days left;
 *   mail.expired's certificate expired; mail.good clean.
 * - 2026-12-14 (Q4): mail.expiring renewed (six months, to 2027-06-14).
 * - 2027-02-15 (Q1): TLS 1.0/1.1 off on mail.legacy; imap.good added.
 * - 2027-05-17 (Q2): TLS 1.0/1.1 back on mail.legacy; mail.expiring renewed for a year;
 *   mail.gnutls-legacy added; mail.good gone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { comparePeriods } from '../../src/history/compare.js';
import type { HistoryData } from '../../src/history/timeline.js';
import type { HistoryFinding, PeriodComparison } from '../../src/model/history.js';
import { resolvePeriod } from '../../src/model/period.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { ReportModelSchema } from '../../src/model/report-model.js';
import { EvidenceStore } from '../../src/store/store.js';
import { recordSequence, tempStorePath } from './support.js';

const LEGACY = 'mail.legacy.example.test[127.0.77.30]:25';
const EXPIRED = 'mail.expired.example.test[127.0.77.20]:25';
const EXPIRING = 'mail.expiring.example.test[127.0.77.21]:25';
const IMAP = 'imap.good.example.test[127.0.77.12]:993';
const GNUTLS = 'mail.gnutls-legacy.example.test[127.0.77.32]:465';
const GOOD = 'mail.good.example.test[127.0.77.11]:25';
const FIRST_SCAN = '2026-11-28T19:20:00.000Z';

const ids = (list: readonly HistoryFinding[]) => list.map((f) => f.findingId).sort();
const byId = (list: readonly HistoryFinding[], id: string) => list.find((f) => f.findingId === id);

let data: HistoryData;
let models: ReportModel[];

beforeAll(async () => {
  const path = await tempStorePath();
  models = await recordSequence(path);
  const store = EvidenceStore.open(path, { toolVersion: 'test', mode: 'read' });
  data = store.loadHistoryData();
  store.close();
});

const compare = (period: string, asOf?: string): PeriodComparison => comparePeriods(data, { current: resolvePeriod(period), ...(asOf ? { asOf } : {}) });

describe('Q4 2026: the period state is the last observation of each endpoint', () => {
  it('uses the renewal rescan for mail.expiring, the first scan for the others', () => {
    const c = compare('2026-Q4');
    expect(c.endpoints).toEqual({ current: 4, previous: 0 });
    // The expiry findings of the first scan were fixed inside Q4, so the state has none open.
    expect(c.new.filter((f) => f.endpointKey === EXPIRING)).toEqual([]);
    expect(ids(c.new)).toEqual([
      `cert-expired@${EXPIRED}`,
      // The 1024-bit DH group is dh-weak's (not Logjam's); static RSA and client renegotiation are judged now.
      `cipher-static-rsa@${LEGACY}`, `dh-weak@${LEGACY}`, `proto-tls10@${LEGACY}`, `proto-tls11@${LEGACY}`, `reneg-client-initiated@${LEGACY}`,
      `vuln-beast@${LEGACY}`, `vuln-lucky13@${LEGACY}`,
    ].sort());
  });

  it('times the renewal: first seen 28 Nov, seen fixed 14 Dec = 16 days, per severity', () => {
    const ttr = Object.fromEntries(compare('2026-Q4').remediation.timeToRemediate.map((t) => [t.severity, t]));
    expect(ttr['high']).toEqual({ severity: 'high', resolved: 1, medianDays: 16, worstDays: 16 });
    // One expiring certificate is one finding (cert-expiring, high), not one per window.
    expect(ttr['medium']).toEqual({ severity: 'medium', resolved: 0, medianDays: null, worstDays: null });
    expect(ttr['low']).toEqual({ severity: 'low', resolved: 0, medianDays: null, worstDays: null });
    expect(ttr['critical']).toEqual({ severity: 'critical', resolved: 0, medianDays: null, worstDays: null });
  });

  it('forecasts the renewed certificate expiring in Q2 2027 only from a state that holds it', () => {
    expect(compare('2026-Q4').certificateForecast).toMatchObject({ period: { id: '2027-Q1' }, certificates: [] });
  });
});

describe('Q1 2027 against Q4 2026: TLS 1.0/1.1 switched off', () => {
  let c: PeriodComparison;
  beforeAll(() => { c = compare('2027-Q1'); });

  it('resolves the protocol findings with the dates first seen and seen fixed', () => {
    expect(ids(c.resolved)).toEqual([`proto-tls10@${LEGACY}`, `proto-tls11@${LEGACY}`, `vuln-beast@${LEGACY}`].sort());
    expect(byId(c.resolved, `proto-tls10@${LEGACY}`)).toMatchObject({
      status: 'pass', severity: 'medium', firstSeen: FIRST_SCAN, lastSeenOpen: FIRST_SCAN, fixedAt: '2027-02-15T19:00:00.000Z', ageDays: 79,
      dueDate: '2027-02-26', daysOverdue: null,
    });
  });

  it('keeps what was not fixed as persisting, aged to the end of the quarter', () => {
    expect(ids(c.persisting)).toEqual([
      `cert-expired@${EXPIRED}`,
      `cipher-static-rsa@${LEGACY}`, `dh-weak@${LEGACY}`, `reneg-client-initiated@${LEGACY}`, `vuln-lucky13@${LEGACY}`,
    ].sort());
    expect(c.asOf).toBe('2027-03-31');
    for (const f of c.persisting) expect(f).toMatchObject({ firstSeen: FIRST_SCAN, ageDays: 123 });
    expect(c.new).toEqual([]);
    expect(c.regressed).toEqual([]);
  });

  it('lists overdue findings by the default deadlines (critical 30, high 60, medium 90, low 180 days)', () => {
    expect(c.remediation.overdue.map((f) => [f.findingId, f.dueDate, f.daysOverdue])).toEqual([
      [`cert-expired@${EXPIRED}`, '2026-12-28', 93],
      [`dh-weak@${LEGACY}`, '2027-02-26', 33],
    ]);
  });

  it('applies configured deadlines instead', () => {
    const strict = comparePeriods(data, { current: resolvePeriod('2027-Q1'), deadlines: { critical: 7, high: null, low: 30 } });
    expect(strict.remediation.overdue.map((f) => [f.checkId, f.daysOverdue])).toEqual([
      ['cert-expired', 116], ['cipher-static-rsa', 93], ['reneg-client-initiated', 93], ['vuln-lucky13', 93],
      ['dh-weak', 33],
    ]);
    expect(strict.remediation.deadlines).toEqual({ critical: 7, high: null, medium: 90, low: 30, info: null });
  });

  it('says which endpoint was added and forecasts the renewed certificate for Q2', () => {
    expect(c.endpointsAdded).toEqual([{ key: IMAP, label: 'imap.good.example.test (127.0.77.12) port 993', firstSeen: '2027-02-15T19:00:00.000Z' }]);
    expect(c.endpointsRemoved).toEqual([]);
    expect(c.certificateForecast.period.id).toBe('2027-Q2');
    expect(c.certificateForecast.certificates).toEqual([expect.objectContaining({
      notAfter: '2027-06-14T18:30:00.000Z', daysLeft: 75, commonName: 'mail.expiring.example.test', serial: '01A275D19840', endpointKeys: [EXPIRING],
    })]);
  });

  it('times the protocol fix per severity', () => {
    const ttr = Object.fromEntries(c.remediation.timeToRemediate.map((t) => [t.severity, [t.resolved, t.medianDays, t.worstDays]]));
    expect(ttr).toEqual({ critical: [0, null, null], high: [0, null, null], medium: [2, 79, 79], low: [1, 79, 79], info: [0, null, null] });
  });
});

describe('Q2 2027 against Q1 2027, as the fourth report run saw it', () => {
  let h: PeriodComparison;
  beforeAll(() => { h = models[3]!.history!; });

  it('puts the comparison in the report model, which still validates', () => {
    expect(models[0]!.history).toBeNull(); // nothing stored before the first run
    expect(ReportModelSchema.parse(models[3]).history).toEqual(h);
    expect(h.period).toEqual({ id: '2027-Q2', label: 'Q2 2027', start: '2027-04-01', end: '2027-06-30' });
    expect(h.asOf).toBe('2027-05-17'); // the report date, before the quarter's end
    expect(h.runsConsidered).toBe(4);
  });

  it('flags TLS 1.0/1.1 coming back as regressions, with when they had been seen fixed', () => {
    expect(ids(h.regressed)).toEqual([`proto-tls10@${LEGACY}`, `proto-tls11@${LEGACY}`, `vuln-beast@${LEGACY}`].sort());
    expect(byId(h.regressed, `proto-tls11@${LEGACY}`)).toMatchObject({
      firstSeen: '2027-05-17T19:00:00.000Z', fixedAt: '2027-02-15T19:00:00.000Z', ageDays: 0, daysOverdue: null,
    });
  });

  it('counts the new endpoint\'s findings as new, and keeps ages of persisting ones', () => {
    expect(h.new.every((f) => f.endpointKey === GNUTLS)).toBe(true);
    expect(ids(h.new)).toEqual(['cipher-64bit-block', 'cipher-rc4', 'cipher-static-rsa', 'proto-tls10', 'proto-tls11', 'reneg-client-initiated', 'vuln-beast', 'vuln-lucky13', 'vuln-sweet32']
      .map((c) => `${c}@${GNUTLS}`).sort());
    expect(byId(h.persisting, `cert-expired@${EXPIRED}`)).toMatchObject({ ageDays: 170, daysOverdue: 140 });
    expect(byId(h.persisting, `vuln-lucky13@${LEGACY}`)).toMatchObject({ ageDays: 170, dueDate: '2027-05-27', daysOverdue: null });
    expect(h.resolved).toEqual([]);
  });

  it('lists endpoints added and removed', () => {
    expect(h.endpointsAdded.map((e) => e.key)).toEqual([GNUTLS]);
    expect(h.endpointsRemoved).toEqual([{ key: GOOD, label: 'mail.good.example.test (127.0.77.11) port 25', lastSeen: '2027-02-15T19:00:00.000Z', openFindings: 0 }]);
  });

  it('has a trend of the last four quarters with open findings and control status per framework', () => {
    expect(h.trend.map((t) => [t.period.id, t.hasData, t.endpoints])).toEqual([
      ['2026-Q3', false, 0], ['2026-Q4', true, 4], ['2027-Q1', true, 5], ['2027-Q2', true, 5],
    ]);
    expect(h.trend.map((t) => t.openBySeverity)).toEqual([
      { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
      { info: 0, low: 4, medium: 3, high: 0, critical: 1 },
      { info: 0, low: 3, medium: 1, high: 0, critical: 1 },
      { info: 0, low: 8, medium: 7, high: 1, critical: 1 },
    ]);
    const q4 = h.trend[1]!.frameworks;
    expect(q4.length).toBe(models[3]!.frameworks.length);
    // No domain list: the technical baselines of scope.yaml are the frameworks in the trend.
    const nist52 = q4.find((f) => f.id === 'nist-800-52');
    // Graded there: the legacy relay's TLS 1.0 and static RSA warn its partial links.
    expect((nist52?.counts.fail ?? 0) + (nist52?.counts.warn ?? 0)).toBeGreaterThan(0);
    // Every control of every framework is counted once per period.
    for (const t of h.trend) for (const f of t.frameworks) {
      const total = models[3]!.frameworks.find((x) => x.id === f.id)!.controls.length;
      expect(Object.values(f.counts).reduce((a, b) => a + b, 0)).toBe(total);
    }
    // The trend reduces endpoints to representatives; for a framework judged on checks alone, the
    // current period must give exactly the report's own verdicts (a pass needs every endpoint).
    const current = h.trend.at(-1)!;
    const checksOnly = models[3]!.frameworks.filter((fw) => fw.controls.every((c) => c.evidence.length === 0) && fw.scope.endpointKeys.length === current.endpoints);
    expect(checksOnly.length).toBeGreaterThan(0);
    for (const fw of checksOnly) expect(current.frameworks.find((x) => x.id === fw.id)?.counts, fw.id).toEqual(fw.counts);
  });
});

describe('period boundaries', () => {
  it('compares any two periods, the earlier ending before the later starts', () => {
    const c = comparePeriods(data, { current: resolvePeriod('2027-05'), previous: resolvePeriod('2026-12') });
    expect(c.previousPeriod.id).toBe('2026-12');
    expect(ids(c.regressed)).toEqual([`proto-tls10@${LEGACY}`, `proto-tls11@${LEGACY}`, `vuln-beast@${LEGACY}`].sort());
    expect(() => comparePeriods(data, { current: resolvePeriod('2027-Q1'), previous: resolvePeriod('2027') })).toThrow(/must end before Q1 2027 starts/);
  });

  it('ages open findings at the as-of date, clipped to the period', () => {
    expect(byId(compare('2027-Q1', '2027-02-20').persisting, `cert-expired@${EXPIRED}`)?.ageDays).toBe(84);
    expect(compare('2027-Q1', '2030-01-01').asOf).toBe('2027-03-31');
  });
});
