/**
 * Sign-off page: the closing text from report.config.yaml, then one block per responsibility
 * (prepared, reviewed, approved by) with name and role from the config and lines for the date
 * and signature. Names left open in the config print as blank lines to fill in by hand.
 */
import { paragraphs, renderTextBlock, signOffRows } from '../../config.js';
import type { PdfContext } from '../context.js';
import { COLOR, TYPE } from '../layout.js';

export const SIGNOFF_DEST = 'sec-signoff';

const BLOCK_HEIGHT = 92;

export function drawSignOff(ctx: PdfContext): void {
  const { doc, model, config } = ctx;
  ctx.sectionHeading('Sign-off', { dest: SIGNOFF_DEST });
  const closing = renderTextBlock(model, config, 'closing');
  if (closing !== undefined) for (const p of paragraphs(closing)) ctx.paragraph(p);
  ctx.paragraph(`By signing, each person confirms their part in preparing, reviewing or approving report ${model.report.id}.`, { color: COLOR.muted, gapAfter: 14 });

  const colW = (ctx.width - 24) / 2;
  for (const row of signOffRows(config)) {
    ctx.ensure(BLOCK_HEIGHT);
    const top = ctx.y;
    ctx.font('bold', TYPE.h3, ctx.accent);
    ctx.tags.with('P', {}, () => ctx.text(row.label, ctx.left, top, { width: ctx.width }));
    const fields: [string, string, number, number][] = [
      ['Name', row.name, ctx.left, top + 20],
      ['Role', row.role, ctx.left + colW + 24, top + 20],
      ['Date', '', ctx.left, top + 54],
      ['Signature', '', ctx.left + colW + 24, top + 54],
    ];
    for (const [label, value, x, y] of fields) {
      // One paragraph per field, the value (when printed) before its caption, as drawn.
      ctx.tags.with('P', {}, () => {
        if (value !== '') {
          ctx.font('regular', TYPE.body + 1, COLOR.ink);
          ctx.text(ctx.fitLine(value, 'regular', TYPE.body + 1, colW), x, y, { width: colW });
        }
        ctx.line(x, y + 14, x + colW, y + 14, COLOR.ruleStrong, 0.6);
        ctx.font('regular', TYPE.small, COLOR.muted);
        ctx.text(label, x, y + 17, { width: colW });
      });
    }
    ctx.y = top + BLOCK_HEIGHT;
  }
  doc.x = ctx.left;
}
