/**
 * Every output format, in the order --help and the README list them. The one list: --format's
 * values and validation, the default formats, the help text, the file names a run writes and the
 * README's format table all come from here. To add a format: write `./<id>.ts` exporting its
 * OutputFormat and add one line below; test/report/formats/registry.test.ts then asks for its test.
 * Entries import their renderers lazily, so importing this costs no start-up time.
 */
import type { ReportModel } from '../../model/report-model.js';
import type { OutputFormat, PdfSigning, RenderOptions } from '../types.js';
import { csvFormat } from './csv.js';
import { htmlFormat } from './html.js';
import { jsonFormat } from './json.js';
import { oscalFormat } from './oscal.js';
import { pdfFormat } from './pdf.js';

export const outputFormats = {
  html: htmlFormat,
  pdf: pdfFormat,
  json: jsonFormat,
  csv: csvFormat,
  oscal: oscalFormat,
} as const satisfies Record<string, OutputFormat<string>>;
export type OutputFormatId = keyof typeof outputFormats;
export const OUTPUT_FORMAT_IDS = Object.keys(outputFormats) as OutputFormatId[];
/** What a run writes when --format is not given. */
export const DEFAULT_FORMATS: readonly OutputFormatId[] = OUTPUT_FORMAT_IDS.filter((id) => outputFormats[id].byDefault);

export function isOutputFormatId(s: string): s is OutputFormatId {
  return Object.hasOwn(outputFormats, s);
}

/** Seen through the common shape, whatever its parts are called. */
export function outputFormat(id: OutputFormatId): OutputFormat<string> {
  return outputFormats[id];
}

/** The names a format writes for a run whose files are called `base` (tlsproof-Q3-2026 → tlsproof-Q3-2026.pdf). */
export function fileNames(id: OutputFormatId, base: string): string[] {
  return Object.values(outputFormat(id).files).map((f) => `${base}${f.suffix}`);
}

export interface RenderedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Carries a signature the evidence store should keep a record of. */
  readonly signed: boolean;
}

/**
 * Renders one format into its named files. With `signing`, a format that declares an embedded
 * signature is drawn with room for it and then signed; one that declares none renders as usual.
 */
export async function renderFormat(id: OutputFormatId, model: ReportModel, base: string,
  opts: RenderOptions, signing?: PdfSigning): Promise<RenderedFile[]> {
  const format = outputFormat(id);
  const signature = signing !== undefined ? format.signature : undefined;
  const bytes = signature !== undefined
    ? await signature.sign(await signature.prepare(model, opts, signing!), signing!)
    : await format.render(model, opts);
  return Object.entries(format.files).map(([part, file]) => {
    const b = bytes[part];
    // A format whose render leaves out a file it declares is a bug in that format, not a user error.
    if (b === undefined) throw new Error(`output format ${id} rendered no "${part}" file`);
    return { name: `${base}${file.suffix}`, bytes: b, signed: signature !== undefined };
  });
}
