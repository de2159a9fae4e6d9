/**
 * In the history section: the exception register's changes since the previous period (entries
 * added, expired, removed, changed terms), from the exceptions files the store kept with each
 * period's run. Nothing is drawn when neither period applied an exceptions file.
 */
import type { ReportModel } from '../../../model/report-model.js';
import type { OutlineItem, PdfContext } from '../context.js';
import { COLOR, FINDING_STATUS_LABEL, TYPE } from '../layout.js';
import { bold } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { exceptionChangeRows, type ExceptionChangeRow } from '../../exceptions-text.js';

const TONE: Readonly<Record<ExceptionChangeRow['change'], string>> = {
  added: COLOR.accent, approved: COLOR.accent, expired: FINDING_STATUS_LABEL.fail.color, removed: COLOR.muted, changed: FINDING_STATUS_LABEL.warn.color,
};

export function drawExceptionChanges(ctx: PdfContext, h: NonNullable<ReportModel['history']>, root: OutlineItem | undefined): void {
  const rows = exceptionChangeRows(h);
  if (rows === null) return;
  const outline = root !== undefined ? { outline: root } : {};
  if (rows.length === 0) {
    ctx.heading(2, 'Exception register', { keepWith: 30, ...outline });
    ctx.paragraph(`No exception was added, expired, removed or changed since ${h.previousPeriod.label}.`, { size: TYPE.small, color: COLOR.muted });
  } else {
    const t = prepareTable(ctx, [{ header: 'Change', weight: 13 }, { header: 'Exception', weight: 22 }, { header: 'What', weight: 65 }],
      rows.map((r): Cell[] => [bold(r.label.toUpperCase(), TYPE.small, TONE[r.change]), bold(r.id), r.detail]));
    ctx.heading(2, `Exception register changes (${rows.length})`, { keepWith: t.startHeight + 16, ...outline });
    ctx.paragraph(`Each period's register is the exceptions file kept with its last report run, judged on that report's date.`, { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
    t.draw();
  }
  for (const n of h.exceptions?.notes ?? []) ctx.paragraph(n, { size: TYPE.small, color: COLOR.muted });
}
