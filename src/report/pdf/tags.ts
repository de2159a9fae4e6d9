/**
 * Tagged PDF: the structure tree (Document → Sect per report section → H1/H2/H3, P, Table → THead
 * / TBody → TR → TH / TD, Figure with Alt text, Link, TOC → TOCI) and the marked content that
 * ties what is drawn to it. Everything drawn is either content of a structure element or an
 * Artifact (running heads as Pagination, bands, rules and zebra fills as Layout), so a reader
 * that follows the tags sees the report's text once, in reading order.
 *
 * The drawing primitives of PdfContext call `content()` before text and `artifact()` before
 * decoration; sections only say which element they are in (`with`, `section`). Marked content
 * is opened lazily and kept open while consecutive operations belong to the same element, so a
 * table row costs a handful of BDC/EMC pairs, not one per operator.
 */

type Elem = PDFKit.PDFStructureElement;

/** The standard structure types this renderer uses (ISO 32000-1, 14.8.4); no role map needed. */
type StructType =
  | 'Document' | 'Sect' | 'H1' | 'H2' | 'H3' | 'P' | 'Figure' | 'Link'
  | 'Table' | 'THead' | 'TBody' | 'TR' | 'TH' | 'TD' | 'TOC' | 'TOCI';

type ArtifactType = 'Pagination' | 'Layout';

interface StructOptions {
  /** Alternate description (Figure). */
  readonly alt?: string;
  /** Title entry (Sect). */
  readonly title?: string;
  /** Replacement text, when the drawn pieces would read run together. */
  readonly actual?: string;
  /** Table attribute Scope of a header cell. */
  readonly scope?: 'Row' | 'Column';
}

/** A structure element and its type (the tag its marked content carries); no element when untagged. */
export interface StructNode {
  readonly elem: Elem | null;
  readonly type: StructType;
}

type Open =
  | { readonly kind: 'artifact'; readonly type: ArtifactType }
  | { readonly kind: 'content'; readonly node: StructNode; readonly content: PDFKit.PDFStructureContent };

/** Element types whose graphics are their content (a chart's bars), not decoration. */
const ABSORBS_GRAPHICS: ReadonlySet<StructType> = new Set(['Figure']);

export class Tagger {
  private readonly doc: PDFKit.PDFDocument;
  /** false: draw untagged (the structure calls do nothing), for comparison and speed tests. */
  readonly enabled: boolean;
  private readonly root: StructNode;
  private readonly stack: StructNode[];
  private open: Open | null = null;
  /** Set inside `asArtifact`: everything drawn, text included, is that artifact. */
  private forcedArtifact: ArtifactType | null = null;

  constructor(doc: PDFKit.PDFDocument, enabled = true) {
    this.doc = doc;
    this.enabled = enabled;
    this.root = { elem: enabled ? doc.struct('Document') : null, type: 'Document' };
    if (this.root.elem !== null) doc.addStructure(this.root.elem);
    this.stack = [this.root];
  }

  private get top(): StructNode {
    return this.stack[this.stack.length - 1] ?? this.root;
  }

  /** The innermost open element. */
  get current(): StructNode {
    return this.top;
  }

  /** A new element, added as the last child of the innermost open one. */
  private create(type: StructType, opts: StructOptions): StructNode {
    // Content already drawn for the parent must come before the new child in the tree.
    if (!this.enabled) return { elem: null, type };
    this.flush();
    const struct = (t: string, o: StructOptions): Elem => this.doc.struct(t, o);
    const elem = struct(type, opts);
    this.top.elem?.add(elem);
    return { elem, type };
  }

  /** Opens a child of the innermost element and makes it the innermost. */
  push(type: StructType, opts: StructOptions = {}): StructNode {
    const node = this.create(type, opts);
    this.stack.push(node);
    if (ABSORBS_GRAPHICS.has(type)) this.content();
    return node;
  }

  /** Ends the innermost element. */
  pop(): void {
    this.flush();
    const node = this.stack.pop();
    if (node === undefined || node === this.root) throw new Error('PDF renderer bug: structure stack underflow');
    node.elem?.end();
  }

  /** `fn` draws the content of a new element of `type`. */
  with<T>(type: StructType, opts: StructOptions, fn: () => T): T {
    this.push(type, opts);
    try {
      return fn();
    } finally {
      this.pop();
    }
  }

