/**
 * The exception register on the command line: `tlsproof report` finds exceptions.yaml next to the
 * config in use (never the .example file), `--exceptions` / `--no-exceptions`, warnings for
 * entries that need attention, refusal before anything is written; `tlsproof exceptions check`
 * against the store's latest run (read only); `templates init` writes an example that validates.
 */
import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../src/model/report-model.js';
import { loadExceptions } from '../../../src/map/exceptions-file.js';
import { builtInMappingsDir, loadMappings } from '../../../src/map/load.js';
import { cli, tempDir } from './history-support.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const Q3 = join(ROOT, 'test/fixtures/exceptions/q3.yaml');
const reportArgs = (out: string, ...extra: string[]) => ['report', join(ROOT, 'samples/2026-Q3'), '--domains', join(ROOT, 'samples/domains.csv'),
  '--org', 'Example Health', '--period', '2026-Q3', '--generated-at', '2026-10-01T09:00:00Z', '--format', 'json', '--out', out, ...extra];
const readModel = async (out: string) => JSON.parse(await readFile(join(out, 'tlsproof-Q3-2026.json'), 'utf8')) as ReportModel;
const fingerprint = (p: string) => ({ sha256: createHash('sha256').update(readFileSync(p)).digest('hex'), mtimeMs: statSync(p).mtimeMs });

let configDir: string;
beforeAll(async () => {
  configDir = await tempDir();
  await writeFile(join(configDir, 'report.config.yaml'), 'schema: tlsproof-report-config/v1\n');
  await copyFile(join(ROOT, 'templates/exceptions.example.yaml'), join(configDir, 'exceptions.example.yaml'));
});

describe('tlsproof report and the exception register', () => {
  it('never loads exceptions.example.yaml by default', async () => {
    const out = await tempDir();
    const r = await cli(reportArgs(out, '--config', join(configDir, 'report.config.yaml'), '--no-store'), { cwd: configDir });
    expect(r.code, r.stderr).toBe(0);
    expect((await readModel(out)).exceptions.source).toBeNull();
    expect(r.stdout).not.toContain('Exceptions ');
  });

  it('applies exceptions.yaml next to the config in use, and warns about expired, stale and expiring entries', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'report.config.yaml'), 'schema: tlsproof-report-config/v1\n');
    await copyFile(Q3, join(dir, 'exceptions.yaml'));
    const out = await tempDir();
    const r = await cli(reportArgs(out, '--config', join(dir, 'report.config.yaml'), '--no-store'), { cwd: ROOT });
    expect(r.code, r.stderr).toBe(0);
    const model = await readModel(out);
    expect(model.exceptions.source?.file).toBe(join(dir, 'exceptions.yaml'));
    expect(model.frameworks.find((f) => f.id === 'pci-dss')!.controls.find((c) => c.id === '4.2.1')!.status).toBe('risk-accepted');
    expect(r.stdout).toContain('PCI DSS 4.0.1: 0 fail, 0 warn, 1 risk accepted, 0 pass');
    expect(r.stdout).toContain(`Exceptions ${join(dir, 'exceptions.yaml')}: 6 entries (2 active, 1 expiring within 30 days, 1 expired, 2 stale); 5 findings accepted, 4 open.`);
    expect(r.stderr).toContain(`tlsproof: warning: ${join(dir, 'exceptions.yaml')}:55: exception EXC-BEAST expired on 2026-09-30; 1 finding is reported open again: renew it with a new approval, or remove it.`);
    expect(r.stderr).toContain(`${join(dir, 'exceptions.yaml')}:36: exception EXC-OLD-SSLV3 matches no failing or warning finding (stale): remove it, or correct its match.`);
    expect(r.stderr).toContain(`${join(dir, 'exceptions.yaml')}:4: exception EXC-LEGACY-PROTO expires on 2026-10-31, within 30 days of the report date.`);

    const none = await tempDir();
    const off = await cli(reportArgs(none, '--config', join(dir, 'report.config.yaml'), '--no-store', '--no-exceptions'), { cwd: ROOT });
    expect(off.code, off.stderr).toBe(0);
    expect((await readModel(none)).exceptions.source).toBeNull();
  });

  it('--exceptions FILE names the register; a refused one stops the run before anything is written', async () => {
    const out = await tempDir();
    const ok = await cli(reportArgs(out, '--exceptions', 'test/fixtures/exceptions/q3.yaml', '--no-store', '--quiet'), { cwd: ROOT });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await readModel(out)).exceptions.source?.file).toBe('test/fixtures/exceptions/q3.yaml');

    const bad = await tempDir();
    const r = await cli(reportArgs(bad, '--exceptions', 'test/fixtures/exceptions/refused/unknown-check.yaml', '--no-store'), { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tlsproof: test/fixtures/exceptions/refused/unknown-check.yaml:5:29: exceptions[0].match.checks[1]: unknown check id "proto-tls1O" (did you mean "proto-tls10"?)');
    expect(existsSync(join(bad, 'tlsproof-Q3-2026.json'))).toBe(false);
    // --fail-on counts what is open: 7 failing findings, 5 of them accepted; the lapsed BEAST one counts again.
    const gate = await cli(reportArgs(await tempDir(), '--exceptions', 'test/fixtures/exceptions/q3.yaml', '--no-store', '--quiet', '--fail-on', 'fail'), { cwd: ROOT });
    expect(gate.code).toBe(3);
    expect(gate.stderr).toContain('tlsproof: --fail-on: 2 failing findings:');
    expect(gate.stderr).toMatch(/vuln-beast on mail\.legacy\.example\.test:25/);
    const both = await cli(reportArgs(bad, '--exceptions', 'x.yaml', '--no-exceptions'), { cwd: ROOT });
    expect(both.stderr).toContain('--exceptions and --no-exceptions contradict each other');
  });
});

