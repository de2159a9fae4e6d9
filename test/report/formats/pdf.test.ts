/**
 * --format pdf through the registry: the text read back with pdftotext, and with --sign the
 * entry's declared signature step — drawn with room for it, then signed — gives a file marked
 * signed that verifies (PAdES, chain to the test CA).
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningCredentials } from '../../../src/evidence/credentials.js';
import { verifyPdf } from '../../../src/evidence/pdf-verify.js';
import { renderFormat } from '../../../src/report/formats/index.js';
import { makeReportModel } from '../../support/model-factory.js';
import { makeTestPki, type TestPki } from '../../support/test-pki.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
let dir = '';
let pki: TestPki;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-format-'));
  pki = await makeTestPki(join(dir, 'pki'));
}, 60_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('--format pdf', () => {
  it.skipIf(lacks('pdftotext'))('writes <base>.pdf whose text names the report', async () => {
    const model = makeReportModel();
    const files = await renderFormat('pdf', model, 'tlsproof-Q3-2026', {});
    expect(files.map((f) => [f.name, f.signed])).toEqual([['tlsproof-Q3-2026.pdf', false]]);
    const path = join(dir, 'report.pdf');
    await writeFile(path, files[0]!.bytes);
    const text = (await run('pdftotext', ['-layout', path, '-'], { maxBuffer: 32 * 1024 * 1024 })).stdout;
    expect(text).toContain(model.report.id);
    expect(verifyPdf(files[0]!.bytes, []).signatures).toEqual([]);
  }, 60_000);

  it('with a signer: the declared signature step signs it, and the file is marked signed and verifies', async () => {
    const credentials = await loadSigningCredentials(pki.signerPem, undefined);
    const signingTime = new Date(Math.ceil(Date.now() / 1000) * 1000);
    const files = await renderFormat('pdf', makeReportModel(), 'tlsproof-Q3-2026', {}, { credentials, signingTime });
    expect(files.map((f) => [f.name, f.signed])).toEqual([['tlsproof-Q3-2026.pdf', true]]);
    const ca = new X509Certificate(await readFile(pki.caCert));
    const v = verifyPdf(files[0]!.bytes, [ca]);
    expect(v.problems).toEqual([]);
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]).toMatchObject({ contentIntact: true, signatureValid: true, chain: 'trusted', signingTime: signingTime.toISOString() });
  }, 60_000);

  it('a signer does not touch a format that declares no signature', async () => {
    const credentials = await loadSigningCredentials(pki.signerPem, undefined);
    const model = makeReportModel();
    const signed = await renderFormat('json', model, 'x', {}, { credentials, signingTime: new Date() });
    const plain = await renderFormat('json', model, 'x', {});
    expect(signed.map((f) => f.signed)).toEqual([false]);
    expect(Buffer.from(signed[0]!.bytes).equals(Buffer.from(plain[0]!.bytes))).toBe(true);
  });
});