  /**
   * A child of the innermost element that stays open, off the stack, until `end(node)`: a table
   * cell whose text continues on the next page is filled in twice with `inside`.
   */
  child(type: StructType, opts: StructOptions = {}): StructNode {
    return this.create(type, opts);
  }

  /** `fn` draws (more) content of `node` without ending it. */
  inside<T>(node: StructNode, fn: () => T): T {
    this.flush();
    this.stack.push(node);
    try {
      return fn();
    } finally {
      this.flush();
      this.stack.pop();
    }
  }

  end(node: StructNode): void {
    if (this.open?.kind === 'content' && this.open.node === node) this.flush();
    node.elem?.end();
  }

  /** Starts a top-level Sect (ending the previous one and anything left open in it). */
  section(title: string): StructNode {
    while (this.stack.length > 1) this.pop();
    return this.push('Sect', { title });
  }

  /**
   * Takes the current top-level Sect off the stack without ending it, so content can be added
   * to it later with `inside` (the contents page is filled in once page numbers are known).
   * The caller ends it with `end`.
   */
  detachSection(): StructNode | undefined {
    this.flush();
    while (this.stack.length > 2) this.pop();
    return this.stack.length === 2 ? this.stack.pop() : undefined;
  }

  /** What is drawn next is content of the innermost element. */
  content(): void {
    if (!this.enabled) return;
    if (this.forcedArtifact !== null) {
      this.artifact(this.forcedArtifact);
      return;
    }
    const node = this.top;
    if (this.open?.kind === 'content' && this.open.node === node) return;
    this.flush();
    this.open = { kind: 'content', node, content: this.doc.markStructureContent(node.type) };
  }

  /** What is drawn next is decoration (inside a Figure it is the figure's content). */
  artifact(type: ArtifactType): void {
    if (!this.enabled) return;
    if (this.forcedArtifact === null && ABSORBS_GRAPHICS.has(this.top.type)) {
      this.content();
      return;
    }
    // A rule inside a running head stays part of that head's artifact.
    if (this.open?.kind === 'artifact') return;
    this.flush();
    this.doc.markContent('Artifact', { type });
    this.open = { kind: 'artifact', type };
  }

  /** Everything `fn` draws, text included, is an artifact (running heads, repeated table headers). */
  asArtifact<T>(type: ArtifactType, fn: () => T): T {
    const outer = this.forcedArtifact;
    if (this.open?.kind !== 'artifact' || this.open.type !== type) this.flush();
    this.forcedArtifact = type;
    this.artifact(type);
    try {
      return fn();
    } finally {
      this.forcedArtifact = outer;
      this.flush();
    }
  }

  /** Whether drawing is currently forced to be an artifact (links are then left out of the tree). */
  get inArtifact(): boolean {
    return this.forcedArtifact !== null;
  }

  /**
   * Closes the open marked-content sequence. Call before leaving a page: a sequence cannot span
   * pages (pdfkit carries it over only when it flows text onto a new page itself).
   */
  flush(): void {
    const open = this.open;
    if (open === null) return;
    this.open = null;
    this.doc.endMarkedContent();
    if (open.kind === 'content') open.node.elem?.add(open.content);
  }

  /** Ends every open element; the Document element itself is ended by pdfkit. */
  finish(): void {
    while (this.stack.length > 1) this.pop();
    this.flush();
  }

  /**
   * Adds a link annotation as an object reference of a Link element, with the link text as its
   * Contents. pdfkit 0.20.2 accepts `structParent` (and wraps the annotation), but the typings
   * do not declare it, and Contents must be a PDF string (a String object) rather than a name.
   */
  annotate(node: StructNode, kind: 'goTo' | 'link', x: number, y: number, w: number, h: number, target: string, text: string): void {
    if (node.elem === null) {
      if (kind === 'goTo') this.doc.goTo(x, y, w, h, target);
      else this.doc.link(x, y, w, h, target);
      return;
    }
    const fn: unknown = Reflect.get(this.doc, kind);
    if (typeof fn === 'function') Reflect.apply(fn, this.doc, [x, y, w, h, target, { structParent: node.elem, Contents: new String(text) }]);
  }
}