describe('tlsproof exceptions check', () => {
  let store: string;
  beforeAll(async () => {
    store = join(await tempDir(), 'evidence.db');
    const r = await cli(reportArgs(await tempDir(), '--store', store, '--quiet'), { cwd: ROOT, now: '2026-10-01T09:00:00Z' });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('lists what each entry matches in the latest run, leaves the store untouched, exits 1 for stale or expired entries', async () => {
    const before = fingerprint(store);
    const r = await cli(['exceptions', 'check', 'test/fixtures/exceptions/q3.yaml', '--store', store, '--report-date', '2026-10-01'], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(1);
    expect(fingerprint(store)).toEqual(before);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('test/fixtures/exceptions/q3.yaml: 6 exceptions, valid (expiry at most 12 months after approval).');
    expect(lines[1]).toMatch(/^Matched against run 1 \(report TP-Q32026-[0-9a-f]+, recorded 2026-10-01 09:00 UTC\), judged on 2026-10-01:$/);
    expect(r.stdout).toContain('  EXC-LEGACY-PROTO  EXPIRING SOON  line 4: 2 findings accepted until 2026-10-31 (within 30 days: renew or fix)\n' +
      '      FAIL proto-tls10 on mail.legacy.example.test:25 (smtp): ');
    expect(r.stdout).toContain('  EXC-WRONGHOST  active  line 26: 1 finding accepted until 2027-01-31\n      FAIL cert-hostname-mismatch on mail.wronghost.example.test:25 (smtp)');
    expect(r.stdout).toContain('  EXC-OLD-SSLV3  STALE  line 36: matches no failing or warning finding: the risk is gone or the match is wrong; remove the entry or correct it\n');
    expect(r.stdout).toContain('  EXC-BEAST  EXPIRED  line 55: expired on 2026-09-30; 1 finding is open again: renew it with a new approval or fix the findings\n');
    expect(r.stdout).toContain('2 active, 1 expiring within 30 days, 1 expired, 2 stale; findings: 5 accepted, 4 open (1 of them after an exception expired).');
  }, 60_000);

  it('exits 0 when every entry is in force and matches; --json gives the register as the model carries it', async () => {
    const dir = await tempDir();
    const text = (await readFile(Q3, 'utf8')).split('\n');
    // The first two entries only (lines 1-25).
    await writeFile(join(dir, 'exceptions.yaml'), `${text.slice(0, 25).join('\n')}\n`);
    const r = await cli(['exceptions', 'check', join(dir, 'exceptions.yaml'), '--store', store, '--report-date', '2026-09-15', '--json'], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { run: { seq: number }; entries: { id: string; state: string; matchedFindingIds: string[] }[] };
    expect(json.run.seq).toBe(1);
    expect(json.entries.map((e) => [e.id, e.state, e.matchedFindingIds.length])).toEqual([['EXC-LEGACY-PROTO', 'active', 2], ['EXC-LEGACY-CRYPTO', 'active', 2]]);
  }, 60_000);

  it('refuses an invalid file with file:line:column (exit 2), and validates alone with --no-store', async () => {
    const bad = await cli(['exceptions', 'check', 'test/fixtures/exceptions/refused/duplicate-id.yaml', '--no-store'], { cwd: ROOT });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('test/fixtures/exceptions/refused/duplicate-id.yaml:12:9: exceptions[1].id: id "EXC-1" is already used by exceptions[0]');
    const alone = await cli(['exceptions', 'check', 'templates/exceptions.example.yaml', '--no-store'], { cwd: ROOT });
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toBe('templates/exceptions.example.yaml: 1 exception, valid (expiry at most 12 months after approval).\nNot matched against any run (--no-store).\n');
  });
});

describe('tlsproof templates init', () => {
  it('writes exceptions.example.yaml and its JSON Schema; the example validates as shipped', async () => {
    const dir = await tempDir();
    const r = await cli(['templates', 'init', 'kit'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join('kit', 'exceptions.example.yaml'));
    const text = await readFile(join(dir, 'kit', 'exceptions.example.yaml'), 'utf8');
    expect(text).toContain('# yaml-language-server: $schema=schema/exceptions.v1.json');
    expect(existsSync(join(dir, 'kit', 'schema', 'exceptions.v1.json'))).toBe(true);
    const loaded = await loadExceptions(join(dir, 'kit', 'exceptions.example.yaml'), { frameworks: loadMappings({ builtInDir: builtInMappingsDir() }).frameworks });
    expect(loaded.entries).toHaveLength(1);
    // Being .example, a report with the kit's config does not apply it.
    const out = await tempDir();
    const rep = await cli(reportArgs(out, '--config', join(dir, 'kit', 'report.config.yaml'), '--no-store', '--quiet', '--format', 'json'), { cwd: dir });
    expect(rep.code, rep.stderr).toBe(0);
    expect((await readModel(out)).exceptions.source).toBeNull();
  }, 60_000);
});
