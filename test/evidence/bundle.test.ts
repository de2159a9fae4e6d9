/**
 * Evidence bundles: built, signed, verified by tlsproof and by openssl cms (an independent CMS
 * verifier), then tampered with: one input, the manifest, the signature, a file added, a file
 * removed. Each is caught and the altered file named.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, bundlePath, type BundleFile } from '../../src/evidence/bundle.js';
import { verifyBundle } from '../../src/evidence/bundle-verify.js';
import { loadSigningCredentials, type SigningCredentials } from '../../src/evidence/credentials.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';
import { lacks } from '../support/tools.js';

const run = promisify(execFile);
let dir = '';
let pki: TestPki;
let creds: SigningCredentials;
let ca: X509Certificate;
let bundle: Uint8Array;

const FILES: BundleFile[] = [
  { path: 'reports/tlsproof-Q3-2026.json', role: 'report', bytes: new TextEncoder().encode('{"report":1}\n') },
  { path: 'inputs/scans/mx1.csv', role: 'input', bytes: new TextEncoder().encode('"id","fqdn/ip","port","severity","finding"\n"TLS1","mx1/1.2.3.4","25","LOW","offered"\n') },
  { path: 'mappings/built-in/hipaa/hipaa-2013.yaml', role: 'mapping', bytes: new TextEncoder().encode('schema: tlsproof-mapping/1\n') },
];

function rezip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [v, { mtime: new Date('2026-10-01T09:00:00Z') }]])) as never);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-bundle-'));
  pki = await makeTestPki(join(dir, 'pki'));
  creds = await loadSigningCredentials(pki.signerPem, undefined);
  ca = new X509Certificate(await readFile(pki.caCert));
  bundle = await buildBundle(FILES, { tool: 'tlsproof 0.1.0', reportId: 'TP-1', generatedAt: '2026-10-01T09:00:00.000Z', signing: { credentials: creds, cms: { signingTime: new Date() } } });
}, 60_000);

afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe.skipIf(lacks('openssl'))('evidence bundle', () => {
  it('verifies: every file matches the signed manifest, chain trusted', () => {
    const v = verifyBundle(bundle, [ca]);
    expect(v.problems).toEqual([]);
    expect(v.files.map((f) => f.status)).toEqual(['ok', 'ok', 'ok']);
    expect(v.signature).toMatchObject({ contentIntact: true, signatureValid: true, chain: 'trusted' });
    expect(v.manifest).toMatchObject({ tool: 'tlsproof 0.1.0', reportId: 'TP-1' });
  });

  it('openssl cms verifies the manifest signature independently', async () => {
    const entries = unzipSync(bundle);
    await writeFile(join(dir, 'manifest.json'), entries['manifest.json']!);
    await writeFile(join(dir, 'manifest.json.p7s'), entries['manifest.json.p7s']!);
    const { stderr } = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'manifest.json.p7s'), '-content', join(dir, 'manifest.json'), '-CAfile', pki.caCert, '-purpose', 'any', '-out', '/dev/null']);
    expect(stderr).toContain('Verification successful');
  });

  it('one altered input is named', () => {
    const entries = unzipSync(bundle);
    const input = entries['inputs/scans/mx1.csv']!;
    input[input.length - 3] = 0x58;
    const v = verifyBundle(rezip(entries), [ca]);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatch(/^inputs\/scans\/mx1\.csv: altered \(SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}\)$/);
  });

  it('an altered manifest is named (even when its hashes are made to match the altered input)', () => {
    const entries = unzipSync(bundle);
    const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as { files: { path: string; sha256: string }[] };
    manifest.files[1]!.sha256 = '0'.repeat(64);
    entries['manifest.json'] = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
    const v = verifyBundle(rezip(entries), [ca]);
    expect(v.problems).toContain('manifest.json: altered after signing (its digest does not match the signature)');
  });

  it('an altered signature is named', () => {
    const entries = unzipSync(bundle);
    const sig = entries['manifest.json.p7s']!;
    sig[sig.length - 10] = sig[sig.length - 10]! ^ 0xff;
    const v = verifyBundle(rezip(entries), [ca]);
    expect(v.problems.join('\n')).toMatch(/^manifest\.json\.p7s: (the signature value does not verify|the signature cannot be read)/m);
  });

  it('an added and a removed file are named', () => {
    const entries = unzipSync(bundle);
    delete entries['mappings/built-in/hipaa/hipaa-2013.yaml'];
    entries['inputs/extra.csv'] = new TextEncoder().encode('x');
    const v = verifyBundle(rezip(entries), [ca]);
    expect(v.problems).toEqual([
      'mappings/built-in/hipaa/hipaa-2013.yaml: listed in the manifest but missing from the bundle',
      'inputs/extra.csv: in the bundle but not in the manifest (added after signing)',
    ]);
  });

  it('an unsigned bundle says its manifest proves nothing on its own', async () => {
    const unsigned = await buildBundle(FILES, { tool: 'tlsproof 0.1.0', reportId: 'TP-1', generatedAt: '2026-10-01T09:00:00.000Z' });
    expect(verifyBundle(unsigned, []).problems).toEqual([expect.stringMatching(/^manifest\.json\.p7s is missing: the manifest is not signed/)]);
  });

  it('bundle paths cannot escape the folder they are unpacked into', () => {
    expect(bundlePath('inputs', '../../etc/passwd')).toBe('inputs/etc/passwd');
    expect(bundlePath('inputs', 'C:\\scans\\a.csv')).toBe('inputs/C:/scans/a.csv');
  });
});
