/**
 * End to end: the compiled `tlsproof` bin on the shipped samples and on bad input, as a user
 * runs it. `npm test` builds dist/ first; these tests run the real binary in a child process.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportModelSchema, type ReportModel } from '../../src/model/report-model.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');
const GENERATED_AT = '2026-10-01T09:00:00Z';

/** Runs the bin; `report` runs get --no-store unless the test chose a store, so tests never write into the repository. */
function run(argsIn: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = argsIn[0] === 'report' && !argsIn.includes('--store') && !argsIn.includes('--no-store') ? [...argsIn, '--no-store'] : argsIn;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? 99 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const outDir = () => mkdtemp(join(tmpdir(), 'tlsproof-cli-'));

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('tlsproof report on the samples', () => {
  let model: ReportModel;
  let out: string;
  let result: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    out = await outDir();
    result = await run(['report', 'samples/2026-Q3', '--domains', 'samples/domains.csv', '--org', 'Example Health',
      '--period', '2026-Q3', '--format', 'html,pdf,json', '--out', out, '--generated-at', GENERATED_AT, '--no-store']);
    model = ReportModelSchema.parse(JSON.parse(await readFile(join(out, 'tlsproof-Q3-2026.json'), 'utf8')));
  });

  it('exits 0 and says what it wrote', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Report TP-Q32026-[0-9a-f]{10}: 7 endpoints/);
    expect(result.stdout).toContain(`Wrote ${join(out, 'tlsproof-Q3-2026.html')}`);
  });

  it('puts the domain list in scope and applies frameworks per asset', () => {
    expect(model.report).toMatchObject({ organisation: 'Example Health', period: { label: 'Q3 2026', start: '2026-07-01', end: '2026-09-30' }, generatedAt: '2026-10-01T09:00:00.000Z' });
    const legacy = model.scope.assets.find((a) => a.domain === 'legacy.example.test');
    expect(legacy?.frameworks.map((f) => f.id).sort()).toEqual(['glba', 'pci-dss']);
    expect(model.scope.assetsWithoutResults).toEqual(['portal.example.test']);
    const hipaa = model.frameworks.find((f) => f.id === 'hipaa');
    // PHI lives on good.example.test and wronghost.example.test only.
    expect(hipaa?.scope.endpointKeys.every((k) => /(good|wronghost)\.example\.test/.test(k))).toBe(true);
    expect(hipaa?.scope.reason).toContain('data class PHI');
  });

  it('fails the controls the real scans give reason to fail, with the findings behind them', () => {
    const pci421 = model.frameworks.find((f) => f.id === 'pci-dss')?.controls.find((c) => c.id === '4.2.1');
    expect(pci421?.status).toBe('fail');
    const behind = pci421!.findingIds.map((id) => model.findings.find((f) => f.id === id)!.checkId);
    expect(behind).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11']));
    const tls10 = model.findings.find((f) => f.checkId === 'proto-tls10' && f.status === 'fail');
    expect(tls10?.endpointKey).toMatch(/^mail\.legacy\.example\.test\[127\.0\.\d+\.30\]:25$/);
    expect(tls10?.evidence[0]?.source).toMatchObject({ kind: 'testssl-json', file: 'samples/2026-Q3/smtp-legacy.json' });
    expect(tls10?.evidence[0]?.source.excerpt).toMatch(/^\{"id":"TLS1","severity":"LOW","finding":"offered/);
    expect(model.findings.find((f) => f.checkId === 'cert-hostname-mismatch' && f.status === 'fail')?.endpointKey).toMatch(/^mail\.wronghost\.example\.test\[127\.0\.\d+\.23\]:25$/);
  });

  it.skipIf(lacks('pdftotext'))('names the owner and ticket from the domain list on each remediation item, in the model, the PDF and the HTML', async () => {
    const tls10 = model.remediation.find((i) => i.checkId === 'proto-tls10');
    expect(tls10?.owners).toEqual([{ domain: 'legacy.example.test', owner: 'Bob Stone', ticket: 'SEC-102' }]);
    // Every item whose endpoints belong to a listed domain names someone.
    for (const item of model.remediation) {
      const listed = model.scope.assets.some((a) => a.endpointKeys.some((k) => item.endpointKeys.includes(k)));
      expect(item.owners.length > 0, item.checkId).toBe(listed);
    }
    const text = await new Promise<string>((resolve, reject) => execFile('pdftotext', ['-enc', 'UTF-8', join(out, 'tlsproof-Q3-2026.pdf'), '-'],
      { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    expect(text.replace(/\s+/g, ' ')).toContain('Owner: Bob Stone (legacy.example.test, ticket SEC-102)');
    const html = await readFile(join(out, 'tlsproof-Q3-2026.html'), 'utf8');
    expect(html).toContain('Bob Stone (legacy.example.test, ticket SEC-102)');
  });

  it.skipIf(lacks('pdftotext'))('writes a PDF of the real samples that reads back with its controls, endpoints and page numbers', async () => {
    const pdf = join(out, 'tlsproof-Q3-2026.pdf');
    const text = await new Promise<string>((resolve, reject) => execFile('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'],
      { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(new Error(`pdftotext failed (apt-get install -y poppler-utils): ${err.message}`)) : resolve(stdout))));
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    for (const s of ['164.312(e)(1)', '4.2.1', '314.4(c)(3)', 'mail.legacy.example.test', 'Zoë Ångström', 'Example Health']) expect(text, s).toContain(s);
    expect(text).toContain(`Page 2 of ${pages.length}`);
    // No page after the cover may hold a heading and nothing else (a table too tall for the rest
    // of the page once pushed its heading onto a page of its own).
    pages.slice(1).forEach((page, i) => {
      const body = page.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(1, -1);
      expect(body.length, `page ${i + 2} holds only: ${body.join(' | ')}`).toBeGreaterThan(1);
    });
  });

  it('records every input with its SHA-256', async () => {
    const files = (await readdir(join(root, 'samples/2026-Q3'))).filter((f) => f.endsWith('.json'));
    expect(model.scope.inputs.map((i) => i.file).sort()).toEqual([...files.map((f) => `samples/2026-Q3/${f}`), 'samples/domains.csv'].sort());
    const { createHash } = await import('node:crypto');
    const good = model.scope.inputs.find((i) => i.file === 'samples/2026-Q3/smtp-good.json')!;
    expect(good.sha256).toBe(createHash('sha256').update(await readFile(join(root, good.file))).digest('hex'));
  });

  it('writes byte-identical reports for the same inputs and --generated-at', async () => {
    const again = await outDir();
    await run(['report', 'samples/2026-Q3', '--domains', 'samples/domains.csv', '--org', 'Example Health',
      '--period', '2026-Q3', '--format', 'html,json', '--out', again, '--generated-at', GENERATED_AT, '--no-store']);
    for (const f of ['tlsproof-Q3-2026.html', 'tlsproof-Q3-2026.json']) {
      expect((await readFile(join(again, f))).equals(await readFile(join(out, f))), f).toBe(true);
    }
  });
});

describe('tlsproof report with a report.config.yaml', () => {
  it('applies --config to both formats, and --org beats the file', async () => {
    const dir = await outDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'report.config.yaml'), 'schema: tlsproof-report-config/v1\norganisation: Config Org\nclassification: INTERNAL AUDIT ONLY\n');
    const out = join(dir, 'out');
    const r = await run(['report', 'samples/2026-Q3/smtp-good.json', '--config', join(dir, 'report.config.yaml'), '--format', 'html,json', '--out', out, '--generated-at', GENERATED_AT]);
    expect(r.stderr).toBe('');
    const model = JSON.parse(await readFile(join(out, 'tlsproof-2026-10-01.json'), 'utf8')) as ReportModel;
    expect(model.report.organisation).toBe('Config Org');
    expect(await readFile(join(out, 'tlsproof-2026-10-01.html'), 'utf8')).toContain('INTERNAL AUDIT ONLY');
    const r2 = await run(['report', 'samples/2026-Q3/smtp-good.json', '--config', join(dir, 'report.config.yaml'), '--org', 'Flag Org', '--format', 'json', '--out', out, '--generated-at', GENERATED_AT]);
    expect(r2.code).toBe(0);
    expect((JSON.parse(await readFile(join(out, 'tlsproof-2026-10-01.json'), 'utf8')) as ReportModel).report.organisation).toBe('Flag Org');
  });

  it('feeds the config\'s remediation deadlines to the history comparison (what counts as overdue)', async () => {
    const dir = await outDir();
    const { writeFile } = await import('node:fs/promises');
    const h = 'test/fixtures/history';
    const q4 = [`${h}/real/smtp-legacy.csv`, `${h}/real/smtp-expiring.csv`, `${h}/real/smtp-expired.csv`, `${h}/real/smtp-good.csv`];
    const q1 = [`${h}/derived/legacy-tls12-only.csv`, `${h}/real/smtp-expired.csv`, `${h}/real/smtp-good.csv`];
    const overdueChecks = async (config: string | undefined, name: string): Promise<string[]> => {
      const store = join(dir, `${name}.db`);
      const cfg = config === undefined ? [] : ['--config', config];
      const common = ['--store', store, '--format', 'json', '--generated-at', '2027-03-31T00:00:00Z', ...cfg];
      expect((await run(['report', ...q4, '--period', '2026-Q4', '--observed-at', '2026-11-28T19:20:00Z', '--out', join(dir, `${name}-q4`), ...common])).code).toBe(0);
      expect((await run(['report', ...q1, '--period', '2027-Q1', '--observed-at', '2027-02-15T19:00:00Z', '--out', join(dir, `${name}-q1`), ...common])).code).toBe(0);
      const model = JSON.parse(await readFile(join(dir, `${name}-q1`, 'tlsproof-Q1-2027.json'), 'utf8')) as ReportModel;
      return (model.history?.remediation.overdue ?? []).map((f) => f.checkId).sort();
    };
    // The expired certificate (critical) has been open since 28 Nov: overdue under the 30-day default.
    expect(await overdueChecks(undefined, 'default')).toContain('cert-expired');
    await writeFile(join(dir, 'long.yaml'), 'schema: tlsproof-report-config/v1\nremediationDeadlines:\n  critical: 1000\n  high: 1000\n  medium: 1000\n  low: 1000\n');
    expect(await overdueChecks(join(dir, 'long.yaml'), 'long')).toEqual([]);
  });

  it('reads fiscal periods with the config\'s fiscalYearStart; --fiscal-year-start beats it', async () => {
    const dir = await outDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'fy.yaml'), 'fiscalYearStart: October\n');
    const period = async (...extra: string[]) => {
      const r = await run(['report', 'samples/2026-Q3/smtp-good.json', '--config', join(dir, 'fy.yaml'), '--period', 'FY2027-Q1', '--format', 'json', '--out', '-', '--generated-at', GENERATED_AT, ...extra]);
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as ReportModel).report.period;
    };
    expect(await period()).toMatchObject({ label: 'FY2027 Q1', start: '2026-10-01', end: '2026-12-31' });
    expect(await period('--fiscal-year-start', 'July')).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
  });

  it.skipIf(lacks('pdftotext'))('a certificate expiring 20 days after the scan is one finding (warn, high) in the report, with both dates on the cover', async () => {
    const dir = await outDir();
    // The Q3 sample's certificate ends 2026-10-05; testssl scanned it on 2026-09-15 (the JSON's own scan time).
    const r = await run(['report', 'samples/2026-Q3/smtp-expiring.json', '--format', 'json,pdf', '--out', dir, '--period', '2026-Q3',
      '--generated-at', '2026-10-30T09:00:00Z', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(await readFile(join(dir, 'tlsproof-Q3-2026.json'), 'utf8')) as ReportModel;
    const expiry = model.findings.filter((f) => f.checkId.startsWith('cert-expir') && (f.status === 'fail' || f.status === 'warn'));
    expect(expiry.map((f) => [f.checkId, f.status, f.severity, f.data['daysLeft']])).toEqual([['cert-expiring', 'warn', 'high', 20]]);
    expect(model.summary.findingsByStatus.warn + model.summary.findingsByStatus.fail).toBe(model.findings.filter((f) => f.status === 'fail' || f.status === 'warn').length);
    // Due by the expiry (2026-10-05), not 60 days after the scan.
    expect(model.remediation.find((i) => i.checkId === 'cert-expiring')?.dueDate).toBe('2026-10-05');
    const cover = await new Promise<string>((res, rej) => execFile('pdftotext', ['-layout', '-f', '1', '-l', '1', join(dir, 'tlsproof-Q3-2026.pdf'), '-'],
      { encoding: 'utf8' }, (err, out) => (err ? rej(err) : res(out))));
    expect(cover).toMatch(/Evidence dates\s+2026-09-15 \(when the endpoints were observed\)/);
    expect(cover).toMatch(/Report date\s+2026-10-30 \(the day the report speaks for\)/);
  });

  it.skipIf(lacks('pdftotext'))('names a fiscal-quarter report shortly: id TP-FY2027Q1-…, file tlsproof-FY2027-Q1.pdf, the cover says the dates once', async () => {
    const dir = await outDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'fy.yaml'), 'fiscalYearStart: October\n');
    const r = await run(['report', 'samples/2026-Q4/smtp-good.json', '--config', join(dir, 'fy.yaml'), '--period', 'FY2027-Q1', '--format', 'pdf,json',
      '--out', join(dir, 'out'), '--generated-at', GENERATED_AT, '--observed-at', '2026-09-30T10:00:00Z', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['tlsproof-FY2027-Q1.json', 'tlsproof-FY2027-Q1.pdf']);
    const model = JSON.parse(await readFile(join(dir, 'out', 'tlsproof-FY2027-Q1.json'), 'utf8')) as ReportModel;
    expect(model.report.id).toMatch(/^TP-FY2027Q1-[0-9A-Za-z]+$/);
    const cover = await new Promise<string>((res, rej) => execFile('pdftotext', ['-f', '1', '-l', '1', join(dir, 'out', 'tlsproof-FY2027-Q1.pdf'), '-'],
      { encoding: 'utf8' }, (err, out) => (err ? rej(err) : res(out))));
    expect(cover).toContain('FY2027 Q1 (1 Oct 2026 – 31 Dec 2026)');
    expect(cover.split('1 Oct 2026 – 31 Dec 2026').length - 1).toBe(1);
    expect(cover).toContain(model.report.id);
  });

  it('warns on stderr, and still writes the PDF, when no font can show some characters', async () => {
    const dir = await outDir();
    const { writeFile } = await import('node:fs/promises');
    // A "fallback" that is DejaVu again: it has no CJK glyphs either.
    await writeFile(join(dir, 'fonts.yaml'), `font:\n  fallback: ${join(root, 'assets/fonts/DejaVuSans.ttf')}\n`);
    const r = await run(['report', 'samples/2026-Q3/smtp-good.json', '--config', join(dir, 'fonts.yaml'), '--org', '東京医療センター', '--format', 'pdf',
      '--out', join(dir, 'out'), '--generated-at', GENERATED_AT, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^tlsproof: warning: PDF: \d+ characters in the report have no glyph in the PDF fonts and show as \ufffd \(U\+FFFD\): .*東京医療センター/);
    expect(r.stderr).toContain('The fonts under font.fallback in report.config.yaml');
    expect((await stat(join(dir, 'out', 'tlsproof-2026-10-01.pdf'))).size).toBeGreaterThan(10_000);
  });

  it('refuses a config with an unknown key, naming the file and the key', async () => {
    const dir = await outDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'bad.yaml'), 'schema: tlsproof-report-config/v1\norganization: Typo Org\n');
    const r = await run(['report', 'samples/2026-Q3/smtp-good.json', '--config', join(dir, 'bad.yaml'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml[\s\S]*unknown key "organization"/);
  });
});

