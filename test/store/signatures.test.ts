/**
 * A signed report (--sign, with and without --tsa) is recorded with its signature and signer:
 * the PDF's SHA-256 as written, the signer certificate's subject and SHA-256 fingerprint, the
 * signing time, the time-stamp's time, and the CMS itself; `store verify` re-checks the stored
 * signature and catches a changed signer or a damaged signature. The time-stamp authority is
 * openssl's, on this helper's loopback range (127.0.124.x).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningCredentials, type SigningCredentials } from '../../src/evidence/credentials.js';
import { timestamper } from '../../src/evidence/tsa.js';
import { runReport, type ReportRequest } from '../../src/pipeline.js';
import { verifyStore } from '../../src/store/verify.js';
import { ROOT, tempStorePath } from '../history/support.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';
import { startTestTsa, type TestTsa } from '../support/test-tsa.js';
import { lacks } from '../support/tools.js';

let dir = '';
let pki: TestPki;
let tsa: TestTsa;
let credentials: SigningCredentials;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-store-sign-'));
  pki = await makeTestPki(join(dir, 'pki'));
  tsa = await startTestTsa(pki, '127.0.124.1');
  credentials = await loadSigningCredentials(pki.signerPem, undefined);
}, 60_000);

afterAll(async () => {
  await tsa?.close();
  await rm(dir, { recursive: true, force: true });
});

// The test certificates are valid from now on; /M has whole seconds.
const now = () => new Date(Math.ceil(Date.now() / 1000) * 1000);

async function signedReport(store: string, withTsa: boolean): Promise<{ pdf: Buffer; signedAt: Date; runSeq: number | undefined }> {
  const out = await mkdtemp(join(dir, 'out-'));
  const signedAt = now();
  const req: ReportRequest = {
    inputs: ['test/fixtures/history/real/smtp-good.csv'], formats: ['pdf'], outDir: out, strict: false, generatedAt: '2026-12-11T00:00:00Z',
    observedAt: '2026-12-10T00:00:00Z', cwd: ROOT, toolVersion: '0.1.0-test', store: { path: store, command: ['report', '--sign'], recordedAt: '2026-12-11T00:00:00Z' },
    sign: { credentials, signingTime: signedAt, ...(withTsa ? { timestamp: timestamper(tsa.url) } : {}) },
  };
  const outcome = await runReport(req);
  return { pdf: await readFile(outcome.written[0]!), signedAt, runSeq: outcome.runSeq };
}

const rows = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM run_signatures ORDER BY run_seq').all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

describe.skipIf(lacks('openssl'))('signed reports in the store', () => {
  it('records the signature and the signer, with and without a time-stamp, and verify re-checks them', async () => {
    const store = await tempStorePath();
    const plain = await signedReport(store, false);
    const stamped = await signedReport(store, true);
    expect([plain.runSeq, stamped.runSeq]).toEqual([1, 2]);
    const signer = credentials.chain[0]!;
    const [a, b] = rows(store);
    expect(a).toMatchObject({
      run_seq: 1, ord: 0, file: expect.stringMatching(/\.pdf$/), pdf_sha256: createHash('sha256').update(plain.pdf).digest('hex'), pdf_bytes: plain.pdf.byteLength,
      signer_subject: 'CN=Example Health Compliance, O=Example Health', signer_sha256: createHash('sha256').update(signer.raw).digest('hex'),
      signing_time: plain.signedAt.toISOString(), timestamp_time: null,
    });
    expect(b).toMatchObject({ run_seq: 2, pdf_sha256: createHash('sha256').update(stamped.pdf).digest('hex'), timestamp_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // The stored CMS is the one in the PDF, byte for byte.
    expect(stamped.pdf.toString('latin1')).toContain((b!['cms'] as Buffer).toString('hex'));
    const result = verifyStore(store);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.checks.find((c) => c.id === 'signatures')!.detail).toMatch(/^2 signed reports: each stored signature verifies with its signer's key/);
  }, 60_000);

  it('catches a recorded signer that is not the certificate in the signature, and a damaged signature', async () => {
    const store = await tempStorePath();
    await signedReport(store, true);
    const db = new Database(store);
    for (const t of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
    db.exec("UPDATE run_signatures SET signer_subject = 'CN=Someone Else'");
    db.close();
    let failed = verifyStore(store).checks.filter((c) => !c.ok);
    expect(failed.find((c) => c.id === 'signatures')!.detail).toMatch(/the signer in the signature \("CN=Example Health Compliance, O=Example Health"\) is not the recorded one \("CN=Someone Else"\)/);
    expect(failed.find((c) => c.id === 'chain')!.detail).toMatch(/^run 1: its rows no longer give its chain hash/);

    const db2 = new Database(store);
    const cms = Buffer.from(db2.prepare('SELECT cms FROM run_signatures').pluck().get() as Buffer);
    const at = cms.length - 300; // inside the signature value or the time-stamp token near the end
    cms.writeUInt8(cms.readUInt8(at) ^ 0xff, at);
    db2.prepare("UPDATE run_signatures SET cms = ?, signer_subject = 'CN=Example Health Compliance, O=Example Health'").run(cms);
    db2.close();
    failed = verifyStore(store).checks.filter((c) => !c.ok);
    expect(failed.find((c) => c.id === 'signatures')!.detail).toMatch(/^run 1 tlsproof-.*\.pdf: (the stored signature does not verify|time-stamp: |the signature cannot be read)/);
  }, 60_000);
});
