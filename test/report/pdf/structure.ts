/**
 * Reads a tagged PDF back for the tagging tests: a small reader of pdfkit's uncompressed output
 * (render with `compress: false`) that rebuilds the structure tree from the objects, with the
 * text of each element decoded from the content streams through the fonts' ToUnicode maps, and
 * reports what each page draws outside marked content. (poppler's `pdfinfo -struct-text` prints
 * the same tree but takes seconds per page, so it is too slow for a test.)
 */

/** One element of the structure tree. */
export interface StructElement {
  readonly type: string;
  /** The element's T entry (Sect titles). */
  readonly title: string | undefined;
  /** The element's Alt entry (Figure). */
  readonly alt: string | undefined;
  /** Table attributes, e.g. "/Scope /Column". */
  readonly attrs: string[];
  /** Own text (one string per marked-content sequence) and child elements, in order. */
  readonly items: (string | StructElement)[];
  /** Link annotations among the element's kids (OBJR). */
  readonly annotations: number;
}

export function children(el: StructElement): StructElement[] {
  return el.items.filter((i): i is StructElement => typeof i !== 'string');
}

/** Every element below `el` (itself included), depth first in document order. */
export function descendants(el: StructElement): StructElement[] {
  return [el, ...children(el).flatMap(descendants)];
}

/** The element's text with its descendants', pieces joined by a space, white space collapsed. */
export function textOf(el: StructElement): string {
  return el.items.map((i) => (typeof i === 'string' ? i : textOf(i))).join(' ').replace(/\s+/g, ' ').trim();
}

/** PDF literal string body → JS string (escapes, then UTF-16BE when it has a BOM). */
export function decodePdfString(body: string): string {
  const raw = body.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) => {
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
    return simple[e] ?? String.fromCharCode(parseInt(e, 8));
  });
  if (raw.startsWith('\xfe\xff')) {
    let out = '';
    for (let i = 2; i + 1 < raw.length; i += 2) out += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return out;
  }
  return raw;
}

interface PdfObject { readonly id: number; readonly dict: string; readonly stream: string | undefined }

/** The objects of an uncompressed pdfkit file, by number. */
export function pdfObjects(bytes: Uint8Array): Map<number, PdfObject> {
  const pdf = Buffer.from(bytes).toString('latin1');
  const out = new Map<number, PdfObject>();
  const objRe = /(\d+) 0 obj\n([\s\S]*?)\nendobj/g;
  for (let m = objRe.exec(pdf); m !== null; m = objRe.exec(pdf)) {
    const body = m[2] ?? '';
    const at = body.indexOf('\nstream\n');
    const end = body.lastIndexOf('\nendstream');
    out.set(Number(m[1]), at < 0 ? { id: Number(m[1]), dict: body, stream: undefined }
      : { id: Number(m[1]), dict: body.slice(0, at), stream: body.slice(at + 8, end < 0 ? undefined : end) });
  }
  return out;
}

export interface PageMarks {
  /** Painting operators (text, paths, images) outside any marked-content sequence. */
  readonly unmarked: string[];
  /** Painting operators in all (a reader that found none would prove nothing). */
  readonly painted: number;
  /** MCIDs opened on the page, in order. */
  readonly mcids: number[];
  /** Number of Artifact sequences by type. */
  readonly artifacts: Map<string, number>;
}

const PAINT = /(?:^|\s)(TJ|Tj|'|"|f|f\*|F|S|s|B|B\*|b|b\*|Do|sh)$/;

/**
 * Walks each page's content stream (pdfkit writes one operator per line, a BDC's property
 * dictionary over several) and reports what is drawn outside marked content.
 */
export function pageMarks(objects: ReadonlyMap<number, PdfObject>): PageMarks[] {
  const pages: PageMarks[] = [];
  const pageObjs = [...objects.values()].filter((o) => /\/Type \/Page\n/.test(o.dict));
  for (const p of pageObjs) {
    const ref = /\/Contents (\d+) 0 R/.exec(p.dict);
    const content = ref?.[1] === undefined ? undefined : objects.get(Number(ref[1]))?.stream;
    if (content === undefined) throw new Error(`page object ${p.id} has no content stream`);
    const unmarked: string[] = [];
    const mcids: number[] = [];
    const artifacts = new Map<string, number>();
    let depth = 0;
    let painted = 0;
    let pending = '';
    for (const raw of content.split('\n')) {
      const line = pending === '' ? raw : `${pending}\n${raw}`;
      if (line.startsWith('/') && line.includes('<<') && !line.includes('>>')) { pending = line; continue; }
      pending = '';
      if (/ BDC$| BMC$/.test(line)) {
        depth++;
        const mcid = /\/MCID (\d+)/.exec(line);
        if (mcid?.[1] !== undefined) mcids.push(Number(mcid[1]));
        const art = /^\/Artifact [\s\S]*\/Type \/(\w+)/.exec(line);
        if (art?.[1] !== undefined) artifacts.set(art[1], (artifacts.get(art[1]) ?? 0) + 1);
      } else if (line === 'EMC') {
        depth--;
      } else if (PAINT.test(line)) {
        painted++;
        if (depth <= 0) unmarked.push(line.slice(0, 60));
      }
    }
    pages.push({ unmarked, painted, mcids, artifacts });
  }
  return pages;
}

/** Annotation objects without a StructParent entry (links left out of the structure tree). */
export function untaggedAnnotations(objects: ReadonlyMap<number, PdfObject>): number[] {
  return [...objects.values()].filter((o) => o.dict.includes('/Type /Annot\n') && !o.dict.includes('/StructParent ')).map((o) => o.id);
}

/** Font resource name (F1, F2 …) → code → text, from each Type0 font's ToUnicode CMap. */
function fontMaps(objects: ReadonlyMap<number, PdfObject>): Map<string, Map<number, string>> {
  const names = new Map<string, number>();
  for (const o of objects.values()) {
    const fonts = /\/Font <<\n([\s\S]*?)>>/.exec(o.dict);
    if (fonts?.[1] === undefined) continue;
    for (const m of fonts[1].matchAll(/\/(\w+) (\d+) 0 R/g)) names.set(m[1] ?? '', Number(m[2]));
  }
  const out = new Map<string, Map<number, string>>();
  for (const [name, id] of names) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(objects.get(id)?.dict ?? '');
    const cmap = ref?.[1] === undefined ? undefined : objects.get(Number(ref[1]))?.stream;
    const codes = new Map<number, string>();
    for (const range of (cmap ?? '').matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4})> \[([^\]]*)\]/gi)) {
      let code = parseInt(range[1] ?? '0', 16);
      for (const entry of (range[3] ?? '').matchAll(/<([0-9a-f ]*)>/gi)) {
        const units = (entry[1] ?? '').split(' ').filter((u) => u !== '').map((u) => parseInt(u, 16));
        codes.set(code++, String.fromCharCode(...units));
      }
    }
    out.set(name, codes);
  }
  return out;
}

