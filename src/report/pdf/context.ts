/**
 * The drawing context every PDF section receives: the pdfkit document, the ReportModel with the
 * lookup maps built once per render (so no section does a linear search per row), and the few
 * primitives sections compose: headings with keep-with-next, paragraphs, inline label runs,
 * bookmarks, named destinations and the contents register. The primitives also tag what they
 * draw (tags.ts): headings as H1–H3 in one Sect per level-1 heading, paragraphs and runs as P,
 * links as Link, rules and fills as Layout artifacts.
 */
import { EMPTY_CONFIG } from '../../config/load.js';
import type { ReportConfig } from '../../config/schema.js';
import type { EndpointSummary, ReportFinding, ReportModel } from '../../model/report-model.js';
import {
  COLOR, CONTENT_WIDTH, MARGIN, PAGE, SPACE, TYPE, type FontKey, type Label,
} from './layout.js';
import { num } from './format.js';
import { Tagger } from './tags.js';
import { streamChunks } from './pdfkit-internals.js';

type Doc = PDFKit.PDFDocument;
export type OutlineItem = PDFKit.PDFOutline;

/**
 * pdfkit 0.20 accepts `top`/`left` for outline destinations, but @types/pdfkit only declares
 * `expanded`. pdfkit computes left as `pageWidth - left`, so passing the page width yields 0.
 */
interface OutlineOptions { expanded?: boolean; top?: number; left?: number }

/** A piece of inline text with its own font and colour. */
export interface Run {
  readonly text: string;
  readonly font?: FontKey;
  readonly size?: number;
  readonly color?: string;
  /** Named destination inside the document. */
  readonly goTo?: string;
  /** External URL. */
  readonly link?: string;
}

interface ContentsEntry {
  readonly level: 1 | 2;
  readonly title: string;
  readonly dest: string;
  readonly pageIndex: number;
}

interface HeadingOptions {
  /** Space that must fit below the heading on the same page (default: a few body lines). */
  readonly keepWith?: number;
  /** Named destination for links and the contents page. */
  readonly dest?: string;
  /** Add a bookmark under this parent (or at the top level with 'root'). */
  readonly outline?: OutlineItem | 'root';
  /** Bookmark text when it should differ from the heading. */
  readonly outlineTitle?: string;
  /** List on the contents page. */
  readonly contents?: boolean;
  /** Draw a tinted band behind the heading (endpoint and framework headings). */
  readonly band?: boolean;
  /**
   * Level 1 only: start on the current page when this much room is left below the heading
   * (reference appendices run on); by default a level-1 heading always starts a page.
   */
  readonly continueWith?: number;
}

export class PdfContext {
  readonly doc: Doc;
  readonly model: ReportModel;
  /** report.config.yaml (or the built-in defaults). */
  readonly config: ReportConfig;
  /** Headings and the cover band: the configured accent colour or the built-in one. */
  readonly accent: string;
  readonly findingsById: ReadonlyMap<string, ReportFinding>;
  readonly endpointsByKey: ReadonlyMap<string, EndpointSummary>;
  readonly contents: ContentsEntry[] = [];
  /** The structure tree being built; see tags.ts. */
  readonly tags: Tagger;
  /** Destinations declared before drawing; links are only drawn to these. */
  private readonly planned = new Set<string>();
  private readonly placed = new Set<string>();

  /**
   * Fonts are selected by file path, not by registered name: pdfkit caches a registered name
   * only when the font is new, so a name registered for an already-loaded file (the default
   * font) would re-parse the TTF on every switch.
   */
  private readonly fonts: Readonly<Record<FontKey, string>>;

  /** Colour and line state last written to the current page, to skip redundant operators. */
  private fillState = '';
  private strokeState = '';
  private lineWidthState = -1;
  private readonly measureCache = new Map<string, number>();
  private readonly charWidthCache = new Map<string, Map<string, number>>();
  private lastPage: PDFKit.PDFPage | undefined;

