/** `--format oscal`: the assessment as OSCAL Assessment Results, for GRC tools that import OSCAL. */
import type { OutputFormat } from '../types.js';

export const oscalFormat = {
  id: 'oscal',
  help: 'an OSCAL 1.1.3 Assessment Results document',
  files: { report: { suffix: '.oscal.json', mediaType: 'application/json' } },
  byDefault: false,
  toStdout: false,
  async render(model, opts) {
    const { oscalRenderer } = await import('../oscal/render.js');
    return { report: await oscalRenderer.render(model, opts) };
  },
} satisfies OutputFormat;
