/**
 * Draws an SVG logo (parsed by ../svg/parse.ts) as PDF vector graphics with pdfkit. It covers
 * what logo exports use: shapes and paths, groups and nested transforms, presentation
 * attributes, style attributes and simple <style> rules (tag, .class, #id), colours with
 * opacity, linear and radial gradients (also inherited through href, as Inkscape writes them),
 * clip paths made of plain shapes, <use> of elements in the same file, and text set in the
 * report's own fonts.
 *
 * Nothing outside the file is ever loaded: an href that does not start with "#", a url() that
 * is not a fragment, <image>, <foreignObject>, CSS @import: each is left out and reported. So
 * are the effects a logo does not need and PDF/A-2b makes awkward (filters, masks, patterns,
 * markers). What is left out goes to one warning naming the file; the rest of the logo is drawn.
 */
import type { SvgElement } from '../../config/svg.js';
import { isElement } from '../../config/svg.js';

type Doc = PDFKit.PDFDocument;
type Rgb = [number, number, number];
type Matrix = [number, number, number, number, number, number];

export interface SvgBox { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

interface SvgDrawOptions {
  /** Font files for <text> (the report's own, so the PDF embeds nothing new). */
  readonly fonts: { readonly regular: string; readonly bold: string };
  /** Receives one message listing what was not drawn, if anything. */
  readonly warn: (message: string) => void;
  /** Names the file in the warning. */
  readonly file: string;
}

/** Properties that children inherit (SVG 1.1 property index); the others apply to one element. */
const INHERITED = new Set([
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'font-size', 'font-weight', 'text-anchor', 'visibility',
  'color', 'clip-rule',
]);
const NOT_INHERITED = ['opacity', 'display', 'clip-path', 'mask', 'filter', 'stop-color', 'stop-opacity'];
const PROPERTIES = new Set([...INHERITED, ...NOT_INHERITED]);

/** Elements that never draw by themselves (definitions and metadata). */
const SILENT = new Set(['defs', 'symbol', 'title', 'desc', 'metadata', 'style', 'linearGradient', 'radialGradient', 'clipPath', 'script', 'stop']);
/** Elements left out with a warning. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  image: 'embedded and linked images are not drawn',
  foreignObject: 'HTML content is not drawn',
  mask: 'masks are not supported',
  pattern: 'patterns are not supported',
  filter: 'filters are not supported',
  marker: 'markers are not supported',
  video: 'media is not drawn', audio: 'media is not drawn', iframe: 'HTML content is not drawn', canvas: 'HTML content is not drawn',
};

interface CssRule { readonly selector: { tag?: string; id?: string; cls?: string }; readonly specificity: number; readonly order: number; readonly decls: Record<string, string> }

/** Computed, inherited style of one element. */
interface Style { readonly [property: string]: string }

const NAMED: Readonly<Record<string, Rgb>> = {
  black: [0, 0, 0], white: [255, 255, 255], red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255], yellow: [255, 255, 0],
  gray: [128, 128, 128], grey: [128, 128, 128], silver: [192, 192, 192], maroon: [128, 0, 0], purple: [128, 0, 128],
  fuchsia: [255, 0, 255], magenta: [255, 0, 255], lime: [0, 255, 0], olive: [128, 128, 0], navy: [0, 0, 128], teal: [0, 128, 128],
  aqua: [0, 255, 255], cyan: [0, 255, 255], orange: [255, 165, 0], darkblue: [0, 0, 139], darkgreen: [0, 100, 0], darkred: [139, 0, 0],
  darkgray: [169, 169, 169], darkgrey: [169, 169, 169], lightgray: [211, 211, 211], lightgrey: [211, 211, 211], gold: [255, 215, 0],
  pink: [255, 192, 203], brown: [165, 42, 42], steelblue: [70, 130, 180], royalblue: [65, 105, 225], crimson: [220, 20, 60],
  dimgray: [105, 105, 105], dimgrey: [105, 105, 105], whitesmoke: [245, 245, 245], gainsboro: [220, 220, 220], indigo: [75, 0, 130],
  skyblue: [135, 206, 235], tomato: [255, 99, 71], coral: [255, 127, 80], salmon: [250, 128, 114], darkorange: [255, 140, 0],
  forestgreen: [34, 139, 34], seagreen: [46, 139, 87], midnightblue: [25, 25, 112], slategray: [112, 128, 144], slategrey: [112, 128, 144],
};

