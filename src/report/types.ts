/**
 * The renderer seam: an output format turns a ReportModel into the bytes of one or more files;
 * the caller names and writes them. Renderers never see observations, mappings or any other
 * internal structure. Every format is one entry of the registry in ./formats/index.ts.
 */
import type { ReportConfig } from '../config/schema.js';
import type { SigningCredentials } from '../evidence/credentials.js';
import type { ReportModel } from '../model/report-model.js';

export interface RenderOptions {
  /** A folder whose files override the built-in templates of the same relative path. */
  readonly templatesDir?: string;
  /**
   * report.config.yaml, loaded with `loadReportConfig`: branding, classification, sections and
   * their order, text blocks, sign-off, remediation deadlines. Both renderers obey it.
   * @default built-in look, every section
   */
  readonly config?: ReportConfig;
  /**
   * Told about problems that do not stop the report but make it look wrong (characters no
   * embedded font can show, parts of an SVG logo the PDF cannot draw); each message once.
   * @default ignored
   */
  readonly onWarning?: (message: string) => void;
}

/** The signer of a run (--sign): the PDF's PAdES signature and the bundle manifest's CMS. */
export interface PdfSigning {
  readonly credentials: SigningCredentials;
  readonly signingTime: Date;
  /** RFC 3161 time-stamp over the signature value (--tsa). */
  readonly timestamp?: ((signatureValue: Uint8Array) => Promise<Uint8Array>) | undefined;
}

/** A renderer of one file (the HTML, PDF, JSON and OSCAL modules export one each). */
export interface Renderer {
  render(model: ReportModel, opts: RenderOptions): Promise<Uint8Array>;
}

/** One file a format writes: `<base><suffix>`, e.g. `tlsproof-Q3-2026-findings.csv`. */
export interface OutputFile {
  /** Appended to the run's base name; starts with `.` or `-` and ends with the file's extension. */
  readonly suffix: string;
  /** IANA media type of the file's content. */
  readonly mediaType: string;
}

/** The bytes of every file of a format, by the part names its entry declares. */
export type RenderedFiles<Part extends string> = Readonly<Record<Part, Uint8Array>>;

/**
 * A signature carried inside the format's own file (the PDF's PAdES signature): the file is drawn
 * with room for it, then filled. The evidence store re-checks each signed file as a signed PDF.
 */
export interface EmbeddedSignature<Part extends string> {
  /** Renders the files with room for the signature. */
  prepare(model: ReportModel, opts: RenderOptions, signing: PdfSigning): Promise<RenderedFiles<Part>>;
  /** The post-step: fills the room with the signature over the prepared bytes. */
  sign(prepared: RenderedFiles<Part>, signing: PdfSigning): Promise<RenderedFiles<Part>>;
}

/**
 * An output format (`--format <id>`): what it writes, how it is described, how it renders. Heavy
 * renderers load inside `render`, so the registry costs nothing to import (the CLI's help lists it).
 */
export interface OutputFormat<Part extends string = 'report'> {
  /** The registry key, as typed after --format. */
  readonly id: string;
  /** One line for --help and the README: what the file is for. */
  readonly help: string;
  /** The files it writes, in this order; most formats write one (`report`). */
  readonly files: Readonly<Record<Part, OutputFile>>;
  /** Written when --format is not given. */
  readonly byDefault: boolean;
  /** May be written to standard output (`--out -`): one file that is text a pipe can take. */
  readonly toStdout: boolean;
  render(model: ReportModel, opts: RenderOptions): Promise<RenderedFiles<Part>>;
  /** With --sign: rendered through this instead of `render`, then signed. */
  readonly signature?: EmbeddedSignature<Part> | undefined;
}
