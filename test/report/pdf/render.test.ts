/**
 * PDF renderer tests. The PDF is read back with poppler (pdftotext, pdfinfo, pdffonts,
 * pdftoppm) as a reader would see it: text, page count, fonts, pixels; the outline is read from
 * the file's own object dictionaries, which pdfkit never compresses.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportModelSchema, type ReportModel } from '../../../src/model/report-model.js';
import { pdfRenderer, renderPdf } from '../../../src/report/pdf/render.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../../support/model-factory.js';
import { decodePdfString } from './structure.js';
import { lacks } from '../../support/tools.js';

type HistoryFinding = NonNullable<ReportModel['history']>['new'][number];

const run = promisify(execFile);
const POPPLER_HINT = 'poppler-utils is required for the PDF tests: apt-get install -y poppler-utils';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let dir = '';

async function tool(cmd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, [...args], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT') {
      throw new Error(`${cmd} not found. ${POPPLER_HINT}`, { cause: err });
    }
    throw err;
  }
}

async function write(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function pageCount(path: string): Promise<number> {
  const m = /^Pages:\s+(\d+)$/m.exec(await tool('pdfinfo', [path]));
  if (m?.[1] === undefined) throw new Error(`pdfinfo printed no page count for ${path}`);
  return Number(m[1]);
}

/** Text of each page, in layout mode (form feed separates pages). */
async function pages(path: string): Promise<string[]> {
  const text = await tool('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
  return text.split('\f').slice(0, -1);
}

/** The line above each page's footer must not be a heading (keep-with-next). */
function expectNoLoneHeadings(perPage: readonly string[]): void {
  const heading = /^\s*(Protocol versions and cipher classes|Certificate|Findings \(\d+\)|Controls with failing.*|(Other )?[Cc]ontrols \(\d+\)|(Other )?[Cc]heck results.*|What needs fixing.*|\d+\. .+ port \d+)\s*$/;
  perPage.slice(1).forEach((page, i) => {
    const lines = page.split('\n').filter((l) => l.trim() !== '');
    const lastBody = lines[lines.length - 2] ?? '';
    expect(lastBody, `page ${i + 2}`).not.toMatch(heading);
  });
}

interface OutlineNode { title: string; parent: number | null }

/** Outline items from the uncompressed object dictionaries: id → title and parent id. */
function outline(bytes: Uint8Array): Map<number, OutlineNode> {
  const pdf = Buffer.from(bytes).toString('latin1');
  const items = new Map<number, OutlineNode>();
  // Each object runs to its first "endobj"; compressed streams are binary but never contain it here.
  const objRe = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = objRe.exec(pdf); m !== null; m = objRe.exec(pdf)) {
    const dict = m[2] ?? '';
    if (!dict.startsWith('<<') || !dict.includes('/Dest') || !dict.includes('/Parent')) continue;
    const title = /\/Title \(((?:\\.|[^\\)])*)\)/.exec(dict);
    const parent = /\/Parent (\d+) 0 R/.exec(dict);
    if (title?.[1] === undefined) continue;
    items.set(Number(m[1]), { title: decodePdfString(title[1]), parent: parent?.[1] === undefined ? null : Number(parent[1]) });
  }
  return items;
}

