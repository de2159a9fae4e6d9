/**
 * Font fallback for the PDF. The bundled DejaVu (or a font configured under `font:` in
 * report.config.yaml) has no glyphs for Chinese, Japanese or Korean text; without help an
 * organisation called 東京医療センター or 서울병원 would print as empty boxes. This module finds
 * fallback fonts (a Debian package, other common system paths, or `font.fallback`) and makes
 * pdfkit draw each run of characters the current font lacks with the first fallback that has
 * them.
 *
 * It works below the renderer: `doc.widthOfString` (which pdfkit's line wrapper, `heightOfString`
 * and our own measuring all use) and `doc._fragment` (which draws every line of text) are wrapped
 * on the document instance, so text is measured and drawn with the same fonts everywhere,
 * tables and running heads included, without any section knowing about fallbacks. Fallback runs
 * share the primary font's baseline and line height, so layout is unchanged.
 *
 * A fallback file is opened only when some text needs it: a report without such text is
 * byte-identical to one rendered with no fallback at all, and pays no start-up cost.
 */
import { existsSync } from 'node:fs';
import {
  currentFont, currentFontSize, keepingFont, setCurrentFont, wrapFragment, wrapWidthOfString,
  type FragmentOptions, type PdfkitFont,
} from './pdfkit-internals.js';

/** The Debian/Ubuntu package whose fonts are the default fallback (named in the warning). */
const FALLBACK_FONT_PACKAGE = 'fonts-droid-fallback';

/**
 * Where fallback fonts are looked for; every file found is used, in this order, each for the
 * characters the ones before it lack. Droid Sans Fallback is one TrueType file per face, subsets
 * cleanly and is Apache-licensed (embedding allowed). Debian's package ships two faces:
 * DroidSansFallbackFull (Chinese and Japanese, CJK Extension A, preferred for Chinese) has almost
 * no Hangul, so DroidSansFallback follows it for Korean.
 */
export const FALLBACK_FONT_SEARCH: readonly string[] = [
  // Debian, Ubuntu: apt-get install fonts-droid-fallback
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf',
  // Fedora: google-droid-sans-fonts
  '/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/google-droid-sans-fonts/DroidSansFallback.ttf',
  // Arch (ttf-droid), Alpine (font-droid-nonlatin) and other distributions
  '/usr/share/fonts/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/droid/DroidSansFallback.ttf',
  '/usr/share/fonts/TTF/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/TTF/DroidSansFallback.ttf',
  // macOS (Office and older systems)
  '/Library/Fonts/Arial Unicode.ttf',
  '/System/Library/Fonts/Supplemental/Arial Unicode.ttf',
];

/** The fallback fonts present on this machine, in search order. */
export function findFallbackFonts(search: readonly string[] = FALLBACK_FONT_SEARCH, exists: (path: string) => boolean = existsSync): string[] {
  return [...new Set(search)].filter((p) => exists(p));
}

interface Segment { readonly text: string; readonly font: PdfkitFont }

/** Characters drawn with no glyph of their own: they never need a fallback. */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u;
/** Characters that read best in the font of the run around them (spaces, combining marks, variation selectors). */
const NEUTRAL = /^[\s\p{M}]$/u;
/** Strings that need no code point look-up when the primary font covers printable ASCII. */
const PLAIN_ASCII = /^[\x20-\x7e\n\t\r]*$/;

/** What the fallback saw during one render: where text went and what no font could show. */
interface FallbackReport {
  /** Fallback files that drew at least one character. */
  readonly used: readonly string[];
  /** Fallback files that could not be opened, with the reason. */
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
  /** Characters no font has, each with the first text it occurred in (for the warning). */
  readonly missing: ReadonlyMap<string, string>;
}

/**
 * Wraps `doc`'s text measuring and drawing so characters the current font lacks are drawn with
 * the first of `fallbacks` (absolute paths) that has them. Returns what happened, filled in as
 * the document is drawn. The pdfkit internals it wraps are reached through pdfkit-internals.ts,
 * which throws if their shape changed.
 */
export function installFontFallback(doc: PDFKit.PDFDocument, fallbacks: readonly string[]): FallbackReport {
  const fallback = new FontFallback(doc, fallbacks);
  fallback.install();
  return fallback;
}

class FontFallback implements FallbackReport {
  readonly missing = new Map<string, string>();
  readonly unreadable: { path: string; reason: string }[] = [];
  private readonly usedSet = new Set<string>();
  /** Per fallback path: undefined until opened, null when it could not be. */
  private readonly opened: (PdfkitFont | null | undefined)[];
  private readonly glyphs = new WeakMap<PdfkitFont, Map<number, boolean>>();
  private readonly asciiCovered = new WeakMap<PdfkitFont, boolean>();
  /** Set while drawing or measuring one segment, so the wrapped methods pass straight through. */
  private busy = false;

  constructor(private readonly doc: PDFKit.PDFDocument, private readonly paths: readonly string[]) {
    this.opened = paths.map(() => undefined);
  }

