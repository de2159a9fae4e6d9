/**
 * The renderer seam: a renderer turns a ReportModel into bytes; the caller writes the file.
 * Renderers never see observations, mappings or any other internal structure.
 */
import type { ReportModel } from '../model/report-model.js';

export interface RenderOptions {
  /** A folder whose files override the built-in templates of the same relative path. */
  readonly templatesDir?: string;
}

export interface Renderer {
  readonly id: 'html' | 'pdf' | 'json';
  readonly extension: '.html' | '.pdf' | '.json';
  render(model: ReportModel, opts: RenderOptions): Promise<Uint8Array>;
}
