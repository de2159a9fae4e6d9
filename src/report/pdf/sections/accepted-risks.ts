/**
 * Accepted risks: every finding the organisation accepted under an exception, grouped by the
 * exception that accepts it, each with its evidence and the exception cited in full (approver,
 * approval date, ticket, expiry, justification, compensating control). Then what needs attention:
 * exceptions expiring within 30 days, exceptions that expired (their findings are open again) and
 * entries that match nothing. An accepted finding keeps its FAIL or WARN word: it is never a pass.
 */
import type { PdfContext, Run } from '../context.js';
import { date, findingText, num } from '../format.js';
import { COLOR, FINDING_STATUS_LABEL, TYPE } from '../layout.js';
import { bold, endpointRun, location, mono, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import {
  acceptanceSummary, acceptedGroups, acceptedStatusText, approverText, EXCEPTION_STATE_LABEL, EXPIRING_SOON_DAYS, lapsedFindings, matchText, NOT_YET_APPROVED_TEXT,
  type RegisterEntry,
} from '../../exceptions-text.js';
import { REGISTER_DEST } from './exception-register.js';

export const ACCEPTED_RISKS_DEST = 'sec-accepted-risks';

type Finding = PdfContext['model']['findings'][number];

export function drawAcceptedRisks(ctx: PdfContext): void {
  const { model } = ctx;
  const ex = model.exceptions;
  const root = ctx.heading(1, 'Accepted risks', { dest: ACCEPTED_RISKS_DEST, outline: 'root', contents: true });
  const outline = root !== undefined ? { outline: root } : {};
  ctx.paragraph(
    'Findings below failed or warned, and still do: their evidence is unchanged. The organisation accepted the risk of each under '
    + 'the exception cited, until its expiry date. They are not passes; the controls they affect say "risk accepted" instead of '
    + 'failing or warning. An exception applies up to and including its expiry date; after it, its findings count as open again.',
    { color: COLOR.muted },
  );
  ctx.runs([bold('Findings: '), { text: acceptanceSummary(model) }]);
  ctx.runs([bold('Exceptions file: '), ex.source === null ? muted('none applied', TYPE.body)
    : { text: `${ex.source.file}`, font: 'mono', size: TYPE.mono }, ...(ex.source === null ? [] : [muted(`  SHA-256 ${ex.source.sha256}`)]),
  muted(`  · judged on the report date, ${model.report.reportDate}; at most ${num(ex.maxMonths)} months between approval and expiry`)]);

  const groups = acceptedGroups(model);
  if (groups.length === 0) ctx.paragraph('No finding is accepted by an exception in force on the report date.');
  for (const g of groups) {
    const table = findingsTable(ctx, g.findings, () => []);
    ctx.heading(2, `${g.entry.id}: ${num(g.findings.length)} accepted finding${g.findings.length === 1 ? '' : 's'}`, { keepWith: 110, ...outline });
    drawCitation(ctx, g.entry);
    table.draw();
  }

  const soon = ex.entries.filter((e) => e.state === 'expiring-soon');
  if (soon.length > 0) {
    ctx.heading(2, `Expiring within ${EXPIRING_SOON_DAYS} days (${num(soon.length)})`, outline);
    ctx.paragraph('Renew with a new approval, or plan the fix: after the expiry date these findings count as open again.', { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
    entryList(ctx, soon, (e) => `expires ${date(e.expires)}; ${num(e.matchedFindingIds.length)} finding${e.matchedFindingIds.length === 1 ? '' : 's'}`);
  }

  const lapsed = lapsedFindings(model);
  const expired = ex.entries.filter((e) => e.state === 'expired');
  if (lapsed.length > 0 || expired.length > 0) {
    ctx.heading(2, `Expired exceptions (${num(expired.length)})`, outline);
    ctx.paragraph('These exceptions had expired by the report date, so they accept nothing: the findings they covered are open again and '
      + 'count against their controls as any other failure.', { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
    const reverted = (e: RegisterEntry) => lapsed.filter((f) => f.lapsedException?.exceptionId === e.id).length;
    entryList(ctx, expired, (e) => `expired on ${date(e.expires)}; ${reverted(e) === 0 ? 'matches no finding in this report'
      : `${num(reverted(e))} finding${reverted(e) === 1 ? '' : 's'} open again (below)`}`);
    if (lapsed.length > 0) {
      findingsTable(ctx, lapsed, (f) => [bold(`exception ${f.lapsedException!.exceptionId} expired on ${date(f.lapsedException!.expiredOn)}`, TYPE.small, FINDING_STATUS_LABEL.fail.color)], false).draw();
    }
  }

  const stale = ex.entries.filter((e) => e.state === 'stale');
  if (stale.length > 0) {
    ctx.heading(2, `Stale exceptions (${num(stale.length)})`, outline);
    ctx.paragraph('In force, but matching no finding of this report: the risk may be fixed, the match may be mistyped, or the '
      + 'endpoint was not scanned. Review each, then remove it or correct its match.', { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
    entryList(ctx, stale, (e) => `matches ${matchText(e.match)}; expires ${date(e.expires)}`);
  }

  const pending = ex.entries.filter((e) => e.state === 'not-yet-approved');
  if (pending.length > 0) {
    ctx.heading(2, `Not yet approved on the report date (${num(pending.length)})`, outline);
    ctx.paragraph(NOT_YET_APPROVED_TEXT, { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
    entryList(ctx, pending, (e) => `approved ${date(e.approvedOn)}; ${num(e.matchedFindingIds.length)} finding${e.matchedFindingIds.length === 1 ? '' : 's'} open`);
  }
  ctx.runs([muted('Every entry of the exceptions file, with its state, is in ', TYPE.small),
    { text: `the exception register (${ctx.appendixName(REGISTER_DEST, 'in the JSON report')})`, goTo: REGISTER_DEST, color: COLOR.link, size: TYPE.small }, muted('.', TYPE.small)]);
}

/** The exception, cited in full: who accepted what, why, what compensates, until when. */
function drawCitation(ctx: PdfContext, e: RegisterEntry): void {
  const state = EXCEPTION_STATE_LABEL[e.state];
  prepareTable(ctx, [{ header: '', weight: 24, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 76 }], [
    ['Exception', { runs: [{ text: `${e.id}  `, font: 'bold' }, { text: state.text, font: 'bold', color: state.color, size: TYPE.small }, ...(ctx.model.exceptions.source === null ? [] : [mono(`  ${location(ctx.model.exceptions.source.file, e.line)}`, TYPE.mono, COLOR.muted)])] }],
    ['Approved by', `${approverText(e)}, on ${date(e.approvedOn)}`],
    ['Ticket', e.ticket],
    ['Expires', { runs: [bold(date(e.expires), undefined, e.state === 'expiring-soon' ? state.color : COLOR.ink)] }],
    ['Justification', e.justification],
    ['Compensating control', e.compensatingControl],
    ['Matches', matchText(e.match)],
  ], { header: false, zebra: false, gapAfter: 4 }).draw();
}

/**
 * Findings with their status word (never PASS), severity, endpoint and evidence; `note` adds a
 * line to the status cell (the lapsed exception, for reverted findings).
 */
function findingsTable(ctx: PdfContext, findings: readonly Finding[], note: (f: Finding) => Run[], accepted = true): ReturnType<typeof prepareTable> {
  return prepareTable(ctx, [
    { header: 'Status', weight: 17 },
    { header: 'Finding', weight: 33 },
    { header: 'Endpoint', weight: 20 },
    { header: 'Evidence (kept)', weight: 30 },
  ], findings.map((f): Cell[] => {
    const ep = ctx.endpointsByKey.get(f.endpointKey);
    const status = FINDING_STATUS_LABEL[f.status];
    return [
      { runs: [bold(accepted ? acceptedStatusText(f) : status.text, TYPE.small, status.color), severityRun(f.severity, true, TYPE.small), ...note(f)] },
      { runs: [bold(f.title), { text: findingText(f), size: TYPE.small }, { text: f.checkId, font: 'mono', size: 6.5, color: COLOR.faint }] },
      { runs: [ep !== undefined ? endpointRun(ep, TYPE.small) : muted(f.endpointKey)] },
      { runs: f.evidence.length === 0 ? [muted('no evidence record')] : f.evidence.flatMap((ev): Run[] => [
        { text: ev.summary, size: TYPE.small }, mono(location(ev.source.file, ev.source.line), 6.5, COLOR.muted)]) },
    ];
  }));
}

function entryList(ctx: PdfContext, entries: readonly RegisterEntry[], detail: (e: RegisterEntry) => string): void {
  prepareTable(ctx, [
    { header: 'Exception', weight: 22 },
    { header: 'Approved by, ticket', weight: 34 },
    { header: 'State', weight: 44 },
  ], entries.map((e): Cell[] => [
    { runs: [bold(e.id), muted(`line ${num(e.line)}`)] },
    { runs: [{ text: approverText(e), size: TYPE.small }, muted(`approved ${date(e.approvedOn)} · ticket ${e.ticket}`)] },
    { runs: [bold(EXCEPTION_STATE_LABEL[e.state].text, TYPE.small, EXCEPTION_STATE_LABEL[e.state].color), { text: detail(e), size: TYPE.small }] },
  ])).draw();
}
