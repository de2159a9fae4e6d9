/**
 * Contents page. Page numbers are only known once everything is laid out, so the page is
 * reserved (and bookmarked) up front and filled in at the end from the contents register.
 * Entries are sections and frameworks; endpoints are reached through the bookmarks and the
 * linked endpoint table in Scope, which scale to thousands where a contents page cannot.
 * Tagged as a TOC of TOCI entries, each a Link, inside the Contents Sect kept open till then.
 */
import type { PdfContext } from '../context.js';
import { num } from '../format.js';
import { COLOR, TYPE } from '../layout.js';
import type { StructNode } from '../tags.js';
import { omittedSectionsLine } from '../../config.js';

const CONTENTS_DEST = 'sec-contents';

interface ContentsReservation {
  readonly pageIndex: number;
  /** The Contents Sect, left open for the entries. */
  readonly section: StructNode | undefined;
}

/** Adds the (still empty) contents page and returns where it is. */
export function reserveContents(ctx: PdfContext): ContentsReservation {
  ctx.newPage();
  ctx.heading(1, 'Contents', { dest: CONTENTS_DEST, outline: 'root' });
  return { pageIndex: ctx.pageIndex, section: ctx.tags.detachSection() };
}

export function drawContents(ctx: PdfContext, at: ContentsReservation): void {
  ctx.tags.flush();
  ctx.doc.switchToPage(at.pageIndex);
  ctx.resetGraphicsState();
  const omitted = omittedSectionsLine(ctx.model, ctx.config);
  const note = (y: number): void => {
    if (omitted === null) return;
    const h = ctx.measure(omitted, 'regular', TYPE.body, ctx.width);
    ctx.font('regular', TYPE.body, COLOR.muted);
    ctx.tags.with('P', {}, () => ctx.drawText(omitted, ctx.left, Math.min(y + 12, ctx.bottom - h), ctx.width, h));
  };
  if (at.section === undefined) {
    note(drawEntries(ctx));
    return;
  }
  ctx.tags.inside(at.section, () => {
    let y = 0;
    ctx.tags.with('TOC', {}, () => { y = drawEntries(ctx); });
    note(y);
  });
  ctx.tags.end(at.section);
}

/** Draws the entries; returns the y below the last one. */
function drawEntries(ctx: PdfContext): number {
  const { doc } = ctx;
  // Just below the heading drawn at reservation time.
  let y = ctx.top + 34;
  const rowH = 17;
  const maxRows = Math.floor((ctx.bottom - y) / rowH);
  const entries = ctx.contents;
  const shown = entries.length > maxRows ? entries.slice(0, maxRows - 1) : entries;
  for (const e of shown) {
    const indent = e.level === 1 ? 0 : 16;
    const font = e.level === 1 ? 'bold' : 'regular';
    const size = e.level === 1 ? 10 : TYPE.body;
    const page = num(e.pageIndex + 1);
    ctx.font('regular', size);
    const pageW = doc.widthOfString(page);
    const titleMax = ctx.width - indent - pageW - 30;
    // One line per entry: shorten rather than wrap so the leaders line up.
    const title = ctx.fitLine(e.title, font, size, titleMax);
    const titleW = doc.widthOfString(title);
    ctx.tags.with('TOCI', {}, () => {
      ctx.font(font, size, COLOR.ink);
      ctx.text(title, ctx.left + indent, y, { width: titleMax, goTo: e.dest });
      const dotsX = ctx.left + indent + titleW + 6;
      const dotsEnd = ctx.left + ctx.width - pageW - 6;
      if (dotsEnd > dotsX) {
        ctx.tags.artifact('Layout');
        doc.moveTo(dotsX, y + size * 0.85).lineTo(dotsEnd, y + size * 0.85)
          .dash(0.6, { space: 2.4 }).lineWidth(0.6).strokeColor(COLOR.faint).stroke().undash();
        ctx.resetGraphicsState();
      }
      ctx.font('regular', size, COLOR.ink);
      ctx.text(page, ctx.left + ctx.width - pageW, y, { width: pageW + 1, goTo: e.dest });
    });
    y += rowH;
  }
  if (shown.length < entries.length) {
    ctx.font('regular', TYPE.small, COLOR.muted);
    ctx.tags.with('P', {}, () => ctx.text(`… and ${num(entries.length - shown.length)} more entries: use the bookmarks panel.`, ctx.left, y, { width: ctx.width }));
    y += rowH;
  }
  return y;
}