  get used(): readonly string[] {
    return this.paths.filter((p) => this.usedSet.has(p));
  }

  install(): void {
    const self = this;
    currentFont(this.doc); // a document without an embedded font has nothing to fall back from

    wrapWidthOfString(this.doc, (origWidth) => function (this: unknown, text: string, options: FragmentOptions = {}): number {
      const segments = self.busy ? undefined : self.split(String(text), false);
      if (segments === undefined) return origWidth.call(this, text, options);
      const size = self.fontSize();
      let w = 0;
      for (const s of segments) w += s.font.widthOfString(s.text, size, options.features);
      return (w + (options.characterSpacing ?? 0) * (String(text).length - 1)) * (options.horizontalScaling ?? 100) / 100;
    });

    wrapFragment(this.doc, (origFragment) => function (this: unknown, text: string, x: number, y: number, options: FragmentOptions): void {
      const line = `${text}`.replace(/\n/g, '');
      const segments = self.busy ? undefined : self.split(line, true);
      if (segments === undefined) { origFragment.call(this, text, x, y, options); return; }
      self.drawSegments(segments, line, x, y, options, origFragment.bind(this));
    });
  }

  /** Draws one line made of several font runs, aligned as a whole and on the primary font's baseline. */
  private drawSegments(segments: readonly Segment[], line: string, x: number, y: number, options: FragmentOptions,
    draw: (t: string, x: number, y: number, o: FragmentOptions) => void): void {
    const primary = this.current();
    if (primary === undefined) return;
    const size = this.fontSize();
    const scale = (options.horizontalScaling ?? 100) / 100;
    const spacing = options.characterSpacing ?? 0;
    const widthOf = (s: Segment): number => s.font.widthOfString(s.text, size, options.features) * scale + spacing * s.text.length;
    let cx = x;
    if (options.width !== undefined && options.width !== 0) {
      // pdfkit aligns a fragment from its own width; here the width is the sum over the runs.
      const lineWidth = options.lineWidth ?? options.width;
      if (options.align === 'right') {
        const trimmed = line.replace(/\s+$/, '');
        const right = this.split(trimmed, false) ?? [{ text: trimmed, font: primary }];
        cx += lineWidth - right.reduce((w, s) => w + widthOf(s), 0);
      } else if (options.align === 'center') {
        cx += lineWidth / 2 - (options.textWidth ?? segments.reduce((w, s) => w + widthOf(s), 0)) / 2;
      }
      // 'justify' is drawn left-aligned when a line mixes fonts (the report never justifies).
    }
    const baseline = -baselineOffset(primary, options.baseline, size);
    this.busy = true;
    try {
      segments.forEach((s, i) => {
        this.setFont(s.font);
        const o: FragmentOptions = { ...options, align: 'left', baseline };
        delete o.textWidth;
        delete o.wordCount;
        if (i > 0) delete o.destination;
        draw(s.text, cx, y, o);
        cx += widthOf(s);
      });
    } finally {
      this.setFont(primary);
      this.busy = false;
    }
  }

