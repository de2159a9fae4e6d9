/**
 * A small table engine on top of pdfkit: proportional column widths, cells made of stacked text
 * runs (each with its own font and colour), wrapped text measured before drawing, zebra rows with
 * rule lines, column spans, and page breaks that repeat the header row. A row moves to the next
 * page whole, a short table moves whole, and a break leaves at least two rows on either side
 * (no heading over a lone row, no page with only a table's last row); only a row taller than half a page is split, cell by cell, at a word boundary when
 * one is near (moving such a row whole left half-empty pages behind it). Whitespace-free stretches wider than their cell (hashes, raw CSV records) are broken
 * after a separator, or between characters, before anything is measured.
 *
 * Tagged as Table → THead / TBody → TR → TH / TD (header cells with Scope Column, cells of a
 * `rowHeader` column TH with Scope Row). A header row repeated after a page break is a
 * Pagination artifact, and a split row stays one TR whose cells continue on the next page.
 */
import type { PdfContext, Run } from './context.js';
import { CELL, COLOR, SPACE, TYPE, type FontKey } from './layout.js';
import type { StructNode } from './tags.js';

/** A cell's content: one or more runs stacked vertically, optionally spanning columns. */
interface CellSpec {
  readonly runs: readonly Run[];
  readonly span?: number;
}
/** Room a splittable row needs to start on the current page (about four lines). */
const MIN_SPLIT_START = 60;
/**
 * A table that breaks leaves at least this many rows on each side of the break, so no page
 * carries a lone first row under its heading or only the last row of a table.
 */
const MIN_ROWS_PER_PAGE = 2;
/** Tables up to this height (about a quarter page) move to the next page whole rather than break. */
const SHORT_TABLE = 190;

export type Cell = string | Run | readonly Run[] | CellSpec;

export interface Column {
  readonly header: string;
  /** Relative width: columns share the table width in proportion to their weights. */
  readonly weight: number;
  readonly align?: 'left' | 'right' | 'center';
  /** Font for plain-string cells in this column. */
  readonly font?: FontKey;
  readonly color?: string;
  /** The column labels its row (the key of a key/value table): tagged TH with Scope Row. */
  readonly rowHeader?: boolean;
}

interface TableOptions {
  /** Draw (and repeat) the header row; key/value tables have none. */
  readonly header?: boolean;
  readonly zebra?: boolean;
  /** Default size for runs that do not set one. */
  readonly size?: number;
  readonly x?: number;
  readonly width?: number;
  /** Space after the table. */
  readonly gapAfter?: number;
  /**
   * Rows taller than this may be split where they start (default: half a page). Tables of long
   * prose rows lower it, so a row that does not fit splits instead of leaving a half-empty page.
   */
  readonly splitRowsAbove?: number;
  /** Space above and below each cell's text (lists of short items use less than the default). */
  readonly padY?: number;
  /**
   * Move the whole table to the next page rather than break it, when it fits on one page.
   * @default true for short tables (SHORT_TABLE), false otherwise
   */
  readonly keepTogether?: boolean;
  /**
   * Called with a row's index and the y where it starts, once it is placed on its page: for a
   * named destination or bookmark on the row (a control's row is the target of its links).
   */
  readonly onRowPlaced?: (index: number, y: number) => void;
}

interface LaidCell {
  readonly runs: readonly Run[];
  readonly x: number;
  readonly width: number;
  readonly align: 'left' | 'right' | 'center';
  /** Height of each run, measured once. */
  readonly heights: readonly number[];
  readonly col: number;
  readonly span: number;
}

interface LaidRow {
  readonly cells: readonly LaidCell[];
  readonly height: number;
}

interface PreparedTable {
  /** Header plus the first rows (capped at a page): what a heading above must keep with it. */
  readonly startHeight: number;
  /** Header plus every row: the table's height when drawn on one page. */
  readonly height: number;
  draw(): void;
}

function isRun(c: Cell): c is Run {
  return typeof c === 'object' && !Array.isArray(c) && 'text' in c;
}

function isSpec(c: Cell): c is CellSpec {
  return typeof c === 'object' && !Array.isArray(c) && 'runs' in c;
}

function sameStyle(a: Run, b: Run): boolean {
  return a.font === b.font && a.size === b.size && a.color === b.color
    && a.goTo === undefined && b.goTo === undefined && a.link === undefined && b.link === undefined;
}

/**
 * Adjacent runs with the same style become one run with a line break: one pdfkit text call
 * instead of several, which matters on tables with thousands of rows.
 */
