/**
 * End to end through the compiled bin: signed reports (--sign with the passphrase from the
 * environment or a file, never argv) and `tlsproof verify` on them, intact and tampered.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { unzipSync, zipSync } from 'fflate';
import { makeTestPki, PASSPHRASE, type TestPki } from '../support/test-pki.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');
const SAMPLE = ['samples/2026-Q3', '--domains', 'samples/domains.csv', '--org', 'Example Health', '--period', '2026-Q3', '--generated-at', '2026-10-01T09:00:00Z', '--no-store', '--quiet'];

export function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TLSPROOF_SIGN_PASSPHRASE: '', ...env } }, (err, stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? 99 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir = '';
let pki: TestPki;
// Signing needs a throw-away PKI, which openssl makes; the other tests here do not.
const noOpenssl = lacks('openssl');

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build`');
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-evidence-cli-'));
  if (!noOpenssl) pki = await makeTestPki(join(dir, 'pki'));
}, 60_000);

afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe.skipIf(noOpenssl)('tlsproof report --sign and tlsproof verify', () => {
  let pdf = '';

  beforeAll(async () => {
    const out = join(dir, 'signed');
    const r = await run(['report', ...SAMPLE, '--format', 'pdf', '--out', out, '--sign', pki.encryptedSignerPem], { TLSPROOF_SIGN_PASSPHRASE: PASSPHRASE });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    pdf = join(out, 'tlsproof-Q3-2026.pdf');
  }, 120_000);

  it('verify exits 0 on the signed report and names the signer and a trusted chain', async () => {
    const r = await run(['verify', pdf, '--ca-file', pki.caCert]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('signer      CN=Example Health Compliance, O=Example Health');
    expect(r.stdout).toContain('chain       trusted');
    expect(r.stdout).toContain('Verified: nothing was altered');
  });

  it('verify exits 1 and names the alteration when one byte changed', async () => {
    const bytes = await readFile(pdf);
    const at = bytes.indexOf('stream\n', 2000) + 20;
    bytes[at] = bytes[at]! ^ 0x01;
    const tampered = join(dir, 'tampered.pdf');
    await writeFile(tampered, bytes);
    const r = await run(['verify', tampered, '--ca-file', pki.caCert]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT VERIFIED');
    expect(r.stdout).toContain('the document was altered after signing');
  });

  it('verify exits 1 when the chain does not lead to the given CA', async () => {
    const r = await run(['verify', pdf, '--ca-file', pki.otherCaCert]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chain       NOT trusted');
  });

  it('an encrypted key without its passphrase stops before anything is written, saying where the passphrase goes', async () => {
    const r = await run(['report', ...SAMPLE, '--format', 'pdf', '--out', join(dir, 'nopass'), '--sign', pki.encryptedSignerPem]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TLSPROOF_SIGN_PASSPHRASE');
    expect(existsSync(join(dir, 'nopass'))).toBe(false);
  });

  it('reads the passphrase from --sign-passphrase-file', async () => {
    const pass = join(dir, 'pass.txt');
    await writeFile(pass, `${PASSPHRASE}\n`, { mode: 0o600 });
    const r = await run(['report', ...SAMPLE, '--format', 'pdf', '--out', join(dir, 'passfile'), '--sign', pki.encryptedSignerPem, '--sign-passphrase-file', pass]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it('--sign without a PDF among the formats is a usage error', async () => {
    const r = await run(['report', ...SAMPLE, '--format', 'json', '--out', join(dir, 'json'), '--sign', pki.signerPem]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--sign signs the PDF report');
  });
});

describe('--fail-on (the sample has 2 high, 2 medium, 3 low failing or warning findings; none critical; 4 fail, 3 warn)', () => {
  const cases: readonly [string, number][] = [['critical', 0], ['high', 3], ['low', 3], ['info', 3], ['fail', 3], ['warn', 3]];
  for (const [level, code] of cases) {
    it(`--fail-on ${level} exits ${code}`, async () => {
      const r = await run(['report', ...SAMPLE, '--format', 'json', '--out', '-', '--fail-on', level]);
      expect(r.code).toBe(code);
      if (code === 3) expect(r.stderr).toMatch(/^tlsproof: --fail-on: \d+ /m);
      else expect(r.stderr).toBe('');
    }, 60_000);
  }

  it('names how many findings tripped it: 2 at high or above', async () => {
    const r = await run(['report', ...SAMPLE, '--format', 'json', '--out', join(dir, 'gate'), '--fail-on', 'high']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--fail-on: 2 findings of severity high or above');
    expect(existsSync(join(dir, 'gate', 'tlsproof-Q3-2026.json'))).toBe(true);
  }, 60_000);

  it('an unknown level is a usage error (exit 2) that lists the levels', async () => {
    const r = await run(['report', ...SAMPLE, '--format', 'json', '--out', join(dir, 'gate2'), '--fail-on', 'severe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-on "severe" is not one of fail, warn, info, low, medium, high, critical');
  });

  it('--help lists --fail-on and exit code 3', async () => {
    const r = await run(['--help']);
    expect(r.stdout).toContain('--fail-on LEVEL');
    expect(r.stdout).toMatch(/3 report written, and --fail-on found findings/);
  });
});

describe('--format csv and oscal through the CLI', () => {
  it('writes findings and controls CSV that a CSV reader parses, one row per finding and per control', async () => {
    const out = join(dir, 'csv');
    const r = await run(['report', ...SAMPLE, '--format', 'csv,json,oscal', '--out', out]);
    expect(r.code).toBe(0);
    const oscal = JSON.parse(await readFile(join(out, 'tlsproof-Q3-2026.oscal.json'), 'utf8')) as { 'assessment-results': { metadata: { 'oscal-version': string } } };
    expect(oscal['assessment-results'].metadata['oscal-version']).toBe('1.1.3');
    const model = JSON.parse(await readFile(join(out, 'tlsproof-Q3-2026.json'), 'utf8')) as { findings: unknown[]; frameworks: { controls: unknown[] }[] };
    const findings = parse(await readFile(join(out, 'tlsproof-Q3-2026-findings.csv'), 'utf8'), { bom: true }) as string[][];
    const controls = parse(await readFile(join(out, 'tlsproof-Q3-2026-controls.csv'), 'utf8'), { bom: true }) as string[][];
    expect(findings).toHaveLength(model.findings.length + 1);
    expect(controls).toHaveLength(model.frameworks.reduce((n, f) => n + f.controls.length, 0) + 1);
  }, 60_000);
});

describe.skipIf(noOpenssl)('tlsproof report --bundle and tlsproof verify on the bundle', () => {
  let zip = '';

  beforeAll(async () => {
    const out = join(dir, 'bundle');
    const r = await run(['report', ...SAMPLE, '--format', 'json,csv', '--out', out, '--bundle', '--sign', pki.signerPem]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    zip = join(out, 'tlsproof-Q3-2026.tlsproof.zip');
  }, 120_000);

  it('holds the reports, every input and the mapping files, and verifies (exit 0)', async () => {
    const names = Object.keys(unzipSync(await readFile(zip)));
    expect(names).toContain('manifest.json');
    expect(names).toContain('manifest.json.p7s');
    expect(names).toContain('reports/tlsproof-Q3-2026.json');
    expect(names).toContain('reports/tlsproof-Q3-2026-findings.csv');
    expect(names).toContain('inputs/samples/domains.csv');
    expect(names.filter((n) => n.startsWith('inputs/samples/2026-Q3/')).length).toBeGreaterThan(3);
    expect(names).toContain('mappings/built-in/grading.yaml');
    const r = await run(['verify', zip, '--ca-file', pki.caCert]);
    expect(r.stdout).toContain('Verified: nothing was altered');
    expect(r.code).toBe(0);
  });

  it('names one altered input and exits 1', async () => {
    const entries = unzipSync(await readFile(zip));
    const input = Object.keys(entries).find((n) => n.startsWith('inputs/samples/2026-Q3/'))!;
    entries[input]![10] = entries[input]![10]! ^ 0x20;
    const tampered = join(dir, 'tampered.tlsproof.zip');
    await writeFile(tampered, zipSync(entries));
    const r = await run(['verify', tampered, '--ca-file', pki.caCert]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`- ${input}: altered (SHA-256`);
  });
});

describe.skipIf(noOpenssl)('tlsproof store bundle RUN', () => {
  it('regenerates a stored run and writes a signed bundle that verifies', async () => {
    const store = join(dir, 'store', 'evidence.db');
    const args = SAMPLE.filter((a) => a !== '--no-store');
    const first = await run(['report', ...args, '--format', 'json', '--out', join(dir, 'stored'), '--store', store]);
    expect(first.code).toBe(0);
    const out = join(dir, 'store-bundle');
    const r = await run(['store', 'bundle', '1', '--store', store, '--out', out, '--format', 'json', '--sign', pki.signerPem]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Identical to run 1');
    expect(r.code).toBe(0);
    const v = await run(['verify', join(out, 'tlsproof-Q3-2026.tlsproof.zip'), '--ca-file', pki.caCert]);
    expect(v.stdout).toContain('Verified');
    expect(v.code).toBe(0);
  }, 120_000);
});