/** Page object id → MCID → the text shown in that marked-content sequence. */
function markedText(objects: ReadonlyMap<number, PdfObject>): Map<number, Map<number, string>> {
  const fonts = fontMaps(objects);
  const out = new Map<number, Map<number, string>>();
  for (const p of objects.values()) {
    if (!/\/Type \/Page\n/.test(p.dict)) continue;
    const ref = /\/Contents (\d+) 0 R/.exec(p.dict);
    const content = ref?.[1] === undefined ? '' : objects.get(Number(ref[1]))?.stream ?? '';
    const texts = new Map<number, string>();
    const open: (number | null)[] = [];
    let font = new Map<number, string>();
    let pending = '';
    for (const raw of content.split('\n')) {
      const line = pending === '' ? raw : `${pending}\n${raw}`;
      if (line.startsWith('/') && line.includes('<<') && !line.includes('>>')) { pending = line; continue; }
      pending = '';
      const mcid = open.findLast((m) => m !== null) ?? null;
      if (/ BDC$| BMC$/.test(line)) {
        const m = /\/MCID (\d+)/.exec(line);
        open.push(m?.[1] === undefined ? null : Number(m[1]));
      } else if (line === 'EMC') {
        open.pop();
      } else if (/ Tf$/.test(line)) {
        font = fonts.get(/^\/(\w+) /.exec(line)?.[1] ?? '') ?? new Map();
      } else if (/ Tm$/.test(line) && mcid !== null && (texts.get(mcid) ?? '') !== '') {
        // A new line of the same sequence (a wrapped paragraph): keep the words apart.
        texts.set(mcid, `${texts.get(mcid) ?? ''} `);
      } else if (/ (TJ|Tj)$/.test(line) && mcid !== null) {
        let shown = '';
        for (const hex of line.matchAll(/<([0-9a-f]*)>/gi)) {
          const h = hex[1] ?? '';
          for (let i = 0; i + 4 <= h.length; i += 4) shown += font.get(parseInt(h.slice(i, i + 4), 16)) ?? '\ufffd';
        }
        texts.set(mcid, (texts.get(mcid) ?? '') + shown);
      }
    }
    out.set(p.id, texts);
  }
  return out;
}

/** The structure tree (the element under StructTreeRoot) with every element's text. */
export function structureTree(objects: ReadonlyMap<number, PdfObject>): StructElement {
  const texts = markedText(objects);
  const root = [...objects.values()].find((o) => o.dict.includes('/Type /StructTreeRoot'));
  const first = root === undefined ? undefined : /\/K \[(\d+) 0 R/.exec(root.dict)?.[1];
  if (first === undefined) throw new Error('no StructTreeRoot with a kid');
  const build = (id: number): StructElement => {
    const dict = objects.get(id)?.dict ?? '';
    const type = /\/S \/(\w+)/.exec(dict)?.[1];
    if (type === undefined) throw new Error(`object ${id} is not a structure element`);
    const str = (key: string) => {
      const m = new RegExp(`\\/${key} \\(((?:\\\\.|[^\\\\)])*)\\)`).exec(dict);
      return m?.[1] === undefined ? undefined : decodePdfString(m[1]);
    };
    // The element's own Pg follows its K array (an OBJR inside K has a Pg of its own).
    const page = Number(/\]\n\/Pg (\d+) 0 R/.exec(dict)?.[1] ?? -1);
    const scope = /\/Scope \/(\w+)/.exec(dict)?.[1];
    const el: StructElement = { type, title: str('T'), alt: str('Alt'), attrs: scope === undefined ? [] : [`/Scope /${scope}`], items: [], annotations: 0 };
    let annotations = 0;
    const kids = /\/K \[([^\]]*)\]/.exec(dict)?.[1] ?? '';
    for (const k of kids.matchAll(/<<([\s\S]*?)>>|(\d+) 0 R|(\d+)/g)) {
      if (k[1] !== undefined) {
        if (k[1].includes('/Type /OBJR')) { annotations++; continue; }
        const pg = Number(/\/Pg (\d+) 0 R/.exec(k[1])?.[1] ?? -1);
        el.items.push(texts.get(pg)?.get(Number(/\/MCID (\d+)/.exec(k[1])?.[1] ?? -1)) ?? '');
      } else if (k[2] !== undefined) {
        el.items.push(build(Number(k[2])));
      } else if (k[3] !== undefined) {
        el.items.push(texts.get(page)?.get(Number(k[3])) ?? '');
      }
    }
    return { ...el, annotations };
  };
  return build(Number(first));
}
