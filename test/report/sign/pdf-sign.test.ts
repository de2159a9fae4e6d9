/**
 * Signed PDF reports, checked by poppler's pdfsig (an independent PAdES verifier) and by our own
 * verifier, then tampered with: one byte of the signed content, one byte of the signature, bytes
 * appended after signing. Each must be caught and named.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningCredentials } from '../../../src/evidence/credentials.js';
import { verifyPdf } from '../../../src/evidence/pdf-verify.js';
import { renderFormat } from '../../../src/report/formats/index.js';
import type { PdfSigning, RenderOptions } from '../../../src/report/types.js';
import type { ReportModel } from '../../../src/model/report-model.js';
import { makeReportModel } from '../../support/model-factory.js';
import { makeTestPki, PASSPHRASE, type TestPki } from '../../support/test-pki.js';
import { lacks } from '../../support/tools.js';

/** A signed PDF as a run writes it: the pdf format's entry with signing. */
async function renderSignedPdf(model: ReportModel, opts: RenderOptions, signing: PdfSigning): Promise<Uint8Array> {
  const [file] = await renderFormat('pdf', model, 'report', opts, signing);
  return file!.bytes;
}

const run = promisify(execFile);
let dir = '';
let pki: TestPki;
let signed: Buffer;
let ca: X509Certificate;
// The test certificates are made now, valid from now; a signing time must fall inside that (whole seconds, as /M has them).
let SIGNED_AT: Date;
const wholeSecondNow = (): Date => new Date(Math.ceil(Date.now() / 1000) * 1000);

async function pdfsig(path: string): Promise<string> {
  // pdfsig exits non-zero for an invalid signature; its report is what the test reads.
  try {
    const { stdout, stderr } = await run('pdfsig', ['-nocert', path]);
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return e.stdout !== undefined ? `${e.stdout}${e.stderr ?? ''}` : String(err);
  }
}

async function write(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Offset of a byte inside the first signed range that is inside a content stream (safe to flip). */
function signedContentOffset(pdf: Buffer): number {
  const at = pdf.indexOf('stream\n', 2000);
  return at + 'stream\n'.length + 10;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-sign-'));
  pki = await makeTestPki(join(dir, 'pki'));
  ca = new X509Certificate(await readFile(pki.caCert));
  SIGNED_AT = wholeSecondNow();
  const credentials = await loadSigningCredentials(pki.signerPem, undefined);
  signed = Buffer.from(await renderSignedPdf(makeReportModel(), {}, { credentials, signingTime: SIGNED_AT }));
}, 60_000);

afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe.skipIf(lacks('openssl', 'pdfsig', 'pdfinfo', 'pdftoppm'))('signed PDF', () => {
  it('pdfsig reports a valid PAdES (ETSI.CAdES.detached) signature covering the whole file', async () => {
    const out = await pdfsig(await write('signed.pdf', signed));
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Example Health Compliance');
    // poppler complains on stderr about malformed objects even when the digest matches.
    expect(out).not.toContain('Syntax Error');
  });

  it('stays tagged and claims PDF/A-2a; the metadata is inside the signed bytes', async () => {
    const info = (await run('pdfinfo', [await write('info.pdf', signed)])).stdout;
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Form:\s+AcroForm$/m);
    const text = signed.toString('latin1');
    expect(text).toContain('<pdfaid:part>2</pdfaid:part>');
    const [, , c, d] = verifyPdf(signed, [ca]).signatures[0]!.byteRange;
    expect(c! + d!).toBe(signed.length);
    expect(text.indexOf('<pdfaid:part>')).toBeLessThan(signed.length);
  });

  it('still renders: the first page rasterises', async () => {
    const path = await write('render.pdf', signed);
    await run('pdftoppm', ['-r', '40', '-f', '1', '-l', '1', '-png', path, join(dir, 'page')]);
    const png = await stat(join(dir, 'page-01.png')).catch(() => stat(join(dir, 'page-1.png')));
    expect(png.size).toBeGreaterThan(2000);
  });

  it('our verifier: intact, signature valid, chain trusted against the issuing CA', () => {
    const v = verifyPdf(signed, [ca]);
    expect(v.problems).toEqual([]);
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]).toMatchObject({ contentIntact: true, signatureValid: true, chain: 'trusted', subFilter: 'ETSI.CAdES.detached', signingTime: SIGNED_AT.toISOString() });
    expect(v.signatures[0]!.signer).toContain('CN=Example Health Compliance');
  });

  it('names a chain that does not lead to the given CA, and says when no CA was given', async () => {
    const other = new X509Certificate(await readFile(pki.otherCaCert));
    expect(verifyPdf(signed, [other]).problems.join('\n')).toMatch(/no path from "CN=tlsproof Test Root CA, O=tlsproof tests" to a trusted certificate/);
    const unanchored = verifyPdf(signed, []);
    expect(unanchored.problems).toEqual([]);
    expect(unanchored.signatures[0]!.chain).toBe('not-checked');
  });

  it('one altered byte of the document is caught by pdfsig and named by verify', async () => {
    const tampered = Buffer.from(signed);
    const at = signedContentOffset(tampered);
    tampered[at] = tampered[at]! ^ 0x01;
    expect(await pdfsig(await write('tampered.pdf', tampered))).toMatch(/Digest Mismatch|Signature is Invalid/);
    const v = verifyPdf(tampered, [ca]);
    expect(v.problems.join('\n')).toContain('the PDF\'s signed bytes do not match the digest in the signature: the document was altered after signing');
  });

  it('one altered byte of the signature value is named', () => {
    const tampered = Buffer.from(signed);
    const [, b] = verifyPdf(signed, []).signatures[0]!.byteRange;
    const cmsLen = verifyPdfCmsLength(signed, b!);
    // A hex digit near the end of the CMS: inside the signature value.
    const at = b! + 1 + cmsLen * 2 - 6;
    tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
    const v = verifyPdf(tampered, [ca]);
    expect(v.problems.join('\n')).toMatch(/the signature value does not verify|the signature cannot be read/);
  });

  it('bytes appended after signing are named', () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% appended\n')]);
    expect(verifyPdf(appended, [ca]).problems.join('\n')).toMatch(/12 bytes were added after the signature/);
  });

  it('an unsigned PDF is said to have no signature', async () => {
    expect(verifyPdf(Buffer.from('%PDF-1.7\n%%EOF\n'), []).problems).toEqual(['the PDF has no signature']);
  });

  it('reads an encrypted key with its passphrase, and says where the passphrase goes without it', async () => {
    await expect(loadSigningCredentials(pki.encryptedSignerPem, undefined)).rejects.toThrow(/TLSPROOF_SIGN_PASSPHRASE/);
    const creds = await loadSigningCredentials(pki.encryptedSignerPem, PASSPHRASE);
    expect(creds.chain).toHaveLength(2);
  });

  it('signs with an ECDSA key as well', async () => {
    const ec = await makeTestPki(join(dir, 'pki-ec'), 'ec');
    const credentials = await loadSigningCredentials(ec.signerPem, undefined);
    const pdf = await renderSignedPdf(makeReportModel(), {}, { credentials, signingTime: wholeSecondNow() });
    expect(await pdfsig(await write('ec.pdf', pdf))).toContain('Signature Validation: Signature is Valid.');
    expect(verifyPdf(pdf, [new X509Certificate(await readFile(ec.caCert))]).problems).toEqual([]);
  }, 60_000);
});

function verifyPdfCmsLength(pdf: Buffer, b: number): number {
  const head = Buffer.from(pdf.toString('latin1', b + 1, b + 1 + 16), 'hex');
  const n = head[1]! & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + head[2 + i]!;
  return 2 + n + len;
}