  constructor(doc: Doc, model: ReportModel, fonts: Readonly<Record<FontKey, string>>, config: ReportConfig = EMPTY_CONFIG, tagged = true) {
    this.doc = doc;
    this.model = model;
    this.config = config;
    this.accent = config.colours.accent ?? COLOR.accent;
    this.fonts = fonts;
    this.tags = new Tagger(doc, tagged);
    this.lastPage = doc.page;
    // Also fires for pages pdfkit adds itself when a long paragraph flows over.
    doc.on('pageAdded', () => {
      if (this.lastPage !== undefined) compactContent(this.lastPage.content, 1);
      this.lastPage = doc.page;
      // A new page starts in the default graphics state; text pdfkit flows onto it keeps its colour.
      const fill = this.fillState;
      this.resetGraphicsState();
      if (fill !== '') this.fill(fill);
    });
    this.findingsById = new Map(model.findings.map((f) => [f.id, f]));
    this.endpointsByKey = new Map(model.scope.endpoints.map((e) => [e.key, e]));
  }

  /** Appendix letters by section destination, in the order the appendices are drawn. */
  private readonly appendixLetters = new Map<string, string>();

  letterAppendices(dests: readonly string[]): void {
    dests.forEach((d, i) => this.appendixLetters.set(d, String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '')));
  }

  /**
   * "Appendix B" for the appendix whose heading places `dest`, or `otherwise` when the
   * configuration left that section out: cross-references never name a missing appendix.
   */
  appendixName(dest: string, otherwise: string): string {
    const letter = this.appendixLetters.get(dest);
    return letter === undefined ? otherwise : `Appendix ${letter}`;
  }

  /**
   * A section's level-1 heading. An appendix is titled "Appendix X: title" and runs on from the
   * previous section when at least a third of the page is left.
   */
  sectionHeading(title: string, opts: HeadingOptions & { dest: string }): OutlineItem | undefined {
    const letter = this.appendixLetters.get(opts.dest);
    const text = letter === undefined ? title : `Appendix ${letter}: ${title}`;
    return this.heading(1, text, {
      outline: 'root', contents: true, ...(letter !== undefined ? { continueWith: this.bodyHeight / 3 } : {}), ...opts,
    });
  }

  planDestinations(names: Iterable<string>): void {
    for (const n of names) this.planned.add(n);
  }

  canLink(dest: string): boolean {
    return this.planned.has(dest);
  }

  /** A planned destination that was never placed would leave dead links: a renderer bug. */
  assertDestinationsPlaced(): void {
    for (const n of this.planned) {
      if (!this.placed.has(n)) throw new Error(`PDF renderer bug: destination "${n}" is linked but was never placed`);
    }
  }

  get left(): number { return MARGIN.left; }
  get width(): number { return CONTENT_WIDTH; }
  get top(): number { return MARGIN.top; }
  get bottom(): number { return PAGE.height - MARGIN.bottom; }
  get y(): number { return this.doc.y; }
  set y(v: number) { this.doc.y = v; }
  get remaining(): number { return this.bottom - this.doc.y; }
  /** Usable height of an empty page. */
  get bodyHeight(): number { return this.bottom - this.top; }
  get pageIndex(): number {
    const r = this.doc.bufferedPageRange();
    return r.start + r.count - 1;
  }
  get atPageTop(): boolean { return this.doc.y <= this.top + 0.5; }

  newPage(): void {
    this.tags.flush();
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.top;
  }

  /** Starts a new page unless `h` points still fit; returns true when it broke the page. */
  ensure(h: number): boolean {
    if (this.atPageTop || this.doc.y + h <= this.bottom) return false;
    this.newPage();
    return true;
  }

  font(font: FontKey, size: number, color: string = COLOR.ink): this {
    this.doc.font(this.fonts[font]).fontSize(size);
    this.fill(color);
    return this;
  }

  /** Sets the fill colour unless it is already current (one fewer operator per text run). */
  fill(color: string): void {
    if (color === this.fillState) return;
    this.doc.fillColor(color);
    this.fillState = color;
  }

  /** A filled rectangle: decoration (a Layout artifact) unless drawn inside a Figure. */
  fillRect(x: number, y: number, w: number, h: number, color: string): void {
    this.tags.artifact('Layout');
    this.fill(color);
    this.doc.rect(x, y, w, h).fill();
  }

  /** A hairline from (x1, y1) to (x2, y2). */
  line(x1: number, y1: number, x2: number, y2: number, color: string, width = 0.5): void {
    this.tags.artifact('Layout');
    this.doc.moveTo(x1, y1).lineTo(x2, y2);
    if (width !== this.lineWidthState) { this.doc.lineWidth(width); this.lineWidthState = width; }
    if (color !== this.strokeState) { this.doc.strokeColor(color); this.strokeState = color; }
    this.doc.stroke();
  }

  /** Call after switching to another page: its colour state is unknown. */
  resetGraphicsState(): void {
    this.fillState = '';
    this.strokeState = '';
    this.lineWidthState = -1;
  }

  lineHeight(font: FontKey, size: number): number {
    this.doc.font(this.fonts[font]).fontSize(size);
    return this.doc.currentLineHeight(true) + TYPE.lineGap;
  }

  /**
   * Height of `text` wrapped to `width`. Single-line strings take a fast path (one width
   * measurement instead of a full line-wrapper run): tables call this for every cell.
   */
  measure(text: string, font: FontKey, size: number, width: number): number {
    if (text.length === 0) return 0;
    // Labels, statuses, messages and remediation text repeat on every endpoint.
    const key = text.length <= 2000 ? `${font}|${size}|${width}|${text}` : undefined;
    const hit = key === undefined ? undefined : this.measureCache.get(key);
    if (hit !== undefined) return hit;
    this.doc.font(this.fonts[font]).fontSize(size);
    const h = !text.includes('\n') && this.doc.widthOfString(text) <= width
      ? this.doc.currentLineHeight(true) + TYPE.lineGap
      : this.doc.heightOfString(text, { width, lineGap: TYPE.lineGap });
    if (key !== undefined) this.measureCache.set(key, h);
    return h;
  }

  /**
   * Inserts line breaks into whitespace-free stretches wider than `width` (hashes, raw CSV
   * records, hostile hostnames). pdfkit can break such a "word" itself, but re-measures the
   * whole remaining tail for every line, shaping a new unique string each time: quadratic in
   * the word's length. Character widths are summed without kerning, which only over-estimates.
   */
  breakLongWords(text: string, font: FontKey, size: number, width: number): string {
    const maxChars = Math.floor(width / (size * MAX_ADVANCE_EM));
    if (text.length <= maxChars || !hasLongStretch(text, maxChars)) return text;
    return text.replace(/\S+/g, (word) => {
      if (word.length * size * MAX_ADVANCE_EM <= width) return word;
      const widths = this.charWidths(font, size);
      const widthOf = (ch: string): number => {
        let cw = widths.get(ch);
        if (cw === undefined) { cw = this.doc.widthOfString(ch); widths.set(ch, cw); }
        return cw;
      };
      const chars = [...word];
      const cws = chars.map(widthOf);
      if (cws.reduce((a, b) => a + b, 0) <= width - 0.5) return word;
      // pdfkit counts the line feed that ends a line as part of its last word.
      const limit = width - 0.5 - widthOf('\n');
      const lines: string[] = [];
      let start = 0;
      let w = 0;
      for (let i = 0; i < chars.length; i++) {
        const cw = cws[i] ?? 0;
        if (w + cw > limit && i > start) {
          // Prefer to break after a field or path separator, else after punctuation, as long as
          // the line keeps most of its width; otherwise between any two characters.
          let cut = i;
          for (const [set, keep] of BREAK_TIERS) {
            for (let j = i - 1; j > start + (i - start) * keep; j--) {
              if (set.has(chars[j] ?? '')) { cut = j + 1; break; }
            }
            if (cut !== i) break;
          }
          lines.push(chars.slice(start, cut).join(''));
          start = cut;
          w = 0;
          for (let j = cut; j < i; j++) w += cws[j] ?? 0;
        }
        w += cw;
      }
      lines.push(chars.slice(start).join(''));
      return lines.join('\n');
    });
  }

  private charWidths(font: FontKey, size: number): Map<string, number> {
    const key = `${font}|${size}`;
    let m = this.charWidthCache.get(key);
    if (m === undefined) { m = new Map(); this.charWidthCache.set(key, m); }
    this.doc.font(this.fonts[font]).fontSize(size);
    return m;
  }

  /** `text` shortened with an ellipsis to fit one line of `width` (running header, contents). */
  fitLine(text: string, font: FontKey, size: number, width: number): string {
    this.doc.font(this.fonts[font]).fontSize(size);
    if (this.doc.widthOfString(text) <= width) return text;
    let t = text;
    while (t.length > 1 && this.doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
    return `${t.trimEnd()}…`;
  }

  /**
   * The largest size from `max` down to `min` at which `text` fits one line of `width`; at `min`
   * it wraps instead. For words that must never be cut short (a classification marking).
   */
  fitSize(text: string, font: FontKey, max: number, min: number, width: number): { size: number; lines: number; height: number } {
    this.doc.font(this.fonts[font]);
    for (let size = max; size >= min; size -= 0.25) {
      this.doc.fontSize(size);
      if (this.doc.widthOfString(text) <= width) return { size, lines: 1, height: this.doc.currentLineHeight(true) };
    }
    this.doc.fontSize(min);
    const height = this.doc.heightOfString(text, { width });
    return { size: min, lines: Math.max(1, Math.round(height / this.doc.currentLineHeight(true))), height };
  }

  /** Draws `text` in a box without moving the cursor; the explicit height stops pdfkit from adding pages on its own. */
  drawText(text: string, x: number, y: number, width: number, h: number,
    opts: { align?: 'left' | 'right' | 'center'; goTo?: string; link?: string } = {}): void {
    if (text.length === 0) return;
    compactContent(this.doc.page.content, COMPACT_EVERY);
    const target = this.linkTarget(opts);
    const cursor = this.doc.y;
    const align = opts.align ?? 'left';
    const draw = (): void => {
      this.tags.content();
      if (!text.includes('\n') && h <= this.doc.currentLineHeight(true) + TYPE.lineGap + 0.01) {
        // Measured as one line: draw without a width so pdfkit skips its line wrapper, which is
        // most of the cost of a cell; alignment is then ours to do.
        const textW = this.doc.widthOfString(text);
        const free = align === 'left' ? 0 : width - textW;
        const dx = align === 'right' ? free : align === 'center' ? free / 2 : 0;
        this.doc.text(text, x + Math.max(0, dx), y, { lineBreak: false });
        if (target !== undefined) this.linkBox(target, text, x + Math.max(0, dx), y, textW, this.doc.currentLineHeight());
      } else {
        this.doc.text(text, x, y, { width, height: h + 4, lineGap: TYPE.lineGap, align });
        if (target !== undefined) this.linkBox(target, text, x, y, width, Math.min(h, this.doc.y - y));
      }
    };
    if (target === undefined) draw();
    else this.tags.with('Link', {}, draw);
    // Callers place boxes themselves; pdfkit's cursor move would compound with theirs.
    this.doc.y = cursor;
    this.doc.x = this.left;
  }

  /**
   * One line of text at (x, y) that never wraps or adds a page, tagged as content of the
   * innermost structure element (and as a Link when it links). For sections that place text
   * themselves (cover, charts, contents, sign-off).
   */
  text(text: string, x: number, y: number, opts: { width?: number; align?: 'left' | 'right' | 'center'; characterSpacing?: number; goTo?: string; link?: string } = {}): void {
    const target = this.linkTarget(opts);
    const options: PDFKit.Mixins.TextOptions = { lineBreak: false };
    if (opts.width !== undefined) options.width = opts.width;
    if (opts.align !== undefined) options.align = opts.align;
    if (opts.characterSpacing !== undefined) options.characterSpacing = opts.characterSpacing;
    const draw = (): void => {
      this.tags.content();
      this.doc.text(text, x, y, options);
      if (target !== undefined) {
        const w = this.doc.widthOfString(text);
        const free = (opts.width ?? w) - w;
        const dx = opts.align === 'right' ? free : opts.align === 'center' ? free / 2 : 0;
        this.linkBox(target, text, x + Math.max(0, dx), y, w, this.doc.currentLineHeight());
      }
    };
    if (target === undefined) draw();
    else this.tags.with('Link', {}, draw);
  }

  /** A Figure: what `draw` puts on the page (shapes and text alike) is one image described by `alt`. */
  figure(alt: string, draw: () => void): void {
    this.tags.with('Figure', { alt }, draw);
  }

  /** The link a text carries: an internal destination only when it is planned (placed later). */
  private linkTarget(opts: { goTo?: string; link?: string }): { kind: 'goTo' | 'link'; target: string } | undefined {
    if (opts.goTo !== undefined && (this.canLink(opts.goTo) || this.placed.has(opts.goTo))) return { kind: 'goTo', target: opts.goTo };
    if (opts.link !== undefined) return { kind: 'link', target: opts.link };
    return undefined;
  }

  /**
   * The link annotation over text just drawn, as part of the innermost Link element. Inside an
   * artifact (running heads, repeated headers) the annotation is plain: artifacts have no tags.
   */
  private linkBox(t: { kind: 'goTo' | 'link'; target: string }, text: string, x: number, y: number, w: number, h: number): void {
    if (this.tags.inArtifact) {
      if (t.kind === 'goTo') this.doc.goTo(x, y, w, h, t.target);
      else this.doc.link(x, y, w, h, t.target);
      return;
    }
    this.tags.annotate(this.tags.current, t.kind, x, y, w, h, t.target, text);
  }

  heading(level: 1 | 2 | 3, text: string, opts: HeadingOptions = {}): OutlineItem | undefined {
    const size = level === 1 ? TYPE.h1 : level === 2 ? TYPE.h2 : TYPE.h3;
    const h = this.measure(text, 'bold', size, this.width - (opts.band === true ? 12 : 0));
    const before = level === 1 ? 0 : level === 2 ? SPACE.beforeH2 : SPACE.beforeH3;
    const after = level === 1 ? SPACE.afterH1 : level === 2 ? SPACE.afterH2 : SPACE.afterH3;
    const pad = opts.band === true ? 5 : 0;
    if (level === 1) {
      const roomNeeded = opts.continueWith === undefined ? Infinity : SPACE.beforeH1 + h + after + opts.continueWith;
      if (!this.atPageTop && this.remaining < roomNeeded) this.newPage();
      else if (!this.atPageTop) this.y += SPACE.beforeH1;
    } else {
      const broke = this.ensure(before + h + 2 * pad + after + (opts.keepWith ?? SPACE.keepWithNext));
      if (!broke && !this.atPageTop) this.y += before;
    }
    const top = this.y;
    const item = this.mark(text, top, opts);
    if (level === 1) this.tags.section(opts.outlineTitle ?? text);
    if (opts.band === true) {
      this.fillRect(this.left, top, this.width, h + 2 * pad, COLOR.accentLight);
      this.fillRect(this.left, top, 2.5, h + 2 * pad, this.accent);
    }
    this.font('bold', size, level === 1 ? this.accent : COLOR.ink);
    this.tags.with(HEADING_TAG[level], {}, () => {
      this.drawText(text, this.left + (opts.band === true ? 9 : 0), top + pad, this.width - (opts.band === true ? 12 : 0), h);
    });
    this.y = top + h + 2 * pad;
    if (level === 1) {
      this.line(this.left, this.y + 1, this.left + this.width, this.y + 1, this.accent, 0.8);
      this.y += 3;
    }
    this.y += after;
    return item;
  }

  /**
   * A named destination (and optionally a bookmark) at `top` of the current page for something
   * that is not a heading, such as a table row other parts of the report link to.
   */
  anchor(dest: string, top: number, outline?: { parent: OutlineItem | 'root'; title: string }): void {
    this.mark(outline?.title ?? dest, top, { dest, ...(outline !== undefined ? { outline: outline.parent } : {}) });
  }

  /** Places a destination, bookmark and contents entry for a heading at `top`. */
  private mark(text: string, top: number, opts: HeadingOptions): OutlineItem | undefined {
    if (opts.dest !== undefined) {
      this.doc.addNamedDestination(opts.dest, 'XYZ', 0, Math.max(0, top - 8), null);
      this.placed.add(opts.dest);
      if (opts.contents === true) {
        this.contents.push({ level: opts.outline === 'root' ? 1 : 2, title: opts.outlineTitle ?? text, dest: opts.dest, pageIndex: this.pageIndex });
      }
    }
    if (opts.outline === undefined) return undefined;
    return this.bookmark(opts.outline, opts.outlineTitle ?? text, top);
  }

  bookmark(parent: OutlineItem | 'root', title: string, top: number = this.y): OutlineItem {
    const options: OutlineOptions = { expanded: false, top: Math.max(0, top - 8), left: PAGE.width };
    return (parent === 'root' ? this.doc.outline : parent).addItem(title, options);
  }

  /** A paragraph that may flow over pages; keeps at least two lines together at the top. */
  paragraph(text: string, opts: { font?: FontKey; size?: number; color?: string; gapAfter?: number; indent?: number } = {}): void {
    const font = opts.font ?? 'regular';
    const size = opts.size ?? TYPE.body;
    const indent = opts.indent ?? 0;
    const width = this.width - indent;
    const h = this.measure(text, font, size, width);
    // A short paragraph moves whole; a long one keeps at least two lines at the foot of a page.
    this.ensure(h <= SHORT_PARAGRAPH ? h : 2 * this.lineHeight(font, size));
    this.font(font, size, opts.color ?? COLOR.ink);
    this.tags.with('P', {}, () => {
      if (h <= this.remaining) {
        this.drawText(text, this.left + indent, this.y, width, h);
        this.y += h;
      } else {
        // Longer than the rest of the page: let pdfkit flow it onto the next page(s); pdfkit
        // carries the open marked content over to each new page.
        this.tags.content();
        this.doc.text(text, this.left + indent, this.y, { width, lineGap: TYPE.lineGap });
      }
    });
    this.y += opts.gapAfter ?? SPACE.paragraph;
  }

  /** One line (or a few wrapped lines) of mixed runs, e.g. "Status: FAIL 3 · PASS 1". */
  runs(runs: readonly Run[], opts: { gapAfter?: number; indent?: number } = {}): void {
    const parts = runs.filter((r) => r.text.length > 0);
    if (parts.length === 0) return;
    const indent = opts.indent ?? 0;
    const width = this.width - indent;
    const joined = parts.map((r) => r.text).join('');
    // Measure in the widest font used so the reserved height is never short.
    const h = Math.max(...parts.map((r) => this.measure(joined, r.font ?? 'regular', r.size ?? TYPE.body, width)));
    this.ensure(h);
    const y = this.y;
    // One P. A link in a run stays a plain annotation: pdfkit emits continued text line by line,
    // after later runs have started, so a run cannot be wrapped in its own Link element.
    this.tags.push('P');
    this.tags.content();
    parts.forEach((r, i) => {
      this.font(r.font ?? 'regular', r.size ?? TYPE.body, r.color ?? COLOR.ink);
      const link = r.goTo !== undefined && this.canLink(r.goTo) ? { goTo: r.goTo } : r.link !== undefined ? { link: r.link } : {};
      const last = i === parts.length - 1;
      if (i === 0) {
        this.doc.text(r.text, this.left + indent, y, { width, lineGap: TYPE.lineGap, continued: !last, ...link });
      } else {
        this.doc.text(r.text, { continued: !last, lineGap: TYPE.lineGap, ...link });
      }
    });
    this.tags.pop();
    // The measure above takes the whole text in the widest font, a line too many when only a
    // bold lead-in is wide: the drawn height, where pdfkit left its cursor on this page, is exact.
    const drawn = this.doc.y - y;
    this.y = y + (drawn > 0 && drawn < h ? drawn : h) + (opts.gapAfter ?? SPACE.paragraph);
  }

  /** Runs for "FAIL 3 · WARN 0 · …": the word carries the meaning, the colour only repeats it. */
  static countRuns(items: readonly { label: Label; count: number }[], size: number = TYPE.body): Run[] {
    const out: Run[] = [];
    items.forEach(({ label, count }, i) => {
      if (i > 0) out.push({ text: '   ·   ', color: COLOR.faint, size });
      out.push({ text: label.text, font: 'bold', color: count > 0 ? label.color : COLOR.faint, size });
      out.push({ text: ` ${num(count)}`, color: count > 0 ? COLOR.ink : COLOR.faint, size });
    });
    return out;
  }
}