  /**
   * `text` cut into runs by font, or undefined when the current font draws all of it (the common
   * case, answered without a look-up for printable ASCII). A character no font has becomes
   * U+FFFD (or "?") in the primary font: a visible mark instead of .notdef, which PDF/A-2 does
   * not allow text to show. With `record`, such characters are remembered for the warning.
   */
  private split(text: string, record: boolean): Segment[] | undefined {
    const primary = this.current();
    // No "is the current font a fallback?" shortcut: pdfkit hands back the same font object for the
    // same file, so a fallback that is also the regular font (or DejaVu again) would switch off the
    // replacement of missing characters for all text in that font. Recursion is prevented by `busy`.
    if (primary === undefined) return undefined;
    if (PLAIN_ASCII.test(text) && this.coversAscii(primary)) return undefined;
    const segments: Segment[] = [];
    let cur = primary;
    let run = '';
    let replaced = false;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      let font = this.fontFor(cp, ch, cur, primary);
      let out = ch;
      if (font === undefined) {
        if (record && !this.missing.has(ch)) this.missing.set(ch, text);
        font = primary;
        out = this.has(primary, 0xfffd) ? '\ufffd' : '?';
        replaced = true;
      }
      if (font !== cur) {
        if (run !== '') segments.push({ text: run, font: cur });
        run = '';
        cur = font;
      }
      run += out;
    }
    if (segments.length === 0 && cur === primary && !replaced) return undefined;
    segments.push({ text: run, font: cur });
    if (record) for (const s of segments) if (s.font !== primary) this.markUsed(s.font);
    return segments;
  }

  /** The font to draw `ch` with; undefined when no font has it. */
  private fontFor(cp: number, ch: string, cur: PdfkitFont, primary: PdfkitFont): PdfkitFont | undefined {
    if (this.has(primary, cp)) {
      // A space or accent inside a fallback run stays in it, so the run is not cut up.
      return cur !== primary && NEUTRAL.test(ch) && this.has(cur, cp) ? cur : primary;
    }
    if (INVISIBLE.test(ch) || NEUTRAL.test(ch) && cp < 0x300) return cur;
    if (cur !== primary && this.has(cur, cp)) return cur;
    for (let k = 0; k < this.paths.length; k++) {
      const f = this.open(k);
      if (f !== null && this.has(f, cp)) return f;
    }
    // An unknown combining mark stays with its base character rather than becoming a mark of its own.
    return NEUTRAL.test(ch) ? cur : undefined;
  }

  private has(font: PdfkitFont, cp: number): boolean {
    let m = this.glyphs.get(font);
    if (m === undefined) { m = new Map(); this.glyphs.set(font, m); }
    let v = m.get(cp);
    if (v === undefined) { v = font.font.hasGlyphForCodePoint(cp); m.set(cp, v); }
    return v;
  }

  private coversAscii(font: PdfkitFont): boolean {
    let v = this.asciiCovered.get(font);
    if (v === undefined) {
      v = true;
      for (let cp = 0x20; cp <= 0x7e && v; cp++) v = this.has(font, cp);
      this.asciiCovered.set(font, v);
    }
    return v;
  }

  /** Opens fallback `k` through pdfkit (so it is embedded and subset like any font), keeping the current font. */
  private open(k: number): PdfkitFont | null {
    const have = this.opened[k];
    if (have !== undefined) return have;
    const path = this.paths[k] ?? '';
    const doc = this.doc;
    let font: PdfkitFont | null = null;
    keepingFont(doc, () => {
      try {
        doc.font(path);
        font = currentFont(doc);
      } catch (err) {
        const reason = err instanceof Error && err.name !== 'PdfkitInternalsError' ? err.message : 'not a TrueType or OpenType font pdfkit can embed';
        this.unreadable.push({ path, reason });
      }
    });
    this.opened[k] = font;
    return font;
  }

  private markUsed(font: PdfkitFont): void {
    const k = this.opened.indexOf(font);
    const path = this.paths[k];
    if (path !== undefined) this.usedSet.add(path);
  }

  private current(): PdfkitFont | undefined {
    return currentFont(this.doc);
  }

  private setFont(font: PdfkitFont): void {
    setCurrentFont(this.doc, font);
  }

  private fontSize(): number {
    return currentFontSize(this.doc);
  }
}

/** How far below `y` the baseline sits, as pdfkit computes it for `font` (`_fragment`'s `dy`). */
function baselineOffset(font: PdfkitFont, baseline: number | string | undefined, size: number): number {
  if (typeof baseline === 'number') return -baseline;
  const em = ((): number => {
    switch (baseline) {
      case 'svg-middle': return 0.5 * font.xHeight;
      case 'middle': case 'svg-central': return 0.5 * (font.descender + font.ascender);
      case 'bottom': case 'ideographic': return font.descender;
      case 'alphabetic': return 0;
      case 'mathematical': return 0.5 * font.ascender;
      case 'hanging': return 0.8 * font.ascender;
      default: return font.ascender;
    }
  })();
  return em / 1000 * size;
}

/** Code point label for messages: "서 (U+C11C)". */
function describe(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `${INVISIBLE.test(ch) ? '' : `${ch} `}(U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * The one warning a render gives when some characters could not be shown, or undefined. It
 * names examples, the package to install and the config key; `configured` says whether the
 * fallback list came from `font.fallback` (then installing the package would not help).
 */
export function fallbackWarning(report: FallbackReport, fallbacks: readonly string[], configured: boolean): string | undefined {
  const unreadable = report.unreadable.map((u) => `${u.path} could not be read (${u.reason})`);
  if (report.missing.size === 0) return unreadable.length > 0 ? `PDF: fallback font ${unreadable.join('; ')}.` : undefined;
  const examples = [...report.missing].slice(0, 5).map(([ch, text]) => `${describe(ch)} in "${text.length > 40 ? `${text.slice(0, 39)}…` : text}"`);
  const more = report.missing.size > 5 ? ` and ${report.missing.size - 5} more` : '';
  const what = `PDF: ${report.missing.size} character${report.missing.size === 1 ? '' : 's'} in the report have no glyph in the PDF fonts and show as \ufffd (U+FFFD): ${examples.join(', ')}${more}.`;
  const fix = fallbacks.length === 0
    ? ` No fallback font was found. Install one (Debian/Ubuntu: apt-get install ${FALLBACK_FONT_PACKAGE}) or set font.fallback in report.config.yaml to a TrueType/OpenType font that covers these characters.`
    : configured
      ? ` The fonts under font.fallback in report.config.yaml (${fallbacks.join(', ')}) do not cover them either; add a font that does.`
      : ` The fallback fonts found (${fallbacks.join(', ')}) do not cover them either; set font.fallback in report.config.yaml to a TrueType/OpenType font that does.`;
  return `${what}${fix}${unreadable.length > 0 ? ` Also: ${unreadable.join('; ')}.` : ''}`;
}
