/**
 * The renderer seam: a renderer turns a ReportModel into bytes; the caller writes the file.
 * Renderers never see observations, mappings or any other internal structure.
 */
import type { ReportConfig } from '../config/schema.js';
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

export interface Renderer {
  readonly id: 'html' | 'pdf' | 'json' | 'oscal';
  readonly extension: '.html' | '.pdf' | '.json' | '.oscal.json';
  render(model: ReportModel, opts: RenderOptions): Promise<Uint8Array>;
}