/** A colour and its alpha, or null for none; `currentColor` resolves against `current`. */
function parseColor(value: string, current?: string): { rgb: Rgb; alpha: number } | null {
  const v = value.trim().toLowerCase();
  if (v === 'none' || v === 'transparent' || v === '') return null;
  if (v === 'currentcolor') return current === undefined ? { rgb: [0, 0, 0], alpha: 1 } : parseColor(current);
  let m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(v);
  if (m?.[1] !== undefined) {
    let hex = m[1];
    if (hex.length <= 4) hex = [...hex].map((c) => c + c).join('');
    const n = (i: number): number => parseInt(hex.slice(i, i + 2), 16);
    return { rgb: [n(0), n(2), n(4)], alpha: hex.length === 8 ? n(6) / 255 : 1 };
  }
  m = /^rgba?\(\s*([^)]*)\)$/.exec(v);
  if (m?.[1] !== undefined) {
    const parts = m[1].split(/\s*[,/]\s*|\s+/).filter((p) => p !== '');
    const channel = (p: string | undefined): number => {
      if (p === undefined) return 0;
      const x = p.endsWith('%') ? parseFloat(p) * 2.55 : parseFloat(p);
      return Number.isFinite(x) ? Math.max(0, Math.min(255, Math.round(x))) : 0;
    };
    const a = parts[3] === undefined ? 1 : parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3]);
    return { rgb: [channel(parts[0]), channel(parts[1]), channel(parts[2])], alpha: Number.isFinite(a) ? Math.max(0, Math.min(1, a)) : 1 };
  }
  const named = NAMED[v];
  return named === undefined ? { rgb: [0, 0, 0], alpha: 1 } : { rgb: named, alpha: 1 };
}

/** A number from an attribute, with px/pt/mm/cm/in/em units and % of `ref`; `fallback` when absent or bad. */
function length(value: string | undefined, ref: number, fallback: number, fontSize = 16): number {
  if (value === undefined) return fallback;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*$/i.exec(value);
  if (m?.[1] === undefined) return fallback;
  const n = parseFloat(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit === 'pt' ? 4 / 3 : unit === 'pc' ? 16 : unit === 'mm' ? 96 / 25.4 : unit === 'cm' ? 96 / 2.54
    : unit === 'in' ? 96 : unit === 'em' ? fontSize : unit === 'ex' ? fontSize / 2 : unit === '%' ? ref / 100 : 1;
  const r = n * factor;
  return Number.isFinite(r) ? r : fallback;
}

function numbers(value: string | undefined): number[] {
  if (value === undefined) return [];
  return (value.match(/[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/gi) ?? []).map(Number).filter(Number.isFinite);
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return [a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1], a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3],
    a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5]];
}

/** The matrix of a transform attribute; null when it cannot be read. */
function parseTransform(value: string | undefined): Matrix | null {
  let m: Matrix = [1, 0, 0, 1, 0, 0];
  if (value === undefined || value.trim() === '') return m;
  const re = /\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?/gy;
  let pos = 0;
  for (let t = re.exec(value); t !== null; t = re.exec(value)) {
    pos = re.lastIndex;
    const args = t[2] ?? '';
    const a = numbers(args);
    const arity: Readonly<Record<string, readonly number[]>> = { matrix: [6], translate: [1, 2], scale: [1, 2], rotate: [1, 3], skewX: [1], skewY: [1] };
    if (!/^[\s,]*(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?[\s,]*)*$/i.test(args) || !(arity[t[1] ?? '']?.includes(a.length) ?? false)) return null;
    const [p0 = 0, p1, p2 = 0, p3 = 0, p4 = 0, p5 = 0] = a;
    const rad = (p0 * Math.PI) / 180;
    let step: Matrix;
    switch (t[1]) {
      case 'matrix': if (a.length !== 6) return null; step = [p0, p1 ?? 0, p2, p3, p4, p5]; break;
      case 'translate': step = [1, 0, 0, 1, p0, p1 ?? 0]; break;
      case 'scale': step = [p0, 0, 0, p1 ?? p0, 0, 0]; break;
      case 'rotate': {
        const c = Math.cos(rad), s = Math.sin(rad);
        const cx = p1 ?? 0, cy = p2;
        step = multiply(multiply([1, 0, 0, 1, cx, cy], [c, s, -s, c, 0, 0]), [1, 0, 0, 1, -cx, -cy]);
        break;
      }
      case 'skewX': step = [1, 0, Math.tan(rad), 1, 0, 0]; break;
      default: step = [1, Math.tan(rad), 0, 1, 0, 0];
    }
    m = multiply(m, step);
  }
  return value.slice(pos).trim() === '' && m.every(Number.isFinite) ? m : null;
}

