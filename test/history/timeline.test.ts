/**
 * The comparison rules on hand-made timelines: what breaks a streak and what does not, regressions
 * inside one period, findings that could not be re-tested, medians, and late fixes.
 */
import { describe, expect, it } from 'vitest';
import { comparePeriods } from '../../src/history/compare.js';
import type { HistoryData, TimelinePoint } from '../../src/history/timeline.js';
import type { TimelineFinding } from '../../src/history/timeline.js';
import type { FindingStatus, Severity } from '../../src/model/finding.js';
import { resolvePeriod } from '../../src/model/period.js';

type Spec = Readonly<Record<string, `${FindingStatus}:${Severity}`>>;

let seq = 0;
function point(observedAt: string, findings: Spec, opts: { passed?: string[]; scanState?: TimelinePoint['scanState']; cert?: string } = {}): TimelinePoint {
  const map = new Map<string, TimelineFinding>();
  for (const [localId, v] of Object.entries(findings)) {
    const [status, severity] = v.split(':') as [FindingStatus, Severity];
    map.set(localId, { localId, checkId: localId.replace(/#\d+$/, ''), status, severity });
  }
  const certificates = opts.cert === undefined ? [] : [{ index: 1, commonName: 'a', issuer: 'CA', serial: opts.cert, fingerprintSha256: `FP-${opts.cert}`, notAfter: null }];
  return { runSeq: ++seq, observedAt, day: observedAt.slice(0, 10), scanState: opts.scanState ?? 'completed', frameworks: [], findings: map, passed: opts.passed ?? [], certificates };
}

function data(...timelines: { host: string; points: TimelinePoint[] }[]): HistoryData {
  return {
    runs: seq,
    timelines: timelines.map((t) => ({
      key: `${t.host}:25`, label: `${t.host} port 25`, endpoint: { host: t.host, port: 25, service: 'smtp', transport: 'starttls' }, points: t.points,
    })),
  };
}

const Q2 = resolvePeriod('2026-Q2');
const Q3 = resolvePeriod('2026-Q3');

describe('streaks', () => {
  it('an observation that could not test the finding neither fixes nor opens it', () => {
    const d = data({ host: 'a', points: [
      point('2026-05-01T00:00:00Z', { 'proto-tls10': 'fail:medium' }),
      point('2026-06-01T00:00:00Z', { 'proto-tls10': 'not-tested:medium' }),
      point('2026-07-10T00:00:00Z', { 'proto-tls10': 'fail:medium' }, { scanState: 'completed' }),
      point('2026-08-10T00:00:00Z', {}, { scanState: 'failed' }),
      point('2026-09-10T00:00:00Z', { 'proto-tls10': 'fail:medium' }),
    ] });
    const c = comparePeriods(d, { current: Q3 });
    expect(c.persisting.map((f) => [f.findingId, f.firstSeen, f.ageDays])).toEqual([['proto-tls10@a:25', '2026-05-01T00:00:00Z', 152]]);
    expect(c.regressed).toEqual([]);
    expect(c.remediation.timeToRemediate.every((t) => t.resolved === 0)).toBe(true);
  });

  it('a finding fixed and back inside the period is a regression, not persisting', () => {
    const d = data({ host: 'a', points: [
      point('2026-06-01T00:00:00Z', { 'cipher-rc4': 'fail:high' }),
      point('2026-07-15T00:00:00Z', {}, { passed: ['cipher-rc4'] }),
      point('2026-09-01T00:00:00Z', { 'cipher-rc4': 'fail:high' }),
    ] });
    const c = comparePeriods(d, { current: Q3 });
    expect(c.regressed.map((f) => [f.findingId, f.firstSeen, f.fixedAt, f.ageDays, f.dueDate])).toEqual([
      ['cipher-rc4@a:25', '2026-09-01T00:00:00Z', '2026-07-15T00:00:00Z', 29, '2026-10-31'],
    ]);
    expect(c.persisting).toEqual([]);
    expect(c.resolved).toEqual([]); // open in both states
    // The July fix still counts for time to remediate: 1 Jun → 15 Jul.
    expect(c.remediation.timeToRemediate.find((t) => t.severity === 'high')).toEqual({ severity: 'high', resolved: 1, medianDays: 44, worstDays: 44 });
  });

  it('dates a regression by the first observation that showed the earlier fix', () => {
    const d = data({ host: 'a', points: [
      point('2026-01-10T00:00:00Z', { 'cipher-rc4': 'fail:high' }),
      point('2026-02-10T00:00:00Z', { 'cipher-rc4': 'not-tested:high' }),
      point('2026-03-10T00:00:00Z', {}),
      point('2026-05-10T00:00:00Z', {}),
      point('2026-08-10T00:00:00Z', { 'cipher-rc4': 'warn:high' }),
    ] });
    expect(comparePeriods(d, { current: Q3 }).regressed[0]).toMatchObject({ fixedAt: '2026-03-10T00:00:00Z', firstSeen: '2026-08-10T00:00:00Z', status: 'warn' });
  });
});

describe('certificate findings', () => {
  it('are new, not regressed, when they come back on a renewed certificate, and regressed on the same one', () => {
    const d = data(
      { host: 'renewed', points: [
        point('2025-08-01T00:00:00Z', { 'cert-expiring': 'warn:high' }, { cert: 'old' }),
        point('2025-09-01T00:00:00Z', {}, { cert: 'new' }),
        point('2026-08-05T00:00:00Z', { 'cert-expiring': 'warn:high' }, { cert: 'new' }),
      ] },
      { host: 'same', points: [
        point('2026-05-01T00:00:00Z', { 'cert-untrusted': 'fail:high' }, { cert: 'x' }),
        point('2026-06-01T00:00:00Z', {}, { cert: 'x' }),
        point('2026-08-05T00:00:00Z', { 'cert-untrusted': 'fail:high' }, { cert: 'x' }),
      ] },
    );
    const c = comparePeriods(d, { current: Q3 });
    expect(c.new.map((f) => f.findingId)).toEqual(['cert-expiring@renewed:25']);
    expect(c.regressed.map((f) => f.findingId)).toEqual(['cert-untrusted@same:25']);
  });
});

describe('resolved and unverified', () => {
  it('resolves only what the new state re-tested; the rest is unverified', () => {
    const d = data(
      { host: 'a', points: [point('2026-04-05T00:00:00Z', { 'proto-tls10': 'fail:medium', 'vuln-robot': 'fail:critical' }),
        point('2026-07-05T00:00:00Z', { 'vuln-robot': 'not-tested:critical' }, { passed: ['proto-tls10'] })] },
    );
    const c = comparePeriods(d, { current: Q3 });
    expect(c.resolved.map((f) => [f.findingId, f.status, f.fixedAt, f.ageDays])).toEqual([['proto-tls10@a:25', 'pass', '2026-07-05T00:00:00Z', 91]]);
    expect(c.unverified.map((f) => [f.findingId, f.status, f.firstSeen])).toEqual([['vuln-robot@a:25', 'not-tested', '2026-04-05T00:00:00Z']]);
  });

  it('a finding a worse check now reports is superseded by it, not unverified, and counted once', () => {
    const d = data(
      { host: 'a', points: [point('2026-05-20T00:00:00Z', { 'cert-expiring#2': 'warn:high', 'vuln-robot': 'fail:critical' }),
        point('2026-08-05T00:00:00Z', { 'cert-expiring#2': 'not-tested:high', 'cert-expired#2': 'fail:critical', 'vuln-robot': 'not-tested:critical' })] },
      // The worse check open on another certificate of the endpoint does not supersede this one.
      { host: 'b', points: [point('2026-05-20T00:00:00Z', { 'cert-expiring#1': 'warn:high' }),
        point('2026-08-05T00:00:00Z', { 'cert-expiring#1': 'not-tested:high', 'cert-expired#2': 'fail:critical' })] },
    );
    const c = comparePeriods(d, { current: Q3 });
    expect(c.superseded.map((f) => [f.findingId, f.status, f.firstSeen, f.daysOverdue, f.supersededBy])).toEqual([
      ['cert-expiring@a:25#2', 'not-tested', '2026-05-20T00:00:00Z', null,
        { findingId: 'cert-expired@a:25#2', checkId: 'cert-expired', title: 'Certificate expired', change: 'new' }],
    ]);
    expect(c.unverified.map((f) => f.findingId)).toEqual(['vuln-robot@a:25', 'cert-expiring@b:25#1']);
    expect(c.new.map((f) => f.findingId)).toEqual(['cert-expired@a:25#2', 'cert-expired@b:25#2']);
  });

  it('dates a fix by the first observation that showed it, even if the state is later', () => {
    const d = data({ host: 'a', points: [
      point('2026-05-01T00:00:00Z', { 'vuln-robot': 'fail:critical' }),
      point('2026-07-01T00:00:00Z', {}),
      point('2026-09-30T00:00:00Z', {}),
    ] });
    const c = comparePeriods(d, { current: Q3 });
    // Due 31 May (critical, 30 days); seen fixed 1 Jul: 31 days late.
    expect(c.resolved[0]).toMatchObject({ fixedAt: '2026-07-01T00:00:00Z', ageDays: 61, dueDate: '2026-05-31', daysOverdue: 31 });
  });

  it('counts open findings of a removed endpoint and reports the median of an even count', () => {
    const d = data(
      { host: 'gone', points: [point('2026-06-01T00:00:00Z', { 'proto-tls10': 'fail:medium', 'proto-tls11': 'fail:medium', 'vuln-lucky13': 'warn:low' })] },
      { host: 'b', points: [point('2026-04-01T00:00:00Z', { x: 'fail:medium', y: 'fail:medium' }), point('2026-07-11T00:00:00Z', { y: 'fail:medium' }),
        point('2026-07-21T00:00:00Z', {})] },
    );
    const c = comparePeriods(d, { current: Q3 });
    expect(c.endpointsRemoved).toEqual([{ key: 'gone:25', label: 'gone port 25', lastSeen: '2026-06-01T00:00:00Z', openFindings: 3 }]);
    expect(c.remediation.timeToRemediate.find((t) => t.severity === 'medium')).toEqual({ severity: 'medium', resolved: 2, medianDays: 106, worstDays: 111 });
  });
});

describe('periods without data', () => {
  it('compares against an empty previous period: everything open is new', () => {
    const d = data({ host: 'a', points: [point('2026-08-01T00:00:00Z', { 'proto-tls10': 'fail:medium' })] });
    const c = comparePeriods(d, { current: Q3, previous: Q2 });
    expect(c.endpoints).toEqual({ current: 1, previous: 0 });
    expect(c.new.map((f) => f.findingId)).toEqual(['proto-tls10@a:25']);
    expect(c.endpointsAdded.map((e) => e.key)).toEqual(['a:25']);
  });

  it('keeps between 4 and 8 trend periods, dropping leading empty ones', () => {
    const d = data({ host: 'a', points: [point('2025-02-01T00:00:00Z', {}), point('2026-08-01T00:00:00Z', {})] });
    // 8 periods back from 2026-Q3 start at 2024-Q4, which has no data: dropped.
    expect(comparePeriods(d, { current: Q3 }).trend.map((t) => t.period.id)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    // Five asked for, none with data before 2026-Q3: trimmed to the minimum of four.
    expect(comparePeriods(d, { current: Q3, trendPeriods: 5 }).trend.map((t) => t.period.id)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(comparePeriods(d, { current: Q3, trendPeriods: 20 }).trend).toHaveLength(7);
    expect(comparePeriods(data(), { current: Q3, trendPeriods: 2 }).trend.map((t) => t.period.id)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
  });
});
