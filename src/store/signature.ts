/**
 * Signed PDF reports in the store: what is kept of each (the PDF's SHA-256, the signer, the
 * signing and time-stamp times, and the CMS signature itself) and how `store verify` re-checks it.
 * The PDF is not kept, so its bytes cannot be re-checked here; the CMS can: that it still reads,
 * that its signature over the signed attributes verifies with the embedded signer certificate,
 * that this certificate and the times are the ones recorded, and that a time-stamp token, when
 * recorded, still stamps this signature.
 */
import { verifyCms } from '../evidence/cms.js';
import { derLength, verifyPdf } from '../evidence/pdf-verify.js';
import { sha256Hex } from './codec.js';
import type { SignatureRecord } from './types.js';

/** The record of a PDF tlsproof has just signed; throws if the PDF's own signature does not check out. */
export function signatureRecord(file: string, pdf: Uint8Array): SignatureRecord {
  const result = verifyPdf(pdf, []);
  const sig = result.signatures[0];
  if (sig === undefined || sig.signer === null || sig.signerCertSha256 === null || result.problems.length > 0) {
    throw new Error(`the signed PDF ${file} does not verify: ${result.problems.join('; ') || 'no signature'}`);
  }
  // verifyPdf has checked this byte range frames a hexadecimal value.
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const [, b, c] = sig.byteRange as [number, number, number, number];
  const raw = Buffer.from(text.slice(b + 1, c - 1), 'hex');
  return {
    file, pdfSha256: sha256Hex(pdf), pdfBytes: pdf.byteLength, signerSubject: sig.signer, signerSha256: sig.signerCertSha256,
    signingTime: sig.signingTime ?? sig.claimedTime ?? '', timestampTime: sig.timestamp?.time ?? null, cms: raw.subarray(0, derLength(raw)),
  };
}

export interface StoredSignatureRow {
  readonly run_seq: number;
  readonly file: string;
  readonly signer_subject: string;
  readonly signer_sha256: string;
  readonly signing_time: string;
  readonly timestamp_time: string | null;
  readonly cms: Buffer;
}

/** What no longer holds about a stored signature, in words; empty when it checks out. */
export function signatureProblems(row: StoredSignatureRow): string[] {
  const where = `run ${row.run_seq} ${row.file}`;
  // No content: the PDF is not in the store, so only the signature over its attributes is checked.
  const v = verifyCms(row.cms, null, { anchors: [], signingTime: new Date(row.signing_time) });
  if (v.signer === null) return [`${where}: ${v.problems[0] ?? 'the stored signature cannot be read'}`];
  const problems: string[] = [];
  if (!v.signatureValid) problems.push(`${where}: the stored signature does not verify with its signer's key`);
  if (v.signerCertSha256 !== row.signer_sha256) problems.push(`${where}: the signer certificate in the signature (${v.signerCertSha256?.slice(0, 16)}…) is not the recorded one (${row.signer_sha256.slice(0, 16)}…)`);
  if (v.signer !== row.signer_subject) problems.push(`${where}: the signer in the signature ("${v.signer}") is not the recorded one ("${row.signer_subject}")`);
  const stamp = v.timestamp;
  if ((stamp === null) !== (row.timestamp_time === null)) {
    problems.push(`${where}: the record says ${row.timestamp_time === null ? 'no time-stamp' : `a time-stamp of ${row.timestamp_time}`}, the signature has ${stamp === null ? 'none' : 'one'}`);
  } else if (stamp !== null) {
    if (stamp.time !== row.timestamp_time) problems.push(`${where}: the time-stamp says ${stamp.time}, the record ${row.timestamp_time}`);
    for (const p of stamp.problems.filter((x) => !/trusted|--ca-file/.test(x))) problems.push(`${where}: time-stamp: ${p}`);
  }
  return problems;
}