/** `tag`, `.cls`, `#id`, `tag.cls` selectors of <style> sheets; other rules are skipped (reported). */
function parseCss(text: string, startOrder: number, skipped: (what: string) => void): CssRule[] {
  const rules: CssRule[] = [];
  const css = text.replace(/\/\*[\s\S]*?\*\//g, '');
  if (/@import/i.test(css)) skipped('CSS @import (never loaded)');
  let order = startOrder;
  for (const m of css.matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
    const decls = declarations(m[2] ?? '');
    for (const raw of (m[1] ?? '').split(',')) {
      const sel = raw.trim();
      const s = /^([a-zA-Z][\w-]*)?(?:\.([\w-]+)|#([\w-]+))?$/.exec(sel);
      if (s === null || sel === '') { if (sel !== '') skipped(`CSS selector "${sel}"`); continue; }
      const selector: { tag?: string; id?: string; cls?: string } = {};
      if (s[1] !== undefined) selector.tag = s[1];
      if (s[2] !== undefined) selector.cls = s[2];
      if (s[3] !== undefined) selector.id = s[3];
      rules.push({ selector, specificity: (s[3] !== undefined ? 100 : 0) + (s[2] !== undefined ? 10 : 0) + (s[1] !== undefined ? 1 : 0), order: order++, decls });
    }
  }
  return rules;
}

function declarations(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of text.split(';')) {
    const i = d.indexOf(':');
    if (i < 0) continue;
    const k = d.slice(0, i).trim().toLowerCase();
    const v = d.slice(i + 1).replace(/!important/i, '').trim();
    if (k !== '' && v !== '') out[k] = v;
  }
  return out;
}

/** Path commands as pdfkit's SVG path parser emits them; recorded first so a bad path never half-reaches the page. */
type PathOp = readonly ['moveTo' | 'lineTo', number, number] | readonly ['bezierCurveTo', number, number, number, number, number, number]
  | readonly ['closePath'];

class PathRecorder {
  readonly ops: PathOp[] = [];
  private cx = 0;
  private cy = 0;
  private sx = 0;
  private sy = 0;
  moveTo(x: number, y: number): this { this.ops.push(['moveTo', x, y]); this.cx = this.sx = x; this.cy = this.sy = y; return this; }
  lineTo(x: number, y: number): this { this.ops.push(['lineTo', x, y]); this.cx = x; this.cy = y; return this; }
  bezierCurveTo(a: number, b: number, c: number, d: number, x: number, y: number): this {
    this.ops.push(['bezierCurveTo', a, b, c, d, x, y]);
    this.cx = x; this.cy = y;
    return this;
  }
  /**
   * pdfkit 0.20 writes a quadratic curve as the PDF "v" operator, a different (cubic) curve;
   * the exact cubic has its control points two thirds of the way to the quadratic one.
   */
  quadraticCurveTo(qx: number, qy: number, x: number, y: number): this {
    return this.bezierCurveTo(this.cx + (2 / 3) * (qx - this.cx), this.cy + (2 / 3) * (qy - this.cy), x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), x, y);
  }
  closePath(): this { this.ops.push(['closePath']); this.cx = this.sx; this.cy = this.sy; return this; }
}

const PATH_DATA = /^[\sMmZzLlHhVvCcSsQqTtAa0-9.,eE+-]*$/;

class SvgPainter {
  private readonly ids = new Map<string, SvgElement>();
  private readonly rules: CssRule[] = [];
  /** What was left out: description → lines. */
  private readonly skipped = new Map<string, Set<number>>();
  private readonly using = new Set<SvgElement>();

  constructor(private readonly doc: Doc, private readonly root: SvgElement, private readonly opts: SvgDrawOptions) {
    this.index(root);
  }

  private index(el: SvgElement): void {
    const id = el.attrs['id'];
    if (id !== undefined && !this.ids.has(id)) this.ids.set(id, el);
    if (el.name === 'style') {
      const text = el.children.map((c) => ('text' in c ? c.text : '')).join('');
      this.rules.push(...parseCss(text, this.rules.length, (what) => this.skip(what, el.line)));
    }
    for (const c of el.children) if (isElement(c)) this.index(c);
  }

  skip(what: string, line: number): void {
    let lines = this.skipped.get(what);
    if (lines === undefined) { lines = new Set(); this.skipped.set(what, lines); }
    lines.add(line);
  }