describe.skipIf(lacks('pdftotext', 'pdfinfo', 'pdffonts', 'pdftoppm'))('pdfRenderer', () => {
  let model: ReportModel;
  let bytes: Uint8Array;
  let path: string;
  let n: number;
  let text: string;
  let perPage: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-test-'));
    model = makeReportModel();
    bytes = await pdfRenderer.render(model, {});
    path = await write('report.pdf', bytes);
    n = await pageCount(path);
    perPage = await pages(path);
    text = perPage.join('\n');
  });

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('returns PDF bytes', () => {
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it('has several pages, each numbered "Page X of N" after the cover', () => {
    expect(n).toBeGreaterThan(3);
    expect(perPage).toHaveLength(n);
    expect(perPage[0]).not.toMatch(/Page 1 of/);
    for (let i = 2; i <= n; i++) expect(perPage[i - 1], `page ${i}`).toContain(`Page ${i} of ${n}`);
  });

  it('lists input rows read but not evaluated, by id', () => {
    expect(text.replace(/\s+/g, ' ')).toContain('rows read but not evaluated (a scanner verdict no tlsproof check judges): fallback_scsv ×1.');
  });

  it('shows Unicode names, control ids and endpoints as text', () => {
    for (const s of ['Zoë Ångström', 'bücher-gesundheit', 'imap.bücher-gesundheit.test', 'mail.example-health.test',
      '164.312(e)(1)', '164.308(a)(8)', '4.2.1', 'HIPAA Security Rule', 'PCI DSS', model.report.id, model.report.title]) {
      expect(text, s).toContain(s);
    }
    // DejaVu has no CJK glyphs: the IDN host is still findable through its IDNA form.
    expect(text).toContain('legacy.xn--r8jz45g.test');
  });

  it('spells out the period on the cover', () => {
    expect(text).toContain('Q3 2026 (1 Jul 2026 – 30 Sep 2026)');
  });

  it('prints the hostile certificate subject as literal text', () => {
    expect(text).toContain(HOSTILE_SUBJECT);
  });

  it('lists input digests, the skipped row with file:line:column, and the tool version', () => {
    expect(text).toContain(SHA);
    expect(text).toContain('samples/testssl/mail.csv:17:4');
    expect(text).toContain('row skipped');
    expect(text).toContain('tlsproof 0.1.0');
  });

  it('shows statuses as words and never claims compliance', () => {
    for (const s of ['FAIL', 'PASS', 'NOT ASSESSED', 'WARN']) expect(text).toContain(s);
    expect(text).not.toMatch(/compliant/i);
  });

  it('shows evidence excerpts with file:line and remediation', () => {
    // Long paths wrap after a separator; the file:line part stays together.
    expect(text).toMatch(/samples\/testssl\/\s*imap\.bücher-gesundheit\.test\.csv:12/);
    expect(text).toContain('Remediation: Disable it: Postfix smtpd_tls_protocols');
    expect(text).toContain('given with --observed-at');
    // Passed checks of an endpoint read from one file cite the line only; the file is named above.
    expect(text).toMatch(/Passed \(\d+\)\s+[^\n]*\(line \d+\)/);
  });

  it('embeds DejaVu for every font (and the CJK fallback for the factory\'s CJK names)', async () => {
    const lines = (await tool('pdffonts', [path])).trim().split('\n').slice(2);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatch(/DejaVu|DroidSansFallback/);
      expect(line).toMatch(/\byes\s+yes\s+yes\b/); // emb sub uni
    }
  });

  it('carries deterministic document info', async () => {
    const info = await tool('pdfinfo', ['-isodates', path]);
    expect(info).toMatch(/^Title:\s+Email transport encryption evidence$/m);
    expect(info).toMatch(/^CreationDate:\s+2026-10-01T09:00:00Z$/m);
    expect(info).toMatch(/^ModDate:\s+2026-10-01T09:00:00Z$/m);
    expect(info).toMatch(/^Creator:\s+tlsproof 0\.1\.0$/m);
  });

  it('has bookmarks for every section, nested per framework and endpoint', () => {
    const items = outline(bytes);
    const byTitle = new Map([...items.values()].map((v) => [v.title, v]));
    const idOf = (title: string) => [...items].find(([, v]) => v.title === title)?.[0];
    for (const t of ['Contents', 'Summary', 'Scope', 'Framework results', 'Endpoint details', 'Remediation plan',
      'Appendix A: Input problems', 'Appendix B: Methodology and integrity']) {
      expect(byTitle.has(t), t).toBe(true);
    }
    expect(byTitle.get('HIPAA Security Rule (2013)')?.parent).toBe(idOf('Framework results'));
    expect(byTitle.get('PCI DSS (4.0.1)')?.parent).toBe(idOf('Framework results'));
    expect(byTitle.get('164.312(e)(1) Transmission security')?.parent).toBe(idOf('HIPAA Security Rule (2013)'));
    expect(byTitle.get('imap.bücher-gesundheit.test (127.0.0.11) port 993')?.parent).toBe(idOf('Endpoint details'));
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Outlines \d+ 0 R/);
  });

  it('renders the same model to identical bytes', async () => {
    const again = await pdfRenderer.render(makeReportModel(), {});
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('never leaves a heading alone at the bottom of a page', () => {
    expectNoLoneHeadings(perPage);
  });

  it('draws every page (none blank)', async () => {
    const blankDoc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
    const chunks: Uint8Array[] = [];
    blankDoc.on('data', (c: Uint8Array) => chunks.push(c));
    const ended = new Promise<void>((resolve) => blankDoc.on('end', resolve));
    blankDoc.end();
    await ended;
    const blank = await write('blank.pdf', Buffer.concat(chunks));
    await tool('pdftoppm', ['-r', '40', '-png', blank, join(dir, 'blank')]);
    await tool('pdftoppm', ['-r', '40', '-png', path, join(dir, 'page')]);
    const files = await readdir(dir);
    const blankPng = files.find((f) => f.startsWith('blank') && f.endsWith('.png'));
    if (blankPng === undefined) throw new Error('pdftoppm wrote no PNG for the blank page');
    const blankSize = (await stat(join(dir, blankPng))).size;
    const pngs = files.filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
    expect(pngs).toHaveLength(n);
    for (const f of pngs) {
      expect((await stat(join(dir, f))).size, f).toBeGreaterThan(blankSize * 3);
    }
    // And by pixels: every page has a visible share of ink.
    await tool('pdftoppm', ['-r', '20', '-gray', path, join(dir, 'gray')]);
    for (const f of (await readdir(dir)).filter((x) => x.startsWith('gray') && x.endsWith('.pgm'))) {
      const pgm = await readFile(join(dir, f));
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
      if (header?.[0] === undefined) throw new Error(`unexpected PGM header in ${f}`);
      const pixels = pgm.subarray(header[0].length);
      let ink = 0;
      for (const p of pixels) if (p < 200) ink++;
      expect(ink / pixels.length, f).toBeGreaterThan(0.005);
    }
  });
});

