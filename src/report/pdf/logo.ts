/**
 * The configured logo on the PDF cover: PNG and JPEG are embedded as images, SVG is drawn as
 * vector graphics (svg.ts). A logo that cannot be drawn never stops the report: it is left out
 * with a warning naming the file (report.config.yaml already rejects malformed SVG at load time;
 * this is the second line for configs built in code).
 */
import type { ReportConfig } from '../../config/schema.js';
import { parseSvg, SvgParseError } from '../../config/svg.js';
import { fontPaths } from './fonts.js';
import { drawSvg, type SvgBox } from './svg.js';
import { warn } from './warnings.js';

/** Draws `logo` fitted and centred in `box`. */
export function drawLogoImage(doc: PDFKit.PDFDocument, config: ReportConfig, box: SvgBox): void {
  const logo = config.logo;
  if (logo === undefined) return;
  if (logo.mime !== 'image/svg+xml') {
    doc.image(Buffer.from(logo.bytes), box.x, box.y, { fit: [box.width, box.height], align: 'center', valign: 'center' });
    return;
  }
  let root;
  try {
    root = parseSvg(new TextDecoder().decode(logo.bytes));
  } catch (err) {
    if (!(err instanceof SvgParseError)) throw err;
    warn(doc, `logo ${logo.file}: not drawn in the PDF: not a well-formed SVG file: ${err.message}.`);
    return;
  }
  const builtin = fontPaths();
  const fonts = { regular: config.font.regular ?? builtin.regular, bold: config.font.bold ?? config.font.regular ?? builtin.bold };
  drawSvg(doc, root, box, { fonts, file: logo.file, warn: (m) => warn(doc, m) });
}