  draw(box: SvgBox): void {
    const root = this.root;
    const vb = numbers(root.attrs['viewBox']);
    const w = length(root.attrs['width'], 300, 300);
    const h = length(root.attrs['height'], 150, 150);
    const [vx, vy, vw, vh] = vb.length === 4 && (vb[2] ?? 0) > 0 && (vb[3] ?? 0) > 0 ? vb as [number, number, number, number] : [0, 0, w, h];
    if (!(vw > 0 && vh > 0)) { this.skip('an empty or invalid viewBox/size', root.line); return; }
    const stretch = (root.attrs['preserveAspectRatio'] ?? '').trim().startsWith('none');
    const sx = box.width / vw;
    const sy = box.height / vh;
    const s = Math.min(sx, sy);
    const [kx, ky] = stretch ? [sx, sy] : [s, s];
    const ox = box.x + (box.width - vw * kx) / 2;
    const oy = box.y + (box.height - vh * ky) / 2;
    const doc = this.doc;
    doc.save();
    doc.rect(ox, oy, vw * kx, vh * ky).clip();
    doc.transform(kx, 0, 0, ky, ox - vx * kx, oy - vy * ky);
    this.children(root, this.styleOf(root, {}, vw, vh), vw, vh);
    doc.restore();
  }

  /** One warning for everything left out, or none. */
  report(): void {
    if (this.skipped.size === 0) return;
    const parts = [...this.skipped].map(([what, lines]) => `${what} (line${lines.size === 1 ? '' : 's'} ${[...lines].sort((a, b) => a - b).slice(0, 5).join(', ')}${lines.size > 5 ? ', …' : ''})`);
    this.opts.warn(`logo ${this.opts.file}: the PDF leaves out ${parts.join('; ')}. The rest of the logo is drawn; the HTML report shows it as the browser does. For an exact PDF logo, simplify the SVG or use a PNG.`);
  }