describe.skipIf(lacks('pdftotext'))('pdfRenderer with many endpoints', () => {
  let perPage: string[];
  let bytes: Uint8Array;
  let dirLarge = '';

  beforeAll(async () => {
    dirLarge = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-large-'));
    bytes = await pdfRenderer.render(makeReportModel({ extraEndpoints: 300 }), {});
    const path = join(dirLarge, 'large.pdf');
    await writeFile(path, bytes);
    perPage = (await tool('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'])).split('\f').slice(0, -1);
  });

  afterAll(async () => {
    if (dirLarge !== '') await rm(dirLarge, { recursive: true, force: true });
  });

  it('repeats the table header on every page the endpoint table spans', () => {
    // The header row of the Scope endpoint table, as pdftotext lays it out on one line.
    const header = /#\s+Endpoint and domains \(why\)\s+Service\s+Observed\s+Scan\s+Worst/;
    const withHeader = perPage.flatMap((p, i) => (header.test(p) ? [i] : []));
    expect(withHeader.length).toBeGreaterThanOrEqual(4);
    withHeader.forEach((pageIndex, k) => {
      if (k > 0) expect(pageIndex).toBe((withHeader[k - 1] ?? 0) + 1);
    });
    // The last endpoint is in the table, so the table really continued to its end.
    const last = perPage.slice(withHeader[0], (withHeader.at(-1) ?? 0) + 1).join('\n');
    expect(last).toContain('mx299.bulk.example.test');
  });

  it('groups endpoint bookmarks in blocks of 100, each endpoint still listed', () => {
    const items = outline(bytes);
    const idOf = (title: string) => [...items].find(([, v]) => v.title === title)?.[0];
    const groups = [...items.values()].filter((v) => v.title.startsWith('Endpoints '));
    expect(groups.map((g) => g.title.replace(/ \(.*$/, ''))).toEqual(['Endpoints 1–100', 'Endpoints 101–200', 'Endpoints 201–300', 'Endpoints 301–303']);
    for (const g of groups) expect(g.parent).toBe(idOf('Endpoint details'));
    const last = [...items.values()].find((v) => v.title === 'mx299.bulk.example.test (127.0.2.50) port 25');
    expect(last?.parent).toBe(idOf(groups[3]?.title ?? ''));
  });

  it('keeps every heading with what follows it', () => {
    expectNoLoneHeadings(perPage);
  });

  it('summarises each endpoint compactly beyond 200 endpoints, failing findings and their evidence location included', () => {
    const text = perPage.join('\n');
    expect(text).toContain('With more than 200 endpoints each one is summarised here');
    expect(text).toMatch(/FAIL medium: TLS 1\.0 offered \(samples\/testssl\/mx299\.bulk\.example\.test\.csv:12\)/);
  });

  it('names every certificate of a compact endpoint (RSA + ECDSA servers)', async () => {
    const model = makeReportModel({ extraEndpoints: 300 });
    const last = model.scope.endpoints.at(-1)!;
    const second = { ...last.certificates[0]!, index: 2, commonName: 'second.bulk.example.test', key: 'RSA 2048 bits', notAfter: '2026-10-11T00:00:00.000Z' };
    const endpoints = [...model.scope.endpoints.slice(0, -1), { ...last, certificates: [...last.certificates, second] }];
    const path = join(dirLarge, 'two-certs.pdf');
    await writeFile(path, await pdfRenderer.render({ ...model, scope: { ...model.scope, endpoints } }, {}));
    const text = (await tool('pdftotext', ['-enc', 'UTF-8', path, '-'])).replace(/\s+/g, ' ');
    expect(text).toMatch(/certificate mx299\.bulk\.example\.test, RSA 2048 bits, valid until 2027-01-01 · certificate second\.bulk\.example\.test, RSA 2048 bits, valid until 2026-10-11/);
  });

  it('groups the findings behind a control by check, naming the first endpoints and counting the rest', () => {
    const text = perPage.join('\n');
    // 302 endpoints fail proto-tls10 behind HIPAA 164.312(e)(1) in the factory model.
    expect(text).toMatch(/TLS 1\.0 offered: FAIL · MEDIUM\s+[^\n]*\n?\s*302 failing on 302 endpoints/);
    expect(text).toContain('… and 290 more (see Endpoint details)');
  });
});

