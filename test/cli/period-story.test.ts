/**
 * The sample story end to end through the compiled bin, as a user runs it: the Q3 report, then the
 * Q4 report (TLS 1.0/1.1 switched off on the legacy relay, the POP3 endpoint gone) into one
 * evidence store; then the store, the PDF's text, the HTML and `tlsproof diff --json` are read
 * back and must agree on every count. Then the period as a fact: undated inputs warn (terminal and
 * scope page), out-of-period evidence warns and is refused under --strict, and a run recorded for
 * a period never speaks for another one.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { ReportModelSchema, type ReportModel } from '../../src/model/report-model.js';
import type { PeriodComparison } from '../../src/model/history.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');

function run(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err && typeof err.code === 'number' ? err.code : err ? 99 : 0, stdout, stderr });
    });
  });
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const readModel = async (file: string) => ReportModelSchema.parse(JSON.parse(await readFile(file, 'utf8')));
const SEVERITY_COLUMNS = ['critical', 'high', 'medium', 'low', 'info'] as const;
const controlsFailing = (fw: readonly { counts: { fail: number } }[]) => fw.reduce((n, f) => n + f.counts.fail, 0);

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('the Q3/Q4 sample story', () => {
  let dir: string;
  let store: string;
  const result: Record<'q3' | 'q4', Awaited<ReturnType<typeof run>>> = {} as never;
  let q3: ReportModel;
  let q4: ReportModel;
  let history: NonNullable<ReportModel['history']>;
  let diffQ4: PeriodComparison;
  let diffQ3: PeriodComparison;
  let html: ReturnType<typeof parseHTML>['document'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-story-'));
    store = join(dir, 'evidence.db');
    const common = ['--domains', 'samples/domains.csv', '--org', 'Example Health', '--format', 'html,pdf,json', '--store', store];
    result.q3 = await run(['report', 'samples/2026-Q3', ...common, '--period', '2026-Q3', '--out', join(dir, 'q3'), '--generated-at', '2026-10-01T09:00:00Z']);
    result.q4 = await run(['report', 'samples/2026-Q4', ...common, '--period', '2026-Q4', '--out', join(dir, 'q4'), '--generated-at', '2027-01-04T09:00:00Z']);
    q3 = await readModel(join(dir, 'q3', 'tlsproof-Q3-2026.json'));
    q4 = await readModel(join(dir, 'q4', 'tlsproof-Q4-2026.json'));
    history = q4.history!;
    // The report ages open findings at its report date, clipped to the period's end: so does this.
    const d4 = await run(['diff', '2026-Q4', '--store', store, '--json', '--as-of', '2026-12-31']);
    const d3 = await run(['diff', '2026-Q3', '--store', store, '--json']);
    expect(d4.stderr).toBe('');
    expect(d3.stderr).toBe('');
    diffQ4 = JSON.parse(d4.stdout) as PeriodComparison;
    diffQ3 = JSON.parse(d3.stdout) as PeriodComparison;
    html = parseHTML(await readFile(join(dir, 'q4', 'tlsproof-Q4-2026.html'), 'utf8')).document;
  }, 240_000);

  it('both reports run clean: the samples carry their scan times, inside their periods', () => {
    for (const r of [result.q3, result.q4]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    for (const [model, start, end] of [[q3, '2026-07-01', '2026-09-30'], [q4, '2026-10-01', '2026-12-31']] as const) {
      for (const e of model.scope.endpoints) {
        expect(e.observedAtSource).toBe('input');
        expect(e.observedAt.slice(0, 10) >= start && e.observedAt.slice(0, 10) <= end).toBe(true);
      }
    }
  });

  it('Q3 dates agree everywhere: no certificate is "not yet valid", only the expiring one is near its end', () => {
    expect(q3.scope.endpoints).toHaveLength(7);
    expect(q3.findings.filter((f) => f.checkId === 'cert-not-yet-valid' && f.status !== 'pass')).toEqual([]);
    expect(q3.findings.filter((f) => f.checkId === 'cert-expired' && f.status !== 'pass')).toEqual([]);
    const expiring = q3.findings.filter((f) => f.checkId === 'cert-expiring' && (f.status === 'fail' || f.status === 'warn'));
    expect([...new Set(expiring.map((f) => f.endpointKey))]).toEqual([q3.scope.endpoints.find((e) => e.host === 'mail.expiring.example.test')!.key]);
  });

  it('the store holds each run with its own period, and diff 2026-Q3 finds the Q3 endpoints', () => {
    expect(diffQ3.period.id).toBe('2026-Q3');
    expect(diffQ3.endpoints.current).toBe(q3.summary.endpoints);
    expect(diffQ3.notes).toEqual([]);
    const cur = diffQ3.trend.at(-1)!;
    expect(cur).toMatchObject({ period: { id: '2026-Q3' }, hasData: true, endpoints: 7, openBySeverity: q3.summary.findingsBySeverity });
  });

  it('the changes tell the Q4 story: TLS 1.0, TLS 1.1 and BEAST resolved on the relay, POP3 removed', () => {
    const legacy = q4.scope.endpoints.find((e) => e.host === 'mail.legacy.example.test')!.key;
    const resolved = history.resolved.filter((f) => f.endpointKey === legacy).map((f) => f.checkId);
    expect(resolved).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11', 'vuln-beast']));
    expect(history.endpointsRemoved.map((e) => e.label)).toEqual([q3.scope.endpoints.find((e) => e.host === 'pop.good.example.test')!.label]);
    expect(history.endpointsAdded).toEqual([]);
    expect(history.notes).toEqual([]);
    // Every resolved finding passes in this report; every new or persisting one fails or warns in it.
    const status = new Map(q4.findings.map((f) => [f.id, f.status]));
    for (const f of history.resolved) expect(status.get(f.findingId), f.findingId).toBe('pass');
    for (const f of [...history.new, ...history.persisting, ...history.regressed]) expect(['fail', 'warn'], f.findingId).toContain(status.get(f.findingId));
  });

  it('summary, changes, trend and diff agree on every count', () => {
    const s = q4.summary;
    const open = s.findingsByStatus.fail + s.findingsByStatus.warn;
    expect(history.new.length + history.persisting.length + history.regressed.length).toBe(open);
    expect(history.endpoints).toEqual({ current: s.endpoints, previous: q3.summary.endpoints });
    const [prev, cur] = history.trend.slice(-2);
    expect(prev).toMatchObject({ period: { id: '2026-Q3' }, hasData: true, endpoints: q3.summary.endpoints, openBySeverity: q3.summary.findingsBySeverity });
    expect(cur).toMatchObject({ period: { id: '2026-Q4' }, hasData: true, endpoints: s.endpoints, openBySeverity: s.findingsBySeverity });
    for (const [model, point] of [[q3, prev!], [q4, cur!]] as const) {
      // Every status, not only FAIL: the trend row of a period says what that period's report said.
      for (const fw of model.summary.frameworks) {
        expect(point.frameworks.find((f) => f.id === fw.id)?.counts, `${point.period.id} ${fw.id}`).toEqual(fw.counts);
      }
    }
    // diff reads the same store with the same rules: the same comparison, field for field.
    const { asOf: _a, ...fromDiff } = diffQ4;
    const { asOf: _b, ...fromReport } = history;
    expect(fromDiff).toEqual(fromReport);
  });

  it.skipIf(lacks('pdftotext'))('the PDF prints those counts: changes, trend rows for both quarters, no "no stored run" for Q3', () => {
    const flat = pdfText(join(dir, 'q4', 'tlsproof-Q4-2026.pdf')).replace(/\s+/g, ' ');
    expect(flat).toContain('Changes since Q3 2026');
    for (const [label, n] of [['NEW', history.new.length], ['REGRESSED', history.regressed.length], ['PERSISTING', history.persisting.length],
      ['SUPERSEDED', history.superseded.length], ['RESOLVED', history.resolved.length]] as const) {
      expect(flat).toContain(`${label} ${n}`);
    }
    expect(flat).toMatch(/Certificate expires soon 2026-09-15 superseded by Certificate expired \(new\)/);
    expect(flat).not.toContain('Q3 2026 (no stored run)');
    for (const [model, label] of [[q3, 'Q3 2026'], [q4, 'Q4 2026']] as const) {
      const s = model.summary;
      const row = [label, s.endpoints, ...SEVERITY_COLUMNS.map((sev) => s.findingsBySeverity[sev]), controlsFailing(s.frameworks)].join(' ');
      expect(flat).toContain(row);
    }
  });

  it('the expiring certificate that has expired is one problem: superseded by the new cert-expired, not unverified', () => {
    const expiring = q4.scope.endpoints.find((e) => e.host === 'mail.expiring.example.test')!.key;
    expect(history.superseded.map((f) => [f.findingId, f.supersededBy.findingId, f.supersededBy.change, f.supersededBy.title])).toEqual([
      [`cert-expiring@${expiring}`, `cert-expired@${expiring}`, 'new', 'Certificate expired'],
    ]);
    expect(history.new.map((f) => f.findingId)).toContain(`cert-expired@${expiring}`);
    expect([...history.unverified, ...history.remediation.overdue].filter((f) => f.checkId === 'cert-expiring')).toEqual([]);
  });

  it('the terminal prints the same counts, superseded findings included, and frameworks by short name', () => {
    const h = history;
    expect(h.unverified).toEqual([]);
    expect(h.superseded.length).toBeGreaterThan(0);
    expect(result.q4.stdout).toContain(`Q4 2026 against Q3 2026: ${h.new.length} new, ${h.resolved.length} resolved, ${h.regressed.length} regressed, `
      + `${h.persisting.length} persisting, ${h.superseded.length} superseded, ${h.remediation.overdue.length} overdue`);
    for (const fw of q4.summary.frameworks) expect(result.q4.stdout).toMatch(new RegExp(`^  [^:]{1,30}: ${fw.counts.fail} fail, ${fw.counts.warn} warn,`, 'm'));
    expect(result.q4.stdout).toContain('  NIST SP 800-52r2: ');
  });

  it('the HTML prints the same counts', () => {
    const figure = (key: string) => Number(html.querySelector(`#history [data-count="${key}"] .figure`)?.textContent);
    expect(figure('new')).toBe(history.new.length);
    expect(figure('resolved')).toBe(history.resolved.length);
    expect(figure('persisting')).toBe(history.persisting.length);
    expect(figure('superseded')).toBe(history.superseded.length);
    expect(html.querySelector('#history .history-superseded td[data-label="Now reported as"]')?.textContent?.replace(/\s+/g, ' ').trim())
      .toBe('superseded by Certificate expired (new) cert-expired');
    expect(html.querySelector('#scope .observation-time')).toBeNull();
  });
});

describe('observation times against the period', () => {
  it.skipIf(lacks('pdftotext'))('an undated input warns in the terminal and on the scope page of both formats', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-undated-'));
    const csv = join(dir, 'smtp-good.csv');
    await copyFile(join(root, 'test/fixtures/testssl/smtp-good.csv'), csv);
    const t = new Date('2026-08-14T10:00:00Z');
    await utimes(csv, t, t);
    const r = await run(['report', csv, '--period', '2026-Q3', '--format', 'html,pdf', '--out', join(dir, 'out'), '--no-store', '--generated-at', '2026-10-01T09:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^tlsproof: warning: 1 input file records no scan time \(.*smtp-good\.csv\), so 1 endpoint is dated by the file's modification time \(2026-08-14\).*--observed-at/m);
    const doc = parseHTML(await readFile(join(dir, 'out', 'tlsproof-Q3-2026.html'), 'utf8')).document;
    expect(doc.querySelector('#scope .observation-time')?.textContent).toMatch(/no scan time .*smtp-good\.csv.*2026-08-14/);
    expect(pdfText(join(dir, 'out', 'tlsproof-Q3-2026.pdf')).replace(/\s+/g, ' ')).toMatch(/Observation times: 1 input file records no scan time/);
    // --observed-at dates it: no warning.
    const dated = await run(['report', csv, '--period', '2026-Q3', '--observed-at', '2026-08-14T10:00:00Z', '--format', 'json', '--out', join(dir, 'out2'), '--no-store', '--generated-at', '2026-10-01T09:00:00Z']);
    expect(dated.stderr).toBe('');
  });

  it('an observation outside --period is a warning naming file, time and the fix; --strict refuses it and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-outside-'));
    const store = join(dir, 'evidence.db');
    const args = ['report', 'samples/2026-Q4/smtp-good.json', '--period', '2026-Q3', '--format', 'html', '--generated-at', '2026-10-01T09:00:00Z'];
    const strict = await run([...args, '--strict', '--out', join(dir, 'strict'), '--store', store]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/--strict: 1 observation falls outside the period Q3 2026 \(2026-07-01 to 2026-09-30\): samples\/2026-Q4\/smtp-good\.json \(mail\.good\.example\.test:25\) observed 2026-12-01T\S+ by scan time in the file\..*--period 2026-Q4.*Nothing written or recorded\./s);
    expect(existsSync(join(dir, 'strict'))).toBe(false);
    expect(existsSync(store)).toBe(false);

    const lenient = await run([...args, '--out', join(dir, 'lenient'), '--no-store']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/^tlsproof: warning: 1 observation falls outside the period Q3 2026/m);
    const doc = parseHTML(await readFile(join(dir, 'lenient', 'tlsproof-Q3-2026.html'), 'utf8')).document;
    expect(doc.querySelector('#scope .observation-time')?.textContent).toMatch(/outside the period Q3 2026.*smtp-good\.json/);
  });

  it('a run recorded for Q3 with observations dated in Q4 speaks for no period, and diff says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-redate-'));
    const store = join(dir, 'evidence.db');
    const csv = join(dir, 'smtp-good.csv');
    await copyFile(join(root, 'test/fixtures/testssl/smtp-good.csv'), csv);
    const clone = new Date('2026-12-04T10:00:00Z');
    await utimes(csv, clone, clone);
    const r = await run(['report', csv, '--period', '2026-Q3', '--format', 'json', '--out', join(dir, 'out'), '--store', store, '--generated-at', '2026-12-04T11:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/outside the period Q3 2026/);
    const q3 = JSON.parse((await run(['diff', '2026-Q3', '--store', store, '--json'])).stdout) as PeriodComparison;
    expect(q3.endpoints.current).toBe(0);
    expect(q3.notes.join(' ')).toMatch(/^Run 1, recorded for Q3 2026 \(2026-07-01\.\.2026-09-30\), has 1 endpoint observation dated outside it \(2026-12-04, by file modification time\); they count in no period\..*--observed-at/);
    // Nor does it re-date Q4: the December observation is not Q4 evidence either.
    const q4 = JSON.parse((await run(['diff', '2026-Q4', '--store', store, '--json'])).stdout) as PeriodComparison;
    expect(q4.endpoints.current).toBe(0);
  });
});