describe('tlsproof exit codes and messages', () => {
  it('exits 1 when the report was written but rows were skipped, and lists them', async () => {
    const out = await outDir();
    const r = await run(['report', 'test/fixtures/edge/bad-rows.csv', '--format', 'json', '--out', out, '--generated-at', GENERATED_AT]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('test/fixtures/edge/bad-rows.csv:3:4: severity "SEVERE" is not one of OK, INFO, LOW, MEDIUM, HIGH, CRITICAL, WARN, DEBUG, FATAL (row skipped)');
    const model = JSON.parse(await readFile(join(out, `tlsproof-2026-10-01.json`), 'utf8')) as ReportModel;
    expect(model.problems.length).toBe(6);
  });

  it('--strict turns any problem into exit 2 and writes nothing', async () => {
    const out = join(await outDir(), 'never');
    const r = await run(['report', 'test/fixtures/edge/bad-rows.csv', '--strict', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--strict: 6 input problems, nothing written/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a file in a format it does not read, naming what it reads', async () => {
    const r = await run(['report', 'test/fixtures/edge/not-a-scan.csv', '--out', await outDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a format tlsproof reads');
    expect(r.stderr).toContain('testssl.sh CSV (--csvfile');
  });

  it.each([
    [['report', 'samples/2026-Q3', '--period', '2026-Q5'], /Period "2026-Q5" is not understood/],
    [['report', 'samples/2026-Q3', '--frameworks', 'hipaa,sox2'], /Unknown framework "sox2" in --frameworks\. Available: .*hipaa/],
    [['report', 'samples/2026-Q3', '--format', 'docx'], /--format "docx" is not one of html, pdf, json/],
    [['report'], /needs at least one input/],
    [['report', 'samples/2026-Q3', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['report', 'samples/domains.csv', '--no-scan', '--out', '/tmp/x'], /No scan results among the inputs/],
  ])('exits 2 for %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('prints help and version with exit 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('tlsproof report <inputs...>');
    // The --frameworks default it states is the one scope.yaml sets, not "all loaded".
    const frameworksOption = /\n  --frameworks LIST[\s\S]*?(?=\n  --)/.exec(help.stdout)?.[0].replace(/\s+/g, ' ') ?? '';
    const { defaultFrameworks } = loadMappings({ builtInDir: builtInMappingsDir() }).scope;
    for (const id of defaultFrameworks) expect(frameworksOption).toContain(id);
    expect(frameworksOption).toContain('--domains');
    expect(frameworksOption).not.toContain('all loaded');
    const version = await run(['--version']);
    expect(version.stdout).toMatch(/^tlsproof \d+\.\d+\.\d+\n$/);
  });

  // One pipeline: standard output is only another place to write, so a run refused with --out DIR
  // is refused with --out - too, with the same message and nothing on standard output.
  it.each([
    [['report', 'samples/domains.csv', '--no-scan', '--format', 'json'], /^tlsproof: No scan results among the inputs/],
    [['report', 'test/fixtures/edge/bad-rows.csv', '--strict', '--format', 'json'], /^tlsproof: --strict: 6 input problems, nothing written/],
  ])('refuses %j the same way with --out DIR and --out -', async (args, message) => {
    const out = join(await outDir(), 'never');
    const toDir = await run([...args, '--out', out]);
    const toStdout = await run([...args, '--out', '-']);
    expect([toDir.code, toStdout.code]).toEqual([2, 2]);
    expect(toDir.stderr).toMatch(message);
    expect(toStdout.stderr).toBe(toDir.stderr);
    expect(toStdout.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('writes the JSON model to standard output with --out -', async () => {
    const r = await run(['report', 'samples/2026-Q3/smtp-good.json', '--format', 'json', '--out', '-', '--generated-at', GENERATED_AT]);
    expect(r.code).toBe(0);
    const model = ReportModelSchema.parse(JSON.parse(r.stdout));
    expect(model.scope.endpoints.map((e) => e.key)).toEqual([expect.stringMatching(/^mail\.good\.example\.test\[127\.0\.\d+\.11\]:25$/)]);
  });

  it('never writes a half-finished file under the final name', async () => {
    const out = await outDir();
    await run(['report', 'samples/2026-Q3', '--format', 'json', '--out', out, '--generated-at', GENERATED_AT]);
    const names = await readdir(out);
    expect(names).toEqual(['tlsproof-2026-10-01.json']);
    expect((await stat(join(out, names[0]!))).size).toBeGreaterThan(1000);
  });
});
