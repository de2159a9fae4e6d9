/**
 * Exception register changes between two periods (tlsproof diff): added, expired (lapsed between
 * the two report dates, still listed or removed after lapsing), removed, changed terms; and the
 * run that speaks for a period.
 */
import { describe, expect, it } from 'vitest';
import { compareExceptions, lapsedOn, runForPeriod, type ExceptionSnapshot } from '../../src/history/exceptions.js';
import type { ExceptionEntry } from '../../src/model/exceptions.js';

function entry(id: string, expires: string, extra: Partial<ExceptionEntry> = {}): ExceptionEntry {
  return {
    id, match: { checks: ['proto-tls10'], hosts: ['relay.partner.example'] }, justification: 'Partner relay needs TLS 1.0 until its upgrade.',
    compensatingControl: 'IP allow-list and DMARC reject on the partner domain.', approver: { name: 'Jane Roe', role: 'CISO' },
    approvedOn: '2026-04-01', ticket: 'RISK-1', expires, ...extra,
  } as ExceptionEntry;
}

const snap = (runSeq: number, reportDate: string, entries: ExceptionEntry[]): ExceptionSnapshot => ({
  runSeq, reportDate, source: { file: 'exceptions.yaml', sha256: `${runSeq}`.padStart(64, '0') }, entries,
});

describe('compareExceptions', () => {
  const q2 = snap(1, '2026-07-01', [entry('EXC-1', '2026-08-15'), entry('EXC-2', '2027-01-31'), entry('EXC-3', '2026-12-31'), entry('EXC-OLD', '2026-05-01')]);
  const q3 = snap(2, '2026-10-01', [entry('EXC-1', '2026-08-15'), entry('EXC-3', '2027-03-31', { ticket: 'RISK-3b' }), entry('EXC-4', '2027-02-28')]);
  const c = compareExceptions(q2, q3);

  it('lists entries new in the later register as added', () => {
    expect(c.added.map((e) => e.id)).toEqual(['EXC-4']);
    expect(c.added[0]).toMatchObject({ expires: '2027-02-28', approver: 'Jane Roe (CISO)', ticket: 'RISK-1', lapsed: false });
  });

  it('lists entries that applied then and lapsed by the later report date as expired', () => {
    expect(c.expired).toEqual([expect.objectContaining({ id: 'EXC-1', expiredOn: '2026-08-15', stillListed: true })]);
  });

  it('lists entries gone from the later register as removed, saying when one had lapsed already', () => {
    expect(c.removed.map((e) => [e.id, e.alreadyLapsed])).toEqual([['EXC-2', false], ['EXC-OLD', true]]);
  });

  it('lists changed terms (an expiry pushed back, a new ticket) old → new', () => {
    expect(c.changed).toHaveLength(1);
    expect(c.changed[0]!.id).toBe('EXC-3');
    expect(c.changed[0]!.fields).toEqual([{ field: 'expires', from: '2026-12-31', to: '2027-03-31' }, { field: 'ticket', from: 'RISK-1', to: 'RISK-3b' }]);
  });

  it('counts an entry removed after its expiry date as expired in the period, not as removed', () => {
    const r = compareExceptions(snap(1, '2026-07-01', [entry('EXC-1', '2026-08-15')]), snap(2, '2026-10-01', []));
    expect(r.expired).toEqual([expect.objectContaining({ id: 'EXC-1', stillListed: false })]);
    expect(r.removed).toEqual([]);
  });

  it('keeps an entry on its expiry date (the last day it applies) and lapses it the day after', () => {
    expect(lapsedOn({ expires: '2026-10-01' }, '2026-10-01')).toBe(false);
    expect(lapsedOn({ expires: '2026-10-01' }, '2026-10-02')).toBe(true);
    const onTheDay = compareExceptions(snap(1, '2026-07-01', [entry('E', '2026-10-01')]), snap(2, '2026-10-01', [entry('E', '2026-10-01')]));
    expect(onTheDay.expired).toEqual([]);
    const dayAfter = compareExceptions(snap(1, '2026-07-01', [entry('E', '2026-10-01')]), snap(2, '2026-10-02', [entry('E', '2026-10-01')]));
    expect(dayAfter.expired.map((e) => e.id)).toEqual(['E']);
  });

  it('marks an entry approved after the later report date as pending, and one approved between the two reports as approved since', () => {
    const r = compareExceptions(
      snap(1, '2026-07-01', [entry('EXC-P', '2027-01-31', { approvedOn: '2026-08-01' }), entry('EXC-1', '2027-01-31')]),
      snap(2, '2026-10-01', [entry('EXC-P', '2027-01-31', { approvedOn: '2026-08-01' }), entry('EXC-1', '2027-01-31'),
        entry('EXC-N', '2027-03-31', { approvedOn: '2026-10-02' }), entry('EXC-D', '2027-03-31', { approvedOn: '2026-10-01' })]));
    expect(r.added.map((e) => [e.id, e.pendingApproval])).toEqual([['EXC-D', null], ['EXC-N', '2026-10-02']]);
    expect(r.approved.map((e) => [e.id, e.approvedOn])).toEqual([['EXC-P', '2026-08-01']]);
    expect(r.changed).toEqual([]);
    const later = compareExceptions(snap(1, '2026-07-01', [entry('EXC-1', '2027-01-31')]),
      snap(2, '2026-10-01', [entry('EXC-1', '2027-02-28', { approvedOn: '2026-11-01' })]));
    expect(later.changed.map((e) => [e.id, e.pendingApproval])).toEqual([['EXC-1', '2026-11-01']]);
  });

  it('says so when a period has no run, and never invents removals', () => {
    const none = compareExceptions(q2, undefined);
    expect(none.removed).toEqual([]);
    expect(none.notes.join(' ')).toMatch(/No run was recorded for the later period/);
    const first = compareExceptions(undefined, q3);
    expect(first.added.map((e) => e.id)).toEqual(['EXC-1', 'EXC-3', 'EXC-4']);
    expect(first.added.find((e) => e.id === 'EXC-1')!.lapsed).toBe(true);
  });
});

describe('runForPeriod', () => {
  const q3 = { start: '2026-07-01', end: '2026-09-30' };
  it('takes the last recorded run made for the period, or without a period observed in it', () => {
    const runs = [
      { seq: 1, reportDate: '2026-07-02', period: null, observedTo: '2026-07-01T10:00:00Z' },
      { seq: 2, reportDate: '2026-10-01', period: { start: '2026-07-01', end: '2026-09-30' }, observedTo: '2026-09-29T10:00:00Z' },
      { seq: 3, reportDate: '2026-10-05', period: null, observedTo: '2026-10-04T10:00:00Z' },
      { seq: 4, reportDate: '2026-09-01', period: null, observedTo: '2026-08-31T10:00:00Z' },
    ];
    expect(runForPeriod(runs, q3)?.seq).toBe(4);
    expect(runForPeriod(runs.slice(0, 3), q3)?.seq).toBe(2);
    expect(runForPeriod(runs, { start: '2026-04-01', end: '2026-06-30' })).toBeUndefined();
  });
});