  /** Presentation attributes < <style> rules < style attribute; inherited properties from `parent`. */
  private styleOf(el: SvgElement, parent: Style, _vw: number, _vh: number): Style {
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(el.attrs)) if (PROPERTIES.has(k)) own[k] = v.trim();
    const classes = new Set((el.attrs['class'] ?? '').split(/\s+/).filter((c) => c !== ''));
    const matched = this.rules.filter((r) => (r.selector.tag === undefined || r.selector.tag === el.name)
      && (r.selector.cls === undefined || classes.has(r.selector.cls)) && (r.selector.id === undefined || r.selector.id === el.attrs['id']))
      .sort((a, b) => a.specificity - b.specificity || a.order - b.order);
    for (const r of matched) Object.assign(own, r.decls);
    Object.assign(own, declarations(el.attrs['style'] ?? ''));
    const style: Record<string, string> = {};
    for (const [k, v] of Object.entries(parent)) if (INHERITED.has(k)) style[k] = v;
    for (const [k, v] of Object.entries(own)) if (v !== 'inherit') style[k] = v;
    return style;
  }

  private children(el: SvgElement, style: Style, vw: number, vh: number): void {
    for (const c of el.children) if (isElement(c)) this.element(c, style, vw, vh);
  }

  private element(el: SvgElement, parent: Style, vw: number, vh: number): void {
    if (SILENT.has(el.name)) return;
    const why = UNSUPPORTED[el.name];
    if (why !== undefined) { this.skip(`<${el.name}>: ${why}`, el.line); return; }
    const style = this.styleOf(el, parent, vw, vh);
    if (style['display'] === 'none') return;
    for (const effect of ['mask', 'filter'] as const) {
      const v = style[effect];
      if (v !== undefined && v !== 'none') this.skip(`${effect} effects (the element is drawn without them)`, el.line);
    }
    const matrix = parseTransform(el.attrs['transform']);
    if (matrix === null) { this.skip('an unreadable transform (the element is left out)', el.line); return; }
    const doc = this.doc;
    doc.save();
    try {
      doc.transform(...matrix);
      if (!this.clip(el, style)) return;
      switch (el.name) {
        case 'g': case 'a': case 'switch': case 'svg':
          if (el.name === 'svg' && el !== this.root) doc.transform(1, 0, 0, 1, length(el.attrs['x'], vw, 0), length(el.attrs['y'], vh, 0));
          this.children(el, style, vw, vh);
          break;
        case 'use': this.use(el, style, vw, vh); break;
        case 'text': this.text(el, style, vw, vh); break;
        default: {
          const ops = this.shape(el, vw, vh);
          if (ops !== undefined) this.paint(el, ops, style, vw, vh);
        }
      }
    } finally {
      doc.restore();
    }
  }

  /** Applies `clip-path`; false when the element must not be drawn at all. */
  private clip(el: SvgElement, style: Style): boolean {
    const ref = style['clip-path'];
    if (ref === undefined || ref === 'none') return true;
    const target = this.ref(ref, el.line);
    if (target === undefined || target.name !== 'clipPath') {
      if (target !== undefined) this.skip(`clip-path pointing at <${target.name}>`, el.line);
      return true;
    }
    if (target.attrs['clipPathUnits'] === 'objectBoundingBox') { this.skip('clip paths in objectBoundingBox units (drawn unclipped)', target.line); return true; }
    const outer = parseTransform(target.attrs['transform']) ?? [1, 0, 0, 1, 0, 0];
    const ops: PathOp[] = [];
    let rule: 'nonzero' | 'evenodd' = 'nonzero';
    for (const c of target.children) {
      if (!isElement(c)) continue;
      const inner = parseTransform(c.attrs['transform']);
      const shape = c.name === 'use' ? undefined : this.shape(c, 0, 0);
      if (shape === undefined || inner === null) { this.skip(`<${c.name}> inside <clipPath>`, c.line); continue; }
      ops.push(...transformOps(shape, multiply(outer, inner)));
      if ((declarations(c.attrs['style'] ?? '')['clip-rule'] ?? c.attrs['clip-rule']) === 'evenodd') rule = 'evenodd';
    }
    if (ops.length === 0) return false;
    this.replay(ops);
    this.doc.clip(rule);
    return true;
  }

  /** The element `url(#id)` or `#id` names; external references are reported and never followed. */
  private ref(value: string, line: number): SvgElement | undefined {
    const m = /^\s*(?:url\(\s*['"]?([^'")]*)['"]?\s*\)|([^\s]+))/.exec(value);
    const target = m?.[1] ?? m?.[2] ?? '';
    if (!target.startsWith('#')) { this.skip(`an external reference "${target.slice(0, 60)}" (never loaded)`, line); return undefined; }
    const el = this.ids.get(target.slice(1));
    if (el === undefined) this.skip(`a reference to a missing element "${target.slice(0, 60)}"`, line);
    return el;
  }

  private use(el: SvgElement, style: Style, vw: number, vh: number): void {
    const href = el.attrs['href'];
    if (href === undefined) return;
    const target = this.ref(href, el.line);
    if (target === undefined || this.using.has(target)) return;
    this.using.add(target);
    try {
      this.doc.transform(1, 0, 0, 1, length(el.attrs['x'], vw, 0), length(el.attrs['y'], vh, 0));
      if (target.name === 'symbol') this.children(target, this.styleOf(target, style, vw, vh), vw, vh);
      else this.element(target, style, vw, vh);
    } finally {
      this.using.delete(target);
    }
  }

  /** The outline of a basic shape or path, or undefined when it draws nothing. */
  private shape(el: SvgElement, vw: number, vh: number): PathOp[] | undefined {
    const a = el.attrs;
    const L = (k: string, ref: number, d = 0): number => length(a[k], ref, d);
    const rec = new PathRecorder();
    switch (el.name) {
      case 'rect': {
        const x = L('x', vw), y = L('y', vh), w = L('width', vw), h = L('height', vh);
        if (!(w > 0 && h > 0)) return undefined;
        let rx = a['rx'] !== undefined ? L('rx', vw) : a['ry'] !== undefined ? L('ry', vh) : 0;
        let ry = a['ry'] !== undefined ? L('ry', vh) : rx;
        rx = Math.min(Math.max(0, rx), w / 2); ry = Math.min(Math.max(0, ry), h / 2);
        if (rx === 0 || ry === 0) { rec.moveTo(x, y).lineTo(x + w, y).lineTo(x + w, y + h).lineTo(x, y + h).closePath(); break; }
        const k = 0.5522847498;
        rec.moveTo(x + rx, y).lineTo(x + w - rx, y).bezierCurveTo(x + w - rx + k * rx, y, x + w, y + ry - k * ry, x + w, y + ry)
          .lineTo(x + w, y + h - ry).bezierCurveTo(x + w, y + h - ry + k * ry, x + w - rx + k * rx, y + h, x + w - rx, y + h)
          .lineTo(x + rx, y + h).bezierCurveTo(x + rx - k * rx, y + h, x, y + h - ry + k * ry, x, y + h - ry)
          .lineTo(x, y + ry).bezierCurveTo(x, y + ry - k * ry, x + rx - k * rx, y, x + rx, y).closePath();
        break;
      }
      case 'circle': case 'ellipse': {
        const cx = L('cx', vw), cy = L('cy', vh);
        const rx = el.name === 'circle' ? L('r', Math.hypot(vw, vh) / Math.SQRT2) : L('rx', vw);
        const ry = el.name === 'circle' ? rx : L('ry', vh);
        if (!(rx > 0 && ry > 0)) return undefined;
        const k = 0.5522847498;
        rec.moveTo(cx + rx, cy).bezierCurveTo(cx + rx, cy + k * ry, cx + k * rx, cy + ry, cx, cy + ry)
          .bezierCurveTo(cx - k * rx, cy + ry, cx - rx, cy + k * ry, cx - rx, cy)
          .bezierCurveTo(cx - rx, cy - k * ry, cx - k * rx, cy - ry, cx, cy - ry)
          .bezierCurveTo(cx + k * rx, cy - ry, cx + rx, cy - k * ry, cx + rx, cy).closePath();
        break;
      }
      case 'line': rec.moveTo(L('x1', vw), L('y1', vh)).lineTo(L('x2', vw), L('y2', vh)); break;
      case 'polyline': case 'polygon': {
        const p = numbers(a['points']);
        if (p.length < 4) return undefined;
        for (let i = 0; i + 1 < p.length; i += 2) {
          if (i === 0) rec.moveTo(p[i] ?? 0, p[i + 1] ?? 0); else rec.lineTo(p[i] ?? 0, p[i + 1] ?? 0);
        }
        if (el.name === 'polygon') rec.closePath();
        break;
      }
      case 'path': {
        const d = a['d'] ?? '';
        if (!PATH_DATA.test(d)) { this.skip('<path> with unreadable path data', el.line); return undefined; }
        try {
          // pdfkit's own SVG path parser, run against a recorder instead of the page.
          (this.doc.path as (this: unknown, d: string) => unknown).call(rec, d);
        } catch {
          this.skip('<path> with unreadable path data', el.line);
          return undefined;
        }
        break;
      }
      default:
        this.skip(`<${el.name}>: not an SVG element the PDF draws`, el.line);
        return undefined;
    }
    if (rec.ops.length === 0) return undefined;
    if (!rec.ops.every((op) => op.every((v) => typeof v === 'string' || Number.isFinite(v)))) {
      this.skip(`<${el.name}> with coordinates that are not numbers`, el.line);
      return undefined;
    }
    return rec.ops;
  }

  private replay(ops: readonly PathOp[]): void {
    const doc = this.doc;
    for (const op of ops) {
      switch (op[0]) {
        case 'moveTo': doc.moveTo(op[1], op[2]); break;
        case 'lineTo': doc.lineTo(op[1], op[2]); break;
        case 'bezierCurveTo': doc.bezierCurveTo(op[1], op[2], op[3], op[4], op[5], op[6]); break;
        default: doc.closePath();
      }
    }
  }

  /** Fills and strokes a recorded outline with the element's computed style. */
  private paint(el: SvgElement, ops: readonly PathOp[], style: Style, vw: number, vh: number): void {
    if (style['visibility'] === 'hidden' || style['visibility'] === 'collapse') return;
    const doc = this.doc;
    const opacity = clamp01(num(style['opacity'], 1));
    const bbox = bounds(ops);
    // A line encloses nothing; every other shape (a polyline too) is filled black unless told otherwise.
    const fill = el.name === 'line' ? null : this.paintOf(style['fill'] ?? 'black', style, bbox, el.line);
    const strokeWidth = length(style['stroke-width'], Math.hypot(vw, vh) / Math.SQRT2, 1);
    const stroke = strokeWidth > 0 ? this.paintOf(style['stroke'] ?? 'none', style, bbox, el.line) : null;
    if (fill === null && stroke === null) return;
    if (fill !== null) doc.fillColor(fill.color, clamp01(fill.alpha * num(style['fill-opacity'], 1) * opacity));
    if (stroke !== null) {
      doc.strokeColor(stroke.color, clamp01(stroke.alpha * num(style['stroke-opacity'], 1) * opacity));
      doc.lineWidth(strokeWidth);
      const cap = style['stroke-linecap'];
      if (cap === 'round' || cap === 'square' || cap === 'butt') doc.lineCap(cap);
      const join = style['stroke-linejoin'];
      if (join === 'round' || join === 'bevel' || join === 'miter') doc.lineJoin(join);
      const limit = num(style['stroke-miterlimit'], 4);
      if (limit >= 1) doc.miterLimit(limit);
      const dash = numbers(style['stroke-dasharray']);
      if (dash.length > 0 && dash.every((d) => d >= 0) && dash.some((d) => d > 0)) {
        const even = dash.length % 2 === 1 ? [...dash, ...dash] : dash;
        // pdfkit 0.20 takes a dash array; @types/pdfkit declares only a single length.
        if (even.every((d) => d > 0)) doc.dash(even as unknown as number, { phase: num(style['stroke-dashoffset'], 0) });
      }
    }
    this.replay(ops);
    const rule = style['fill-rule'] === 'evenodd' ? 'even-odd' : 'non-zero';
    if (fill !== null && stroke !== null) doc.fillAndStroke(rule);
    else if (fill !== null) doc.fill(rule);
    else doc.stroke();
  }

  /** A paint: a colour, or a gradient; null for none. */
  private paintOf(value: string, style: Style, bbox: Bounds, line: number): { color: PDFKit.Mixins.ColorValue; alpha: number } | null {
    const v = value.trim();
    if (v.startsWith('url(')) {
      const target = this.ref(v, line);
      const fallback = /\)\s*(.+)$/.exec(v)?.[1];
      if (target !== undefined && (target.name === 'linearGradient' || target.name === 'radialGradient')) {
        const g = this.gradient(target, bbox);
        if (g !== undefined) return g;
      } else if (target !== undefined) {
        this.skip(`paint from <${target.name}>`, line);
      }
      return fallback === undefined ? null : this.paintOf(fallback, style, bbox, line);
    }
    const c = parseColor(v, style['color']);
    return c === null ? null : { color: hex(c.rgb), alpha: c.alpha };
  }

  /** A pdfkit gradient for an SVG gradient element, following href for inherited stops and attributes. */
  private gradient(el: SvgElement, bbox: Bounds): { color: PDFKit.Mixins.ColorValue; alpha: number } | undefined {
    const chain: SvgElement[] = [];
    for (let g: SvgElement | undefined = el; g !== undefined && !chain.includes(g) && chain.length < 8;) {
      chain.push(g);
      const href: string | undefined = g.attrs['href'];
      g = href !== undefined && href.startsWith('#') ? this.ids.get(href.slice(1)) : undefined;
    }
    const attr = (k: string): string | undefined => chain.find((g) => g.attrs[k] !== undefined)?.attrs[k];
    const stopsOwner = chain.find((g) => g.children.some((c) => isElement(c) && c.name === 'stop'));
    const stops = (stopsOwner?.children ?? []).filter(isElement).filter((c) => c.name === 'stop');
    if (stops.length === 0) return undefined;
    const user = attr('gradientUnits') === 'userSpaceOnUse';
    const doc = this.doc;
    let g: PDFKit.PDFGradient;
    const frac = (k: string, d: number): number => {
      const v = attr(k);
      if (v === undefined) return d;
      return v.trim().endsWith('%') ? parseFloat(v) / 100 : num(v, d);
    };
    if (el.name === 'linearGradient') {
      g = doc.linearGradient(frac('x1', 0), frac('y1', 0), frac('x2', 1), frac('y2', 0));
    } else {
      const cx = frac('cx', 0.5), cy = frac('cy', 0.5), r = frac('r', 0.5);
      g = doc.radialGradient(frac('fx', cx), frac('fy', cy), 0, cx, cy, r);
    }
    let last = 0;
    for (const s of stops) {
      const st = this.styleOf(s, {}, 0, 0);
      const off = s.attrs['offset'] ?? '0';
      last = Math.max(last, clamp01(off.trim().endsWith('%') ? parseFloat(off) / 100 : num(off, 0)));
      const c = parseColor(st['stop-color'] ?? 'black') ?? { rgb: [0, 0, 0] as Rgb, alpha: 0 };
      g.stop(last, hex(c.rgb), clamp01(c.alpha * num(st['stop-opacity'], 1)));
    }
    const gt = parseTransform(attr('gradientTransform')) ?? [1, 0, 0, 1, 0, 0];
    const units: Matrix = user ? [1, 0, 0, 1, 0, 0] : [Math.max(bbox.w, 1e-6), 0, 0, Math.max(bbox.h, 1e-6), bbox.x, bbox.y];
    // pdfkit 0.20 has PDFGradient.setTransform; @types/pdfkit does not declare it.
    (g as unknown as { setTransform(...m: Matrix): unknown }).setTransform(...multiply(units, gt));
    return { color: g, alpha: 1 };
  }

  private text(el: SvgElement, style: Style, vw: number, vh: number): void {
    const doc = this.doc;
    let x = length(el.attrs['x']?.split(/[\s,]+/)[0], vw, 0);
    let y = length(el.attrs['y']?.split(/[\s,]+/)[0], vh, 0);
    const runs: { text: string; style: Style; x?: number; y?: number }[] = [];
    const collect = (node: SvgElement, st: Style): void => {
      for (const c of node.children) {
        if (!isElement(c)) { runs.push({ text: c.text, style: st }); continue; }
        if (c.name !== 'tspan') { if (!SILENT.has(c.name)) this.skip(`<${c.name}> inside <text>`, c.line); continue; }
        const cs = this.styleOf(c, st, vw, vh);
        if (cs['display'] === 'none') continue;
        const run: { text: string; style: Style; x?: number; y?: number } = { text: '', style: cs };
        if (c.attrs['x'] !== undefined) run.x = length(c.attrs['x'].split(/[\s,]+/)[0], vw, 0);
        if (c.attrs['y'] !== undefined) run.y = length(c.attrs['y'].split(/[\s,]+/)[0], vh, 0);
        runs.push(run);
        collect(c, cs);
      }
    };
    collect(el, style);
    const content = runs.map((r) => ({ ...r, text: r.text.replace(/\s+/g, ' ') }));
    const first = content.find((r) => r.text.trim() !== '');
    if (first !== undefined) first.text = first.text.trimStart();
    const lastRun = [...content].reverse().find((r) => r.text.trim() !== '');
    if (lastRun !== undefined) lastRun.text = lastRun.text.trimEnd();
    // text-anchor applies to the whole line: measure it first.
    const fontOf = (st: Style): void => {
      const bold = /^(bold|bolder|[6-9]00)$/.test((st['font-weight'] ?? '').trim());
      doc.font(bold ? this.opts.fonts.bold : this.opts.fonts.regular).fontSize(length(st['font-size'], vh, 16));
    };
    let total = 0;
    for (const r of content) { fontOf(r.style); total += r.text === '' ? 0 : doc.widthOfString(r.text); }
    const anchor = style['text-anchor'];
    if (anchor === 'middle') x -= total / 2; else if (anchor === 'end') x -= total;
    const cursor = { x: doc.x, y: doc.y };
    for (const r of content) {
      if (r.x !== undefined) x = r.x;
      if (r.y !== undefined) y = r.y;
      if (r.text === '') continue;
      fontOf(r.style);
      const w = doc.widthOfString(r.text);
      const visible = r.style['visibility'] !== 'hidden';
      const fill = this.paintOf(r.style['fill'] ?? 'black', r.style, { x, y: y - 1, w, h: 1 }, el.line);
      if (visible && fill !== null) {
        doc.fillColor(fill.color, clamp01(fill.alpha * num(r.style['fill-opacity'], 1) * clamp01(num(style['opacity'], 1))));
        doc.text(r.text, x, y, { lineBreak: false, baseline: 'alphabetic' });
      }
      x += w;
    }
    doc.x = cursor.x;
    doc.y = cursor.y;
  }
}

