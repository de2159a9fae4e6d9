/**
 * `--format csv`: two files, so each has one kind of row and a fixed header (findings; controls),
 * for spreadsheets and GRC tools.
 */
import type { OutputFormat } from '../types.js';

export const csvFormat = {
  id: 'csv',
  help: 'a row per finding and a row per control, for spreadsheets and GRC tools',
  files: {
    findings: { suffix: '-findings.csv', mediaType: 'text/csv' },
    controls: { suffix: '-controls.csv', mediaType: 'text/csv' },
  },
  byDefault: false,
  toStdout: false,
  async render(model) {
    const { renderCsv } = await import('../csv/render.js');
    const { findings, controls } = renderCsv(model);
    return { findings, controls };
  },
} satisfies OutputFormat<'findings' | 'controls'>;
