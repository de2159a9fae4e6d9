/**
 * `--format pdf`: the report an auditor files (tagged PDF, fonts embedded). With --sign it is drawn
 * with room for a PAdES signature, which the signature's post-step then fills.
 */
import type { OutputFormat } from '../types.js';

export const pdfFormat = {
  id: 'pdf',
  help: 'the report to file with the audit; signed (PAdES) with --sign',
  files: { report: { suffix: '.pdf', mediaType: 'application/pdf' } },
  byDefault: true,
  toStdout: false,
  async render(model, opts) {
    // Loaded here: pdfkit and the fonts cost start-up time other formats should not pay.
    const { pdfRenderer } = await import('../pdf/render.js');
    return { report: await pdfRenderer.render(model, opts) };
  },
  signature: {
    async prepare(model, opts, signing) {
      const { renderPdfForSigning } = await import('../sign/pdf.js');
      return { report: await renderPdfForSigning(model, opts, signing) };
    },
    async sign(prepared, signing) {
      const { signPreparedPdf } = await import('../sign/pdf.js');
      return { report: await signPreparedPdf(prepared.report, signing) };
    },
  },
} satisfies OutputFormat;
