/**
 * RFC 3161 time-stamps from a local authority (openssl ts behind an HTTP server on 127.0.107.1):
 * on the PDF signature (PAdES B-T, still valid for pdfsig) and on the bundle manifest, verified
 * with the authority's chain; a token over other data and an unreachable authority are refused.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/evidence/bundle.js';
import { verifyBundle } from '../../src/evidence/bundle-verify.js';
import { loadSigningCredentials, type SigningCredentials } from '../../src/evidence/credentials.js';
import { verifyPdf } from '../../src/evidence/pdf-verify.js';
import { timestamper, timestampRequest, tokenFromResponse } from '../../src/evidence/tsa.js';
import { renderFormat } from '../../src/report/formats/index.js';
import type { PdfSigning, RenderOptions } from '../../src/report/types.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { makeReportModel } from '../support/model-factory.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';
import { startTestTsa, type TestTsa } from '../support/test-tsa.js';
import { lacks } from '../support/tools.js';

/** A signed PDF as a run writes it: the pdf format's entry with signing. */
async function renderSignedPdf(model: ReportModel, opts: RenderOptions, signing: PdfSigning): Promise<Uint8Array> {
  const [file] = await renderFormat('pdf', model, 'report', opts, signing);
  return file!.bytes;
}

const run = promisify(execFile);
let dir = '';
let pki: TestPki;
let tsa: TestTsa;
let creds: SigningCredentials;
let ca: X509Certificate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-tsa-'));
  pki = await makeTestPki(join(dir, 'pki'));
  tsa = await startTestTsa(pki, '127.0.107.1');
  creds = await loadSigningCredentials(pki.signerPem, undefined);
  ca = new X509Certificate(await readFile(pki.caCert));
}, 60_000);

afterAll(async () => {
  await tsa?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(lacks('openssl', 'pdfsig'))('RFC 3161 time-stamps', () => {
  it('a time-stamped PDF signature is valid for pdfsig and verify names the authority and time', async () => {
    const before = tsa.requests();
    const pdf = await renderSignedPdf(makeReportModel(), {}, { credentials: creds, signingTime: new Date(Math.ceil(Date.now() / 1000) * 1000), timestamp: timestamper(tsa.url) });
    expect(tsa.requests()).toBe(before + 1);
    const path = join(dir, 'ts.pdf');
    await writeFile(path, pdf);
    const { stdout } = await run('pdfsig', ['-nocert', path]);
    expect(stdout).toContain('Signature Validation: Signature is Valid.');
    const v = verifyPdf(pdf, [ca]);
    expect(v.problems).toEqual([]);
    const ts = v.signatures[0]!.timestamp!;
    expect(ts.authority).toContain('CN=tlsproof Test TSA');
    expect(ts.chain).toBe('trusted');
    expect(Math.abs(new Date(ts.time!).getTime() - Date.now())).toBeLessThan(120_000);
  }, 60_000);

  it('the time-stamp authority must chain to --ca-file too', async () => {
    const pdf = await renderSignedPdf(makeReportModel(), {}, { credentials: creds, signingTime: new Date(Math.ceil(Date.now() / 1000) * 1000), timestamp: timestamper(tsa.url) });
    const other = new X509Certificate(await readFile(pki.otherCaCert));
    expect(verifyPdf(pdf, [other]).problems.join('\n')).toMatch(/time-stamp: no path from "CN=tlsproof Test Root CA, O=tlsproof tests" to a trusted certificate/);
  }, 60_000);

  it('a time-stamped bundle manifest verifies', async () => {
    const bundle = await buildBundle([{ path: 'inputs/a.csv', role: 'input', bytes: new TextEncoder().encode('a\n') }],
      { tool: 'tlsproof 0.1.0', reportId: 'TP-1', generatedAt: '2026-10-01T09:00:00.000Z', signing: { credentials: creds, cms: { signingTime: new Date(), timestamp: timestamper(tsa.url) } } });
    const v = verifyBundle(bundle, [ca]);
    expect(v.problems).toEqual([]);
    expect(v.signature?.timestamp?.chain).toBe('trusted');
  }, 60_000);

  it('refuses a token over other data than was sent', async () => {
    const nonce = Buffer.from('0102030405060708', 'hex');
    const query = join(dir, 'other.tsq');
    await writeFile(query, timestampRequest(new TextEncoder().encode('other data'), nonce));
    const reply = join(dir, 'other.tsr');
    await run('openssl', ['ts', '-reply', '-config', join(pki.dir, 'tsa-work', 'tsa.cnf'), '-queryfile', query, '-out', reply]);
    const response = new Uint8Array(await readFile(reply));
    expect(() => tokenFromResponse(response, new TextEncoder().encode('my signature'), nonce, 'http://x'))
      .toThrow(/time-stamps other data than was sent/);
  });

  it('an unreachable authority is a clear error', async () => {
    await expect(timestamper('http://127.0.107.2:9/tsa', 5_000)(new Uint8Array([1]))).rejects.toThrow(/--tsa http:\/\/127\.0\.107\.2:9\/tsa: cannot reach the time-stamp authority/);
  });
});
