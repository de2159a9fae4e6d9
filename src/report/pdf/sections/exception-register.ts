/**
 * The exception register appendix: every entry of the exceptions file the report applied, in
 * file order, with where it is (file:line), what it matches, who approved it and when, its ticket,
 * expiry, justification, compensating control, its state on the report date and how many findings
 * it accepts. Stale and expired entries are listed like the others: nothing is silently dropped.
 */
import type { PdfContext } from '../context.js';
import type { ReportExceptionEntry } from '../../../model/exceptions.js';
import { date, num } from '../format.js';
import { COLOR, TYPE } from '../layout.js';
import { bold, muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { approverText, EXCEPTION_STATE_LABEL, matchText } from '../../exceptions-text.js';

export const REGISTER_DEST = 'sec-exception-register';

export function drawExceptionRegister(ctx: PdfContext): void {
  const ex = ctx.model.exceptions;
  // Lettered in the order the appendices are drawn (a hard-coded "C" was wrong whenever the
  // configuration left an earlier appendix out), and run on from the previous appendix when a
  // third of the page is left instead of always starting a page.
  ctx.sectionHeading('Exception register', { dest: REGISTER_DEST });
  if (ex.source === null && ex.entries.length === 0) {
    ctx.paragraph('No exceptions file was applied: no finding is accepted as risk.');
    return;
  }
  const file = ex.source?.file;
  ctx.paragraph(`${num(ex.entries.length)} entr${ex.entries.length === 1 ? 'y' : 'ies'} in ${file ?? 'the exceptions file'}`
    + `${ex.source === null ? '' : ` (SHA-256 ${ex.source.sha256})`}, as read for this report and judged on its date, ${ctx.model.report.reportDate}. `
    + 'The evidence store keeps this content with the run, so the report can be regenerated with the exceptions in force then.', { color: COLOR.muted });
  if (ex.entries.length === 0) return;
  prepareTable(ctx, [
    { header: 'Exception, state', weight: 19 },
    { header: 'Matches', weight: 20 },
    { header: 'Justification; compensating control', weight: 35 },
    { header: 'Approval, ticket, expiry', weight: 26 },
  ], ex.entries.map((e): Cell[] => {
    const state = EXCEPTION_STATE_LABEL[e.state];
    const n = e.matchedFindingIds.length;
    return [
      { runs: [bold(e.id), bold(state.text, TYPE.small, state.color), muted(`line ${num(e.line)}`)] },
      { runs: [{ text: matchText(e.match), size: TYPE.small }, muted(`${num(n)} finding${n === 1 ? '' : 's'} ${e.state === 'expired' ? 'no longer accepted' : e.state === 'not-yet-approved' ? 'not accepted yet' : 'accepted'}`)] },
      { runs: [{ text: e.justification, size: TYPE.small }, { text: `Compensating control: ${e.compensatingControl}`, size: TYPE.small, color: COLOR.muted }] },
      approvalCell(e),
    ];
  })).draw();
}

/**
 * Approver, approval date, ticket and expiry. The state colour goes on the date that makes the
 * state: the expiry for an expired or soon-expiring entry, the approval date for one approved
 * after the report date (its expiry is not the problem, and red on it would say it had lapsed).
 */
export function approvalCell(e: ReportExceptionEntry): Cell {
  const state = EXCEPTION_STATE_LABEL[e.state];
  const pending = e.state === 'not-yet-approved';
  const expiryCoded = e.state === 'expired' || e.state === 'expiring-soon';
  return {
    runs: [{ text: approverText(e), size: TYPE.small },
      pending ? bold(`approved ${date(e.approvedOn)}, after the report date`, TYPE.small, state.color) : muted(`approved ${date(e.approvedOn)}`),
      muted(`ticket ${e.ticket}`),
      bold(`${e.state === 'expired' ? 'expired on' : 'expires'} ${date(e.expires)}`, TYPE.small, expiryCoded ? state.color : COLOR.ink)],
  };
}