describe.skipIf(lacks('pdftotext'))('pdfRenderer with a row taller than a page', () => {
  it('splits the row across pages without losing its start or end', async () => {
    const model = makeReportModel();
    // A failing finding: its evidence is always drawn in full (passes may be listed compactly).
    const f = model.findings.find((x) => x.evidence.length > 0 && x.status === 'fail');
    const ev = f?.evidence[0];
    if (ev === undefined) throw new Error('factory model has no evidence to enlarge');
    ev.source.excerpt = `BEGINMARK ${'0123456789abcdef'.repeat(900)} ENDMARK`;
    const dirTall = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-tall-'));
    try {
      const path = join(dirTall, 'tall.pdf');
      await writeFile(path, await renderPdf(model));
      const perPage = (await tool('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'])).split('\f');
      const begin = perPage.findIndex((p) => p.includes('BEGINMARK'));
      const end = perPage.findIndex((p) => p.includes('ENDMARK'));
      expect(begin).toBeGreaterThan(0);
      expect(end).toBeGreaterThan(begin);
      // The continuation page starts with the repeated findings header.
      expect(perPage[begin + 1]).toContain('Evidence (file:line and excerpt)');
    } finally {
      await rm(dirTall, { recursive: true, force: true });
    }
  });
});

// Speed is measured by `npm run bench` (bench/report-bench.ts), not asserted in tests.

