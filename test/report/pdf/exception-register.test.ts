/**
 * The exception register's approval cell puts the state colour on the date that makes the state:
 * the expiry of an expired or soon-expiring entry, the approval date of one approved after the
 * report date (whose expiry is not the problem).
 */
import { describe, expect, it } from 'vitest';
import { approvalCell } from '../../../src/report/pdf/sections/exception-register.js';
import { EXCEPTION_STATE_LABEL } from '../../../src/report/exceptions-text.js';
import { COLOR } from '../../../src/report/pdf/layout.js';
import type { ReportExceptionEntry } from '../../../src/model/exceptions.js';

const entry = (state: ReportExceptionEntry['state']): ReportExceptionEntry => ({
  id: 'EXC-1', match: { checks: ['proto-tls10'] }, justification: 'Partner relay.', compensatingControl: 'IP allow-list.',
  approver: { name: 'Jane Roe', role: 'CISO' }, approvedOn: '2027-01-10', ticket: 'RISK-1', expires: '2027-06-30',
  line: 3, state, matchedFindingIds: [],
} as ReportExceptionEntry);

function runs(state: ReportExceptionEntry['state']) {
  const cell = approvalCell(entry(state));
  if (typeof cell === 'string' || !('runs' in cell)) throw new Error('expected runs');
  const find = (re: RegExp) => cell.runs.find((r) => re.test(r.text));
  return { approved: find(/^approved /), expiry: find(/^(expires|expired on) /) };
}

describe('exception register: approval cell', () => {
  it('a not yet approved entry: its approval date in the state colour, said to be after the report date; its expiry in ink', () => {
    const r = runs('not-yet-approved');
    expect(r.approved).toMatchObject({ text: 'approved 2027-01-10, after the report date', color: EXCEPTION_STATE_LABEL['not-yet-approved'].color });
    expect(r.expiry).toMatchObject({ text: 'expires 2027-06-30', color: COLOR.ink });
  });

  it('an expired or soon-expiring entry: its expiry in the state colour; an active one in ink', () => {
    expect(runs('expired').expiry).toMatchObject({ text: 'expired on 2027-06-30', color: EXCEPTION_STATE_LABEL.expired.color });
    expect(runs('expiring-soon').expiry).toMatchObject({ color: EXCEPTION_STATE_LABEL['expiring-soon'].color });
    expect(runs('active').expiry).toMatchObject({ text: 'expires 2027-06-30', color: COLOR.ink });
    expect(runs('active').approved).toMatchObject({ text: 'approved 2027-01-10', color: COLOR.muted });
  });
});
