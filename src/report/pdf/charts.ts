/**
 * Vector charts for the PDF summary, drawn with pdfkit paths (no raster images): horizontal bar
 * charts (findings by severity, endpoints by worst finding) side by side, and one 100 %-stacked
 * bar of control statuses per framework. Every bar carries its number and label in text, so the
 * meaning never rests on colour alone and the values read back with text extraction. Each chart
 * is tagged as a Figure whose alternate text states the data ("Findings by severity: 2 critical,
 * 5 high, …"), so it reads the same to a screen reader.
 */
import type { PdfContext } from './context.js';
import { num } from './format.js';
import { COLOR, TYPE } from './layout.js';

interface ChartBar { readonly label: string; readonly count: number; readonly color: string }

const ROW = 15;
const TITLE = 16;
const BAR_H = 8;

/** Two bar charts next to each other; each scales to its own largest count. */
export function drawBarChartPair(ctx: PdfContext, charts: readonly [{ title: string; bars: readonly ChartBar[] }, { title: string; bars: readonly ChartBar[] }]): void {
  const gap = 24;
  const w = (ctx.width - gap) / 2;
  const rows = Math.max(...charts.map((c) => c.bars.length));
  const h = TITLE + rows * ROW + 6;
  ctx.ensure(h + 8);
  const top = ctx.y + 4;
  charts.forEach((chart, i) => ctx.figure(barChartAlt(chart.title, chart.bars),
    () => drawBarChart(ctx, chart.title, chart.bars, ctx.left + i * (w + gap), top, w)));
  ctx.y = top + h;
}

/** "Title: 2 critical, 5 high, 0 medium": every bar's count and label, in drawing order. */
function countsText(bars: readonly ChartBar[]): string {
  return bars.map((b) => `${num(b.count)} ${b.label.toLowerCase()}`).join(', ');
}

function barChartAlt(title: string, bars: readonly ChartBar[]): string {
  return `${title}: ${countsText(bars)}.`;
}

function stackedBarsAlt(title: string, rows: readonly StackRow[]): string {
  return `${title}: ${rows.map((r) => `${r.label}: ${countsText(r.segments)}`).join('; ')}.`;
}

function drawBarChart(ctx: PdfContext, title: string, bars: readonly ChartBar[], x: number, y: number, w: number): void {
  ctx.font('bold', TYPE.body, COLOR.ink);
  ctx.text(ctx.fitLine(title, 'bold', TYPE.body, w), x, y, { width: w });
  const labelW = 58;
  const countW = 34;
  const barW = w - labelW - countW;
  const max = Math.max(1, ...bars.map((b) => b.count));
  bars.forEach((b, i) => {
    const ry = y + TITLE + i * ROW;
    ctx.font('bold', TYPE.small, b.count > 0 ? b.color : COLOR.faint);
    ctx.text(b.label, x, ry, { width: labelW });
    ctx.fillRect(x + labelW, ry + 1, barW, BAR_H, COLOR.zebra);
    if (b.count > 0) ctx.fillRect(x + labelW, ry + 1, Math.max(1.5, (b.count / max) * barW), BAR_H, b.color);
    ctx.font('regular', TYPE.small, b.count > 0 ? COLOR.ink : COLOR.faint);
    ctx.text(num(b.count), x + labelW + barW, ry, { width: countW, align: 'right' });
  });
}

interface StackRow { readonly label: string; readonly segments: readonly ChartBar[] }

/**
 * One stacked bar per row with a legend underneath: 100 %-stacked by default (controls by status
 * per framework), or `absolute`, where bar lengths compare totals across rows (a trend over periods).
 */
export function drawStackedBars(ctx: PdfContext, title: string, rows: readonly StackRow[], scale: 'share' | 'absolute' = 'share'): void {
  const legend = rows[0]?.segments ?? [];
  // A long title wraps, and the bars start below its last line.
  const titleH = Math.max(TITLE, ctx.measure(title, 'bold', TYPE.body, ctx.width) + 4);
  const h = titleH + rows.length * (ROW + 2) + (legend.length > 0 ? ROW : 0) + 4;
  ctx.ensure(h + 8);
  const top = ctx.y + 4;
  ctx.figure(stackedBarsAlt(title, rows), () => drawStack(ctx, title, titleH, rows, scale, top));
  ctx.y = top + h;
}

function drawStack(ctx: PdfContext, title: string, titleH: number, rows: readonly StackRow[], scale: 'share' | 'absolute', top: number): void {
  const { doc } = ctx;
  const labelW = ctx.width * 0.32;
  const barW = ctx.width - labelW;
  const legend = rows[0]?.segments ?? [];
  const maxTotal = Math.max(1, ...rows.map((r) => r.segments.reduce((n, seg) => n + seg.count, 0)));
  ctx.font('bold', TYPE.body, COLOR.ink);
  ctx.drawText(title, ctx.left, top, ctx.width, titleH - 4);
  rows.forEach((r, i) => {
    const ry = top + titleH + i * (ROW + 2);
    ctx.font('regular', TYPE.small, COLOR.ink);
    ctx.text(ctx.fitLine(r.label, 'regular', TYPE.small, labelW - 8), ctx.left, ry, { width: labelW - 8 });
    const total = r.segments.reduce((n, s) => n + s.count, 0);
    let x = ctx.left + labelW;
    if (total === 0) {
      ctx.fillRect(x, ry, barW, BAR_H + 2, COLOR.zebra);
      return;
    }
    for (const s of r.segments) {
      if (s.count === 0) continue;
      const sw = (s.count / (scale === 'absolute' ? maxTotal : total)) * barW;
      ctx.fillRect(x, ry, sw, BAR_H + 2, s.color);
      // The count inside the segment when it fits, in white on the status colour.
      const text = num(s.count);
      ctx.font('bold', 6.5, '#ffffff');
      if (doc.widthOfString(text) + 4 <= sw) ctx.text(text, x, ry + 1.6, { width: sw, align: 'center' });
      x += sw;
    }
  });
  // Under the bars when the legend fits there, else moved left so it never runs past the margin.
  ctx.font('regular', TYPE.small, COLOR.muted);
  const legendW = legend.reduce((w, s) => w + 24 + doc.widthOfString(s.label), 0) - 14;
  let lx = Math.max(ctx.left, Math.min(ctx.left + labelW, ctx.left + ctx.width - legendW));
  const ly = top + titleH + rows.length * (ROW + 2) + 2;
  for (const s of legend) {
    ctx.fillRect(lx, ly + 1, 7, 7, s.color);
    ctx.font('regular', TYPE.small, COLOR.muted);
    ctx.text(s.label, lx + 10, ly);
    lx += 10 + doc.widthOfString(s.label) + 14;
  }
}
