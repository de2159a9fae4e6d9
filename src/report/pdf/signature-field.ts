/**
 * The empty signature the PDF is drawn with when it is to be signed: a signature dictionary whose
 * /Contents is a run of zeros and whose /ByteRange is a fixed-width placeholder, and an invisible
 * signature field pointing at it. Signing (src/evidence/pdf-sign.ts) later fills both in place, so
 * the file keeps its length and every other byte, metadata included, is covered by the signature.
 *
 * Added before pdfkit writes the XMP packet and the Info dictionary, so they are signed too; nothing
 * may change the file after signing.
 *
 * PDF/A-2: the widget has a zero-size rectangle (no appearance stream needed), the Print flag and
 * no Hidden/NoView flag; the form has no NeedAppearances and no fonts of its own (pdfkit's
 * initForm would add an unembedded Helvetica), so the archival claim stays true.
 */
import { catalogue, enableAcroForm, newRef, type PdfRef } from './pdfkit-internals.js';
export interface SignatureFieldOptions {
  /** Bytes reserved for the CMS signature (its hex takes twice as many). */
  readonly contentsBytes: number;
  /** When the signature is made; written as /M (PAdES keeps the signing time out of the CMS). */
  readonly signingTime: Date;
  readonly reason: string;
  readonly name: string;
  readonly location?: string | undefined;
  /** The signing application: a PDF name (letters, digits, dots, dashes) and its version. */
  readonly appName: string;
  readonly appVersion: string;
}

/** What @signpdf/signpdf looks for: /ByteRange [0 /********** /********** /**********]. */
const BYTE_RANGE_PLACEHOLDER = '**********';
const SUBFILTER_PADES = 'ETSI.CAdES.detached';

const PRINT = 4;
const LOCKED = 128;
const SIGNATURES_EXIST = 1;
const APPEND_ONLY = 2;

export function addSignatureField(doc: PDFKit.PDFDocument, opts: SignatureFieldOptions): void {
  const root = catalogue(doc);
  const make = (data: Record<string, unknown>): PdfRef => newRef(doc, data);
  const signature = make({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_PADES,
    // pdfkit writes JavaScript strings as names, so the placeholder reads /**********.
    ByteRange: [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER],
    Contents: new Uint8Array(opts.contentsBytes),
    Reason: new String(opts.reason),
    Name: new String(opts.name),
    ...(opts.location !== undefined ? { Location: new String(opts.location) } : {}),
    M: opts.signingTime,
    Prop_Build: { App: { Name: opts.appName.replace(/[^A-Za-z0-9.-]/g, '-'), REx: new String(opts.appVersion) } },
  });
  signature.end();
  doc.switchToPage(0);
  const page = doc.page as unknown as { dictionary: unknown; annotations: unknown[] };
  const widget = make({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig', F: PRINT | LOCKED, Rect: [0, 0, 0, 0],
    T: new String('tlsproof signature'), TU: new String(`Signature of the report: ${opts.reason}`),
    V: signature, P: page.dictionary,
  });
  page.annotations.push(widget);
  widget.end();
  // pdfkit's endAcroForm ends the form (and only fields with kids); it runs only when enabled.
  enableAcroForm(doc);
  root.data['AcroForm'] = make({ Fields: [widget], SigFlags: SIGNATURES_EXIST | APPEND_ONLY, DR: { Font: {} } });
}