const HEADING_TAG = { 1: 'H1', 2: 'H2', 3: 'H3' } as const;

/** Paragraphs up to this height (about ten lines) are never split across pages. */
const SHORT_PARAGRAPH = 120;

/** Whether `text` has more than `max` non-whitespace characters in a row (cheaper than a regex per call). */
function hasLongStretch(text: string, max: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) run = 0;
    else if (++run > max) return true;
  }
  return false;
}

/** Characters after which a long word breaks readably, best first, with the share of the line that must stay. */
const BREAK_TIERS: readonly (readonly [ReadonlySet<string>, number])[] = [
  [new Set([',', ';', '/', '\\', '|', '&', '?']), 0.25],
  [new Set(['.', '-', ':', '_', '=', ')', ']', '>']), 0.5],
];

/** No glyph we draw is wider than this many ems, so shorter words need no breaking. */
const MAX_ADVANCE_EM = 1.3;

/** Join a page's newest content chunks once this many have piled up. */
const COMPACT_EVERY = 400;
/** How many leading chunks of a content stream are already joined blocks. */
const joinedBlocks = new WeakMap<object, number>();

/**
 * pdfkit 0.20 keeps a page's content stream as one small Uint8Array per operator until the
 * document ends (bufferPages): millions of objects for a few thousand pages, and garbage
 * collection then dominates the run time. Joining the newest chunks into one block every few
 * hundred operators (and at the end of each page) keeps them short-lived. Each chunk is copied
 * once. The chunk list is a pdfkit internal (pdfkit-internals.ts).
 */
function compactContent(ref: object, threshold: number): void {
  const chunks = streamChunks(ref);
  const from = joinedBlocks.get(ref) ?? 0;
  if (chunks.length - from < Math.max(2, threshold)) return;
  let total = 0;
  for (let i = from; i < chunks.length; i++) {
    const c: unknown = chunks[i];
    if (!(c instanceof Uint8Array)) return;
    total += c.length;
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (let i = from; i < chunks.length; i++) {
    const c = chunks[i] as Uint8Array; // checked in the loop above
    joined.set(c, offset);
    offset += c.length;
  }
  chunks.length = from;
  chunks.push(joined);
  joinedBlocks.set(ref, from + 1);
}
