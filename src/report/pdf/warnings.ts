/**
 * Render warnings: problems that leave the PDF usable but not as intended (a character no font
 * can show, an SVG logo element the PDF cannot draw). Code that only has the pdfkit document at
 * hand reports them here; renderPdf passes each distinct message once to `onWarning`.
 */
const sinks = new WeakMap<object, (message: string) => void>();

/** Sends `doc`'s warnings to `sink`, each distinct message once. */
export function collectWarnings(doc: PDFKit.PDFDocument, sink: ((message: string) => void) | undefined): void {
  const seen = new Set<string>();
  sinks.set(doc, (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    sink?.(message);
  });
}

export function warn(doc: PDFKit.PDFDocument, message: string): void {
  sinks.get(doc)?.(message);
}