interface Bounds { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

/** Bounding box of an outline (control points included: close enough for gradient units). */
function bounds(ops: readonly PathOp[]): Bounds {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const op of ops) {
    for (let i = 1; i + 1 < op.length; i += 2) {
      const x = op[i] as number, y = op[i + 1] as number;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return Number.isFinite(x0) ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : { x: 0, y: 0, w: 0, h: 0 };
}

function transformOps(ops: readonly PathOp[], m: Matrix): PathOp[] {
  const pt = (x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
  return ops.map((op): PathOp => {
    switch (op[0]) {
      case 'moveTo': case 'lineTo': return [op[0], ...pt(op[1], op[2])];
      case 'bezierCurveTo': return ['bezierCurveTo', ...pt(op[1], op[2]), ...pt(op[3], op[4]), ...pt(op[5], op[6])];
      default: return op;
    }
  });
}

function hex(rgb: Rgb): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

function num(v: string | undefined, d: number): number {
  if (v === undefined) return d;
  const n = parseFloat(v);
  return Number.isFinite(n) ? n : d;
}

function clamp01(n: number): number {
  return Math.max(0, Math.min(1, n));
}

/**
 * Draws `root` fitted into `box` (centred, aspect ratio kept unless the SVG says none), clipped
 * to its viewport. Never throws for the SVG's content: what cannot be drawn is reported once
 * through `opts.warn`.
 */
export function drawSvg(doc: Doc, root: SvgElement, box: SvgBox, opts: SvgDrawOptions): void {
  const painter = new SvgPainter(doc, root, opts);
  painter.draw(box);
  painter.report();
}
