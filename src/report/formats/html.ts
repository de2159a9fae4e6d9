/** `--format html`: one self-contained page (styles, charts and scripts inlined), for reading on screen. */
import type { OutputFormat } from '../types.js';

export const htmlFormat = {
  id: 'html',
  help: 'one self-contained web page to read and filter on screen',
  files: { report: { suffix: '.html', mediaType: 'text/html' } },
  byDefault: true,
  toStdout: false,
  async render(model, opts) {
    // Loaded here: handlebars and the templates cost start-up time other formats should not pay.
    const { htmlRenderer } = await import('../html/render.js');
    return { report: await htmlRenderer.render(model, opts) };
  },
} satisfies OutputFormat;
