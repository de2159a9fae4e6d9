/**
 * A notice: a short statement the reader must not miss (a coverage gap), in a tinted box with a
 * coloured bar and a bold lead word, so the meaning never rests on colour alone. Drawn whole on
 * one page at the cursor.
 */
import type { PdfContext } from './context.js';
import { COLOR, TYPE } from './layout.js';

const PAD = 5;
const BAR = 3.5;
const WARN_INK = '#a15c07';
const WARN_FILL = '#fdf6e7';

export function drawNotice(ctx: PdfContext, lead: string, text: string, opts: { size?: number } = {}): void {
  const size = opts.size ?? TYPE.body;
  const width = ctx.width - 2 * PAD - BAR;
  const full = `${lead}: ${text}`;
  const h = ctx.measure(full, 'bold', size, width) + 2 * PAD;
  ctx.ensure(h + 6);
  const y = ctx.y;
  ctx.fillRect(ctx.left, y, ctx.width, h, WARN_FILL);
  ctx.fillRect(ctx.left, y, BAR, h, WARN_INK);
  ctx.tags.with('P', {}, () => {
    ctx.font('bold', size, WARN_INK);
    ctx.drawText(full, ctx.left + BAR + PAD, y + PAD, width, h - 2 * PAD);
  });
  ctx.font('regular', size, COLOR.ink);
  ctx.y = y + h + 6;
}