function mergeRuns(runs: readonly Run[]): readonly Run[] {
  if (runs.length < 2) return runs;
  const out: Run[] = [];
  for (const r of runs) {
    if (r.text.length === 0) continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && sameStyle(prev, r)) out[out.length - 1] = { ...prev, text: `${prev.text}\n${r.text}` };
    else out.push(r);
  }
  return out;
}

function toRuns(c: Cell, col: Column | undefined): { runs: readonly Run[]; span: number } {
  if (typeof c === 'string') {
    return { runs: [{ text: c, ...(col?.font !== undefined ? { font: col.font } : {}), ...(col?.color !== undefined ? { color: col.color } : {}) }], span: 1 };
  }
  if (isSpec(c)) return { runs: mergeRuns(c.runs), span: Math.max(1, c.span ?? 1) };
  if (isRun(c)) return { runs: [c], span: 1 };
  return { runs: mergeRuns(c), span: 1 };
}

/** Measures every row up front (one pass), then draws; see the module comment for the rules. */
export function prepareTable(ctx: PdfContext, columns: readonly Column[], rows: readonly (readonly Cell[])[], opts: TableOptions = {}): PreparedTable {
  const x0 = opts.x ?? ctx.left;
  const tableWidth = opts.width ?? ctx.width;
  const size = opts.size ?? TYPE.table;
  const showHeader = opts.header ?? true;
  const zebra = opts.zebra ?? true;
  const padY = opts.padY ?? CELL.padY;
  const totalWeight = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (c.weight / totalWeight) * tableWidth);
  const xs: number[] = [];
  widths.reduce((x, w) => { xs.push(x); return x + w; }, x0);

  const runHeight = (r: Run, innerWidth: number): number => ctx.measure(r.text, r.font ?? 'regular', r.size ?? size, innerWidth);

  const layCell = (given: readonly Run[], col: number, span: number): LaidCell => {
    let width = 0;
    for (let i = col; i < Math.min(columns.length, col + span); i++) width += widths[i] ?? 0;
    const inner = width - 2 * CELL.padX;
    const runs = given.map((r) => {
      const text = ctx.breakLongWords(r.text, r.font ?? 'regular', r.size ?? size, inner);
      return text === r.text ? r : { ...r, text };
    });
    return { runs, x: xs[col] ?? x0, width, align: span > 1 ? 'left' : columns[col]?.align ?? 'left', heights: runs.map((r) => runHeight(r, inner)), col, span };
  };

  const cellHeight = (c: LaidCell): number => {
    let h = 0;
    c.heights.forEach((rh, i) => { if (rh > 0) h += rh + (i > 0 && h > 0 ? CELL.runGap : 0); });
    return h;
  };

  const layRow = (cells: readonly Cell[]): LaidRow => {
    const laid: LaidCell[] = [];
    let col = 0;
    for (const c of cells) {
      if (col >= columns.length) break;
      const { runs, span } = toRuns(c, columns[col]);
      laid.push(layCell(runs, col, span));
      col += span;
    }
    const height = Math.max(0, ...laid.map(cellHeight)) + 2 * padY;
    return { cells: laid, height: Math.max(height, ctx.lineHeight('regular', size) + 2 * padY) };
  };

  const header: LaidRow | null = showHeader
    ? layRow(columns.map((c) => ({ runs: [{ text: c.header, font: 'bold' as const, size: TYPE.tableHeader, color: COLOR.muted }] })))
    : null;
  const headerHeight = header?.height ?? 0;
  const laidRows = rows.map(layRow);
  const maxRow = ctx.bodyHeight - headerHeight;
  /** Rows taller than this may be split where they start; shorter ones move whole. */
  const splitAbove = Math.min(maxRow / 2, opts.splitRowsAbove ?? Infinity);
  const first = laidRows[0];
  const total = laidRows.reduce((h, r) => h + r.height, headerHeight);
  const keepTogether = opts.keepTogether ?? total <= SHORT_TABLE;
  /** With no row to split, page breaks are planned up front (see planBreaks). */
  const plannable = laidRows.every((r) => r.height <= splitAbove);
  const startHeight = keepTogether && total <= ctx.bodyHeight
    ? total
    // A splittable first row is split wherever it starts, so it needs only the header and a few
    // lines of room; asking for all of it left its heading alone on the page before.
    : (first?.height ?? 0) > splitAbove ? headerHeight + MIN_SPLIT_START
    // Otherwise the first rows a break must leave behind, so a heading never sits over one short
    // row; rows tall enough to fill a third of a page are content enough on their own.
    : ((two, one) => (plannable && two <= ctx.bodyHeight / 3 ? two : one))(
      laidRows.slice(0, MIN_ROWS_PER_PAGE).reduce((h, r) => h + r.height, headerHeight), headerHeight + (first?.height ?? 0));

  /**
   * Where rows go when no row needs splitting: simulates the breaks from the current position,
   * then moves rows forward from the page before a break until the page after it carries at
   * least MIN_ROWS_PER_PAGE rows. Returns the indexes of rows that start a page.
   */
  const planBreaks = (): Set<number> => {
    const starts: number[] = [0];
    let y = ctx.y + headerHeight;
    laidRows.forEach((r, i) => {
      if (i > 0 && y + r.height > ctx.bottom) { starts.push(i); y = ctx.top + headerHeight; }
      y += r.height;
    });
    const capacity = ctx.bodyHeight - headerHeight;
    for (let p = starts.length - 1; p >= 1; p--) {
      const end = p + 1 < starts.length ? starts[p + 1] ?? laidRows.length : laidRows.length;
      let start = starts[p] ?? 0;
      const before = starts[p - 1] ?? 0;
      let used = laidRows.slice(start, end).reduce((h, r) => h + r.height, 0);
      while (end - start < MIN_ROWS_PER_PAGE && start - before > MIN_ROWS_PER_PAGE) {
        const moved = laidRows[start - 1]?.height ?? 0;
        if (used + moved > capacity) break;
        start--;
        used += moved;
      }
      starts[p] = start;
    }
    return new Set(starts.slice(1));
  };

  /** Draws a row; `cells` are the structure elements of its cells (none for an artifact). */
  const drawCells = (row: LaidRow, y: number, fill: string | null, bottomRule: string, cells: readonly StructNode[] | null): void => {
    if (fill !== null) ctx.fillRect(x0, y, tableWidth, row.height, fill);
    row.cells.forEach((c, k) => {
      const drawRuns = (): void => {
        let cy = y + padY;
        let drawn = 0;
        // Stacked runs are separate lines ("PCI DSS" over "version 4.0.1"): each its own P in
        // the cell, or a reader would run them together.
        const stacked = cells !== null && c.heights.filter((h) => h > 0).length > 1;
        c.runs.forEach((r, i) => {
          const h = c.heights[i] ?? 0;
          if (h <= 0) return;
          if (drawn > 0) cy += CELL.runGap;
          ctx.font(r.font ?? 'regular', r.size ?? size, r.color ?? COLOR.ink);
          const at = cy;
          const draw = (): void => ctx.drawText(r.text, c.x + CELL.padX, at, c.width - 2 * CELL.padX, h, {
            align: c.align, ...(r.goTo !== undefined ? { goTo: r.goTo } : {}), ...(r.link !== undefined ? { link: r.link } : {}),
          });
          if (stacked) ctx.tags.with('P', {}, draw);
          else draw();
          cy += h;
          drawn++;
        });
      };
      const node = cells?.[k];
      if (node === undefined) drawRuns();
      else ctx.tags.inside(node, drawRuns);
    });
    ctx.line(x0, y + row.height, x0 + tableWidth, y + row.height, bottomRule);
  };

  /** Opens a TR with one TH or TD per cell of `row`; the caller ends them with `endRow`. */
  const startRow = (row: LaidRow, isHeader: boolean): StructNode[] => {
    ctx.tags.push('TR');
    return row.cells.map((c) => (isHeader ? ctx.tags.child('TH', { scope: 'Column' })
      : columns[c.col]?.rowHeader === true ? ctx.tags.child('TH', { scope: 'Row' }) : ctx.tags.child('TD')));
  };
  const endRow = (cells: readonly StructNode[]): void => {
    for (const n of cells) ctx.tags.end(n);
    ctx.tags.pop();
  };

  /** The header row: tagged the first time, a Pagination artifact when repeated after a page break. */
  const drawHeader = (repeat: boolean): void => {
    if (header === null) return;
    const y = ctx.y;
    if (repeat) {
      ctx.tags.asArtifact('Pagination', () => drawCells(header, y, COLOR.headerFill, COLOR.ruleStrong, null));
    } else {
      ctx.tags.with('THead', {}, () => {
        const cells = startRow(header, true);
        drawCells(header, y, COLOR.headerFill, COLOR.ruleStrong, cells);
        endRow(cells);
      });
    }
    ctx.y = y + header.height;
  };

  /**
   * Splits a row that cannot fit on any page: each cell keeps what fits in `avail` and passes
   * the rest on. Returns [head, tail]; tail is null when everything fitted.
   */
  const splitRow = (row: LaidRow, avail: number): [LaidRow, LaidRow | null] => {
    const inner = avail - 2 * padY;
    const heads: LaidCell[] = [];
    const tails: LaidCell[] = [];
    let anyTail = false;
    for (const c of row.cells) {
      const innerWidth = c.width - 2 * CELL.padX;
      const head: Run[] = [];
      let rest: Run[] = [];
      let used = 0;
      for (let i = 0; i < c.runs.length; i++) {
        const r = c.runs[i];
        if (r === undefined) continue;
        const h = c.heights[i] ?? 0;
        const gap = used > 0 ? CELL.runGap : 0;
        if (used + gap + h <= inner) { head.push(r); used += gap + h; continue; }
        const room = inner - used - gap;
        const [fit, remainder] = room > 0 ? cutText(r, room, innerWidth) : ['', r.text];
        if (fit.length > 0) head.push({ ...r, text: fit });
        rest = [...(remainder.length > 0 ? [{ ...r, text: remainder }] : []), ...c.runs.slice(i + 1)];
        break;
      }
      if (rest.length > 0) anyTail = true;
      heads.push(layCell(head, c.col, c.span));
      tails.push(layCell(rest, c.col, c.span));
    }
    const headRow: LaidRow = { cells: heads, height: avail };
    if (!anyTail) return [{ cells: heads, height: Math.max(0, ...heads.map(cellHeight)) + 2 * padY }, null];
    return [headRow, { cells: tails, height: Math.max(0, ...tails.map(cellHeight)) + 2 * padY }];
  };

  /** Longest prefix of the run's text that fits in `room` points, cut at a space when one is near. */
  const cutText = (r: Run, room: number, innerWidth: number): [string, string] => {
    const text = r.text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (runHeight({ ...r, text: text.slice(0, mid) }, innerWidth) <= room) lo = mid; else hi = mid - 1;
    }
    if (lo === 0) return ['', text];
    let cut = lo;
    if (cut < text.length) {
      const ws = Math.max(text.lastIndexOf(' ', cut), text.lastIndexOf('\n', cut));
      // Prefer a word boundary unless it would waste most of the last line.
      if (ws > cut - 40 && ws > 0) cut = ws;
    }
    return [text.slice(0, cut).trimEnd(), text.slice(cut).trimStart()];
  };

  const draw = (): void => {
    if (laidRows.length === 0) return;
    ctx.ensure(startHeight);
    const breaks = plannable ? planBreaks() : new Set<number>();
    ctx.tags.push('Table');
    drawHeader(false);
    if (header !== null) ctx.tags.push('TBody');
    laidRows.forEach((row0, index) => {
      let row: LaidRow | null = row0;
      const fill = zebra && index % 2 === 1 ? COLOR.zebra : null;
      // A split row keeps its cells' order, so the same elements take each part.
      const cells = startRow(row0, false);
      if (breaks.has(index) && !ctx.atPageTop) { ctx.newPage(); drawHeader(true); }
      // Told once, where the row's first part is drawn (after any page break moved it).
      let placed = false;
      const place = (): void => {
        if (!placed) opts.onRowPlaced?.(index, ctx.y);
        placed = true;
      };
      while (row !== null) {
        if (row.height <= ctx.remaining) {
          place();
          drawCells(row, ctx.y, fill, COLOR.rule, cells);
          ctx.y += row.height;
          row = null;
        } else if (row.height <= splitAbove || ctx.remaining < Math.max(MIN_SPLIT_START, 4 * ctx.lineHeight('regular', size))) {
          ctx.newPage();
          drawHeader(true);
        } else {
          const [head, tail] = splitRow(row, ctx.remaining);
          place();
          drawCells(head, ctx.y, fill, COLOR.rule, cells);
          ctx.y += head.height;
          row = tail;
          if (row !== null) { ctx.newPage(); drawHeader(true); }
        }
      }
      endRow(cells);
    });
    if (header !== null) ctx.tags.pop();
    ctx.tags.pop();
    ctx.y += opts.gapAfter ?? SPACE.afterTable;
  };

  return { startHeight, height: total, draw };
}
