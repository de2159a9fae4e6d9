/**
 * Parses an SVG logo into a small element tree for the PDF renderer (pdf/svg.ts). Logos are
 * user files, so parsing is strict and self-contained: the XML must be well-formed (saxes; no
 * entity beyond XML's five is expanded, nothing is fetched), the root must be <svg>, and the
 * tree is capped in depth and size. Elements and attributes of other namespaces (Inkscape,
 * Sodipodi, RDF metadata) are dropped; xlink:href is kept as href. No I/O. It sits in config/
 * because a logo is checked when the configuration loads; the PDF renderer only draws the tree.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** Deeper nesting or more elements than this is not a logo. */
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 20_000;

export interface SvgElement {
  /** Local name, e.g. "path". */
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly SvgNode[];
  /** 1-based line of the start tag, for messages. */
  readonly line: number;
}

export type SvgNode = SvgElement | { readonly text: string };

export function isElement(n: SvgNode): n is SvgElement {
  return 'name' in n;
}

/** Not well-formed XML, or not an SVG document; `line`/`column` are 1-based when known. */
export class SvgParseError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(line === undefined ? message : `line ${line}${column === undefined ? '' : ` column ${column}`}: ${message}`);
    this.name = 'SvgParseError';
  }
}

interface Building { name: string; attrs: Record<string, string>; children: SvgNode[]; line: number; keep: boolean }

/** The <svg> root element of `text`; throws SvgParseError. */
export function parseSvg(text: string): SvgElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Building[] = [];
  let root: SvgElement | undefined;
  let count = 0;
  const fail = (message: string): never => { throw new SvgParseError(message, parser.line, parser.column); };

  parser.on('error', (err) => {
    // saxes prefixes "line:column: "; keep just the reason and give the position our way.
    fail(err.message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, ''));
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack.at(-1);
    // Elements of other namespaces (editor metadata) are dropped with everything inside them.
    const keep = (parent === undefined || parent.keep) && (tag.uri === SVG_NS || tag.uri === '');
    if (parent === undefined && !(keep && tag.local === 'svg')) {
      fail(`the root element is <${tag.name}>, not <svg>`);
    }
    if (stack.length >= MAX_DEPTH) fail(`elements are nested more than ${MAX_DEPTH} deep`);
    if (++count > MAX_ELEMENTS) fail(`more than ${MAX_ELEMENTS} elements`);
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.uri === '' ) attrs[a.local] = a.value;
      else if (a.uri === XLINK_NS && a.local === 'href' && attrs['href'] === undefined) attrs['href'] = a.value;
    }
    stack.push({ name: tag.local, attrs, children: [], line: parser.line, keep });
  });
  const onText = (t: string): void => {
    const top = stack.at(-1);
    if (top !== undefined && top.keep) top.children.push({ text: t });
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const done = stack.pop();
    if (done === undefined) return;
    const element: SvgElement = { name: done.name, attrs: done.attrs, children: done.children, line: done.line };
    const parent = stack.at(-1);
    if (parent === undefined) root = element;
    else if (done.keep) parent.children.push(element);
  });
  parser.write(text).close();
  if (root === undefined) throw new SvgParseError('no <svg> element');
  return root;
}