/** A period comparison as the history code would produce it, validated against the model schema. */
function withHistory(model: ReportModel): ReportModel {
  const ep = model.scope.endpoints[1];
  if (ep === undefined) throw new Error('factory model has too few endpoints');
  const period = { id: '2026-Q3', label: 'Q3 2026', start: '2026-07-01', end: '2026-09-30' };
  const previousPeriod = { id: '2026-Q2', label: 'Q2 2026', start: '2026-04-01', end: '2026-06-30' };
  const finding = (checkId: string, title: string, severity: 'high' | 'medium', extra: Partial<HistoryFinding> = {}): HistoryFinding => ({
    findingId: `${checkId}@${ep.key}`, checkId, title, endpointKey: ep.key, endpointLabel: ep.label, severity, status: 'fail',
    firstSeen: '2026-05-02T10:00:00.000Z', lastSeenOpen: '2026-09-15T10:00:00.000Z', fixedAt: null, ageDays: 152,
    dueDate: '2026-06-01', daysOverdue: 121, ...extra,
  });
  const overdue = finding('cert-hostname-mismatch', 'Certificate name does not match host', 'high');
  const zero = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  const history: NonNullable<ReportModel['history']> = {
    period, previousPeriod, asOf: '2026-09-30', runsConsidered: 4, endpoints: { current: 3, previous: 2 },
    new: [finding('proto-tls10', 'TLS 1.0 offered', 'medium', { firstSeen: '2026-09-15T10:00:00.000Z', ageDays: 15, dueDate: '2026-12-14', daysOverdue: null })],
    resolved: [finding('cert-expired', 'Certificate expired', 'high', { status: 'pass', fixedAt: '2026-08-01T00:00:00.000Z', dueDate: null, daysOverdue: null })],
    persisting: [overdue], regressed: [], unverified: [], superseded: [],
    endpointsAdded: [{ key: ep.key, label: ep.label, firstSeen: '2026-07-03T00:00:00.000Z' }],
    endpointsRemoved: [{ key: 'old.example.test:25', label: 'old.example.test port 25', lastSeen: '2026-05-30T00:00:00.000Z', openFindings: 2 }],
    remediation: {
      deadlines: { info: null, low: 180, medium: 90, high: 30, critical: 7 }, overdue: [overdue],
      timeToRemediate: [{ severity: 'high', resolved: 1, medianDays: 42, worstDays: 42 }],
    },
    certificateForecast: { period: { id: '2026-Q4', label: 'Q4 2026', start: '2026-10-01', end: '2026-12-31' }, certificates: [{
      notAfter: '2026-11-20T00:00:00.000Z', daysLeft: 51, commonName: 'expiring.example-health.test', issuer: 'Example Test CA',
      serial: '01', fingerprintSha256: null, endpointKeys: [ep.key],
    }] },
    trend: [
      { period: { id: '2026-Q1', label: 'Q1 2026', start: '2026-01-01', end: '2026-03-31' }, hasData: false, endpoints: 0, openBySeverity: zero, frameworks: [] },
      { period: previousPeriod, hasData: true, endpoints: 2, openBySeverity: { ...zero, high: 2 }, frameworks: [{ id: 'hipaa', version: '2013', counts: { fail: 1, warn: 0, 'risk-accepted': 0, pass: 0, evidence: 0, 'not-assessed': 1, 'not-graded': 0 } }] },
      { period, hasData: true, endpoints: 3, openBySeverity: { ...zero, high: 1, medium: 1 }, frameworks: [{ id: 'hipaa', version: '2013', counts: { fail: 1, warn: 0, 'risk-accepted': 0, pass: 0, evidence: 0, 'not-assessed': 1, 'not-graded': 0 } }] },
    ],
    notes: ['One observation of this run falls outside the period.'],
  };
  return ReportModelSchema.parse({ ...model, history });
}

describe.skipIf(lacks('pdftotext'))('pdfRenderer with history', () => {
  it('adds a changes-since section with its own bookmark', async () => {
    const bytes = await pdfRenderer.render(withHistory(makeReportModel()), {});
    const dirHistory = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-history-'));
    try {
      const path = join(dirHistory, 'history.pdf');
      await writeFile(path, bytes);
      const text = (await tool('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']));
      for (const s of ['Changes since Q2 2026', 'New findings (1)', 'Overdue (1)', '121 d overdue', 'Resolved (1)',
        'Endpoints added and removed', 'old.example.test port 25', 'expiring.example-health.test', 'Trend: open findings by severity',
        'no stored run', 'One observation of this run falls outside the period.', 'Open findings per period', '(no stored run)',
        'Trend: control status per framework', 'HIPAA Security Rule 2013', 'Q1 2026 (no stored run)']) {
        expect(text, s).toContain(s);
      }
      expect([...outline(bytes).values()].map((v) => v.title)).toContain('Changes since the previous period');
    } finally {
      await rm(dirHistory, { recursive: true, force: true });
    }
  });
});

describe.skipIf(lacks('pdftotext', 'pdfinfo'))('pdfRenderer with an empty model', () => {
  it('renders every section without endpoints, frameworks, inputs or problems', async () => {
    const base = makeReportModel();
    const model: ReportModel = {
      ...base,
      report: { ...base.report, period: null, title: `${'Very long report title '.repeat(8)}end` },
      scope: { ...base.scope, assets: [], endpoints: [], inputs: [], unlistedEndpointKeys: [], assetsWithoutResults: [] },
      summary: { ...base.summary, endpoints: 0, endpointsCompleted: 0, frameworks: [] },
      frameworks: [], findings: [], remediation: [], checks: [], problems: [], grading: [],
    };
    const bytes = await renderPdf(model);
    const dirEmpty = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-empty-'));
    try {
      const path = join(dirEmpty, 'empty.pdf');
      await writeFile(path, bytes);
      const text = await tool('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
      for (const s of ['No endpoint was assessed.', 'No framework was evaluated.', 'None: every row of every input file was used.',
        'No failing or warning finding needs remediation.', 'No input file was recorded.']) {
        expect(text, s).toContain(s);
      }
      // The running header shortens a title that does not fit instead of wrapping into the body.
      expect(text).toContain('…');
    } finally {
      await rm(dirEmpty, { recursive: true, force: true });
    }
  });
});
