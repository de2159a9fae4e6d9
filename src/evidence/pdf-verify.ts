/**
 * Verifies the signatures of a PDF: for each /ByteRange signature dictionary, that the byte
 * ranges cover the whole file but the signature itself (anything appended later is named), that
 * the signed bytes match the digest in the CMS, that the signature verifies, and, with trust
 * anchors, that the chain leads to one of them at the signing time.
 */
import type { X509Certificate } from 'node:crypto';
import { verifyCms, type CmsVerification } from './cms.js';

interface PdfSignatureCheck extends CmsVerification {
  readonly byteRange: readonly number[];
  readonly subFilter: string | null;
  /** /M in the signature dictionary (ISO 8601), when it parses. */
  readonly signingTime: string | null;
}

interface PdfVerification {
  readonly signatures: readonly PdfSignatureCheck[];
  /** Every fact that does not hold, in words, naming what was altered; empty when all holds. */
  readonly problems: readonly string[];
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

function pdfDate(s: string | undefined): Date | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(s ?? '');
  return m === null ? undefined : new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** The length of the DER element at the start of `bytes` (the CMS is zero-padded in /Contents). */
export function derLength(bytes: Buffer): number {
  if (bytes.length < 2) return bytes.length;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (bytes[2 + i] ?? 0);
  return Math.min(bytes.length, 2 + n + len);
}

export function verifyPdf(pdf: Uint8Array, anchors: readonly X509Certificate[]): PdfVerification {
  const file = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const text = file.toString('latin1');
  const signatures: PdfSignatureCheck[] = [];
  const problems: string[] = [];
  for (const m of text.matchAll(BYTE_RANGE)) {
    const range = m.slice(1, 5).map(Number) as [number, number, number, number];
    const [a, b, c, d] = range;
    const n = signatures.length + 1;
    // The dictionary around this /ByteRange, for /SubFilter and /M.
    const dictStart = text.lastIndexOf('<<', m.index);
    const dictEnd = text.indexOf('>>', c);
    const dict = text.slice(dictStart, m.index) + text.slice(c, dictEnd);
    const subFilter = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dict)?.[1] ?? null;
    const signingTime = pdfDate(/\/M\s*\(([^)]*)\)/.exec(dict)?.[1]);
    const label = signatures.length === 0 && text.indexOf('/ByteRange', m.index + 1) < 0 ? 'the signature' : `signature ${n}`;
    if (a !== 0 || b >= c || c + d > file.length || text[b] !== '<' || text[c - 1] !== '>') {
      problems.push(`${label}: its byte range [${range.join(' ')}] does not frame the signature value; the signature dictionary was altered`);
      continue;
    }
    const hex = text.slice(b + 1, c - 1);
    if (!/^[0-9a-fA-F]*$/.test(hex)) {
      problems.push(`${label}: the signature value is not hexadecimal; it was altered`);
      continue;
    }
    const raw = Buffer.from(hex, 'hex');
    const cms = raw.subarray(0, derLength(raw));
    const signed = Buffer.concat([file.subarray(0, b), file.subarray(c, c + d)]);
    const result = verifyCms(cms, signed, { anchors, signingTime });
    const { eContent: _unused, ...check } = result;
    signatures.push({ ...check, byteRange: range, subFilter, signingTime: signingTime?.toISOString() ?? null });
    for (const p of result.problems) {
      problems.push(`${label}: ${p.startsWith('the signed content') ? 'the PDF\'s signed bytes do not match the digest in the signature: the document was altered after signing' : p}`);
    }
    if (c + d < file.length && signatures.length === countRanges(text)) {
      problems.push(`${file.length - (c + d)} bytes were added after ${label}: the PDF was changed after signing (an incremental update or appended data)`);
    }
  }
  if (signatures.length === 0 && problems.length === 0) problems.push('the PDF has no signature');
  return { signatures, problems };
}

function countRanges(text: string): number {
  return [...text.matchAll(BYTE_RANGE)].length;
}
