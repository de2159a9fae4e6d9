/** `--format json`: the ReportModel itself, the one format that may go to standard output (`--out -`). */
import type { OutputFormat } from '../types.js';

export const jsonFormat = {
  id: 'json',
  help: 'the ReportModel, valid against its published JSON Schema',
  files: { report: { suffix: '.json', mediaType: 'application/json' } },
  byDefault: false,
  toStdout: true,
  async render(model, opts) {
    const { jsonRenderer } = await import('../json.js');
    return { report: await jsonRenderer.render(model, opts) };
  },
} satisfies OutputFormat;
