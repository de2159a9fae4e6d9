/**
 * The shorter PDF loses nothing: every fact the ReportModel holds that the PDF printed before
 * (control ids and titles, each finding's evidence citation on its endpoint's pages, each
 * endpoint's protocol versions and cipher classes under their verdict, remediation
 * owners, tickets and fix-by dates, check ids, input digests, assets) is found in the text read
 * back with pdftotext, and every fail/warn evidence excerpt is printed exactly once. Also the
 * page budget: the executive summary takes at most two pages, and the page counts of the sample
 * (7 endpoints) and of three copies of it (21 endpoints, bench/sample-copies.ts) stay within
 * their bounds. Built by the production pipeline from samples/.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../src/model/report-model.js';
import { PROCESS_CONTROL_REASON } from '../../../src/map/evaluate.js';
import { buildModel } from '../../../src/pipeline.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { protocolName } from '../../../src/report/pdf/format.js';
import { writeSampleCopies } from '../../../bench/sample-copies.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Measured, as regression guards, not the targets (36 and 70): the sample was 42 pages when this
 * test was written, 43 with the one-page "Scan context and limitations" section; the 21-endpoint
 * report was 70, then 72 once the TLS-RPT checks joined the linked-check lists of the control rows
 * and the methodology gained the accepted-risk rule. The shorter front half (control id, status and
 * kind in one column, shared sentences and sets of checks said once per framework, scope lines
 * grouped by reason) and the denser back half (protocols and cipher classes as rows of the facts
 * table, a wider passed-check grid, the check catalogue as run-in paragraphs, a wider remediation
 * action) brought them to 34 and 58, inside the targets of 36 and 70. A rise is a regression.
 */
const SAMPLE_MAX_PAGES = 34;
const COPIES_MAX_PAGES = 58;

interface Rendered { model: ReportModel; pages: string[] }

async function render(dir: string, name: string, inputs: string[], domains: string): Promise<Rendered> {
  const { model } = await buildModel({
    inputs, domains, organisation: 'Example Health', period: '2026-Q3', formats: ['pdf'], outDir: dir, strict: false,
    generatedAt: '2026-10-01T09:00:00.000Z', cwd: root, toolVersion: '0.1.0',
  });
  const path = join(dir, `${name}.pdf`);
  await writeFile(path, await renderPdf(model, {}));
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', path, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return { model, pages: stdout.split('\f').slice(0, -1).map((p) => bodyOf(p, model)) };
}

/**
 * A page without its running header and footer and without a table header repeated after a
 * break, so a row split across pages reads back as one text.
 */
function bodyOf(page: string, model: ReportModel): string {
  const running = new Set([model.report.title, model.report.organisation]);
  let text = page.split('\n').filter((l) => !running.has(l.trim()) && !/^Page \d+ of \d+$/.test(l.trim())
    && !l.trim().startsWith(`Report ${model.report.id} · generated`)).join('\n');
  for (const repeated of REPEATED_HEADERS) if (text.trimStart().startsWith(repeated)) text = text.trimStart().slice(repeated.length);
  return text;
}

/** Header rows of the tables whose rows split across pages, as pdftotext reads them. */
const REPEATED_HEADERS = [
  'Status\n\nFinding and remediation\n\nEvidence (file:line and excerpt)',
  'Control, status\n\nRequirement (paraphrased); why this status\n\nEvidence behind the status',
  'Control, status\n\nRequirement (paraphrased), why this status, and the evidence',
];

/** Text with whitespace runs made one space, for phrases that wrap. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');
/**
 * Text with no whitespace and no hyphens, for raw excerpts the renderer breaks inside long
 * tokens: pdftotext joins a line ending in "-" with the next and drops the hyphen.
 */
const solid = (s: string): string => s.replace(/[\s-]+/g, '');

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Each endpoint's pages, from its numbered heading to the next one (the last to the remediation plan). */
function endpointTexts(model: ReportModel, all: string): string[] {
  const eps = model.scope.endpoints;
  // Past the contents page and the Scope table, which name the same endpoints.
  const start = all.indexOf(`${eps.length} endpoint${eps.length === 1 ? '' : 's'}, in the order of the Scope table`);
  const at: number[] = [];
  eps.forEach((ep, i) => at.push(all.indexOf(`${i + 1}. ${ep.label}`, i === 0 ? start : at[i - 1])));
  const end = all.indexOf('Remediation plan', at[at.length - 1]);
  return eps.map((_, i) => all.slice(at[i] ?? 0, i + 1 < eps.length ? at[i + 1] : end));
}

/**
 * Whether all of `text` is in `hay` (a `solid` text): in one piece, or in two pieces in order, as
 * a table row split across pages reads back, the other cells and the running heads between them.
 */
function printedWhole(text: string, hay: string): boolean {
  if (hay.includes(solid(text))) return true;
  const words = text.split(/\s+/);
  for (let k = 1; k < words.length; k++) {
    const head = solid(words.slice(0, k).join(' '));
    const at = hay.indexOf(head);
    if (at >= 0 && hay.indexOf(solid(words.slice(k).join(' ')), at + head.length) >= 0) return true;
  }
  return false;
}

function expectEveryFact({ model, pages }: Rendered): void {
  const all = flat(pages.join('\n'));
  const missing: string[] = [];
  const solids = new Map<string, string>();
  const need = (text: string, what: string, where = all): void => {
    let hay = solids.get(where);
    if (hay === undefined) { hay = solid(where); solids.set(where, hay); }
    if (!printedWhole(text, hay)) missing.push(`${what}: ${text}`);
  };

  for (const fw of model.frameworks) {
    for (const c of fw.controls) {
      need(c.id, `${fw.id} control id`);
      need(c.title, `${fw.id} ${c.id} title`);
      need(c.paraphrase, `${fw.id} ${c.id} paraphrase`);
      // Why the status is what it is; the sentence every process control shares is said once, in
      // the section's opening, and the row prints what follows it.
      const own = c.statusReason.startsWith(PROCESS_CONTROL_REASON) ? c.statusReason.slice(PROCESS_CONTROL_REASON.length).replace(/^[;.]\s*/, '') : c.statusReason;
      if (own !== '') need(`${own.charAt(0).toUpperCase()}${own.slice(1)}`, `${fw.id} ${c.id} status reason`);
    }
  }
  const texts = endpointTexts(model, all);
  model.scope.endpoints.forEach((ep, i) => {
    const text = texts[i] ?? '';
    if (text === '') missing.push(`endpoint section ${ep.label}`);
    const oneFile = ep.sourceFiles.length === 1 ? ep.sourceFiles[0] : undefined;
    for (const id of ep.findingIds) {
      const f = model.findings.find((x) => x.id === id);
      if (f === undefined) continue;
      // A passed check is named by what was verified, the others by their title.
      need(f.status === 'pass' ? (model.checks.find((c) => c.id === f.checkId)?.passedTitle ?? f.title) : f.title, `${ep.label}: ${f.checkId} (${f.status})`, text);
      for (const e of f.evidence) {
        const { file, line } = e.source;
        if (line === undefined) continue;
        // Passed and untested checks of a one-file endpoint cite the line; the others file:line.
        const cited = solid(text).includes(solid(`${file}:${line}`))
          || (file === oneFile && new RegExp(`\\(lines? (\\d+, )*${line}(, \\d+)*\\)`).test(text));
        if (!cited) missing.push(`${ep.label}: evidence of ${f.checkId} at ${file}:${line}`);
      }
    }
  });
  // Protocol versions and cipher classes, each under the verdict the model holds for it. Each
  // line of a cell names its verdict ("offered: TLS 1.0 · TLS 1.1", "offered: TLS 1.2 · TLS 1.3");
  // pdftotext may read a neighbouring cell's text after a line's last name, so a name is found as
  // a " · "-separated item or the start of one.
  const verdicts = (row: string): { verdict: string; items: string[] }[] => {
    const parts = row.split(/\b(not offered|offered): /);
    const out: { verdict: string; items: string[] }[] = [];
    for (let j = 1; j + 1 < parts.length; j += 2) out.push({ verdict: parts[j] ?? '', items: (parts[j + 1] ?? '').trim().split(' · ') });
    return out;
  };
  const lists = (items: readonly string[], name: string): boolean => items.some((t) => t === name || t.startsWith(`${name} `));
  model.scope.endpoints.forEach((ep, i) => {
    const facts = /Protocols (.*?) Cipher classes (.*?) (?:Not tested (.*?) )?Forward secrecy (yes|no|not tested)/.exec(texts[i] ?? '');
    if (facts === null) { missing.push(`${ep.label}: protocol and cipher-class rows`); return; }
    const [, protocolRow = '', cipherRow = '', untested = '', fs] = facts;
    const said = (named: ReturnType<typeof verdicts>, name: string, offered: boolean | null): boolean => (offered === null
      ? lists(untested.split(' · '), name) : named.some((v) => v.verdict === (offered ? 'offered' : 'not offered') && lists(v.items, name)));
    const protocols = verdicts(protocolRow);
    for (const p of ep.protocols) if (!said(protocols, protocolName(p.protocol), p.offered)) missing.push(`${ep.label}: ${p.protocol} (${String(p.offered)})`);
    const classes = verdicts(cipherRow);
    for (const k of ep.cipherClasses) if (!said(classes, k.label, k.offered)) missing.push(`${ep.label}: cipher class ${k.label} (${String(k.offered)})`);
    if (fs !== (ep.forwardSecrecy === null ? 'not tested' : ep.forwardSecrecy ? 'yes' : 'no')) missing.push(`${ep.label}: forward secrecy`);
  });
  for (const item of model.remediation) {
    need(item.title, 'remediation item');
    if (item.dueDate !== null) need(item.dueDate, `${item.checkId} fix-by date`);
    for (const o of item.owners) {
      need(o.owner, `${item.checkId} owner`);
      if (o.ticket !== null) need(o.ticket, `${item.checkId} ticket`);
    }
  }
  if (model.frameworks.some((fw) => fw.controls.some((c) => c.statusReason.startsWith(PROCESS_CONTROL_REASON)))) {
    need('never graded: a TLS scan cannot decide them, so the report supplies evidence and no grade', 'the process-control sentence in the opening');
  }
  for (const c of model.checks) need(c.id, 'check id');
  for (const f of model.scope.inputs) need(f.sha256, `digest of ${f.file}`);
  for (const a of model.scope.assets) need(a.domain, 'asset');
  expect(missing).toEqual([]);
}

function expectExcerptsOnce({ model, pages }: Rendered): void {
  const texts = endpointTexts(model, pages.join('\n'));
  model.scope.endpoints.forEach((ep, i) => {
    const text = solid(texts[i] ?? '');
    const expected = new Map<string, number>();
    for (const id of ep.findingIds) {
      const f = model.findings.find((x) => x.id === id);
      if (f === undefined || (f.status !== 'fail' && f.status !== 'warn')) continue;
      for (const e of f.evidence) expected.set(solid(e.source.excerpt), (expected.get(solid(e.source.excerpt)) ?? 0) + 1);
    }
    for (const [excerpt, n] of expected) expect(count(text, excerpt), `${ep.label}: ${excerpt.slice(0, 60)}`).toBe(n);
    // A summary that is the record cut short ("{"id":"LOGJAM",… 1024 bi…") is not printed beside the record.
    for (const id of ep.findingIds) {
      for (const e of model.findings.find((x) => x.id === id)?.evidence ?? []) {
        if (!e.summary.endsWith('…')) continue;
        expect(count(text, solid(e.summary)), `${ep.label}: cut summary ${e.summary.slice(0, 40)}`).toBe(0);
      }
    }
  });
}

/** Pages from the Summary heading to the next section's first page. */
function summaryPages(pages: readonly string[]): number {
  const first = pages.findIndex((p) => /^\s*Summary\s*$/m.test(p) && !/Contents/.test(p));
  const next = pages.findIndex((p, i) => i > first && /^\s*(Scope|Changes since .*)\s*$/m.test(p));
  return next - first;
}

describe.skipIf(lacks('pdftotext'))('PDF concision: nothing lost, within the page budget', () => {
  let dir = '';
  let sample: Rendered;
  let copies: Rendered;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-concision-'));
    sample = await render(dir, 'sample', [join(root, 'samples/2026-Q3')], join(root, 'samples/domains.csv'));
    const input = await writeSampleCopies(join(root, 'samples'), join(dir, 'copies'), 3);
    copies = await render(dir, 'copies', [input.scans], input.domains);
  }, 120_000);

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('reads the inputs it claims to: 7 and 21 endpoints under 5 frameworks', () => {
    expect(sample.model.scope.endpoints).toHaveLength(7);
    expect(copies.model.scope.endpoints).toHaveLength(21);
    expect(copies.model.frameworks).toHaveLength(5);
  });

  it('prints every control, finding citation, owner, ticket, fix-by date, check and digest of the sample', () => {
    expectEveryFact(sample);
  });

  it('prints every fact of the 21-endpoint report too', () => {
    expectEveryFact(copies);
  });

  it('names every linked check of every control, a set of checks named in a row being listed in full once', () => {
    for (const { model, pages } of [sample, copies]) {
      const all = flat(pages.join('\n'));
      const start = all.indexOf('Framework results Each control');
      const section = all.slice(start, all.indexOf('Endpoint details', start));
      const titles = new Set(model.frameworks.flatMap((fw) => fw.controls.flatMap((c) => c.checks.map((k) => k.checkTitle))));
      expect(titles.size).toBeGreaterThan(20);
      expect([...titles].filter((t) => !solid(section).includes(solid(t)))).toEqual([]);
      // Each set a row names is defined once in the opening (up to the first framework's heading),
      // with as many titles as its name says.
      const intro = 'named in the rows.';
      const legend = section.slice(section.indexOf(intro) + intro.length, section.indexOf(model.frameworks[0]?.title ?? ''));
      const defined = legend.split(/(?=Set [A-Z] \()/).map((part) => /^(Set [A-Z]) \((\d+) ([a-z]+ )?checks\): (.*)\.\s*$/.exec(part.trim()) ?? []);
      const named = new Set([...section.matchAll(/(Set [A-Z]) \(\d+ (?:[a-z]+ )?checks\)(?!:)/g)].map((m) => m[1]));
      expect(named.size).toBeGreaterThan(0);
      for (const set of named) {
        const def = defined.filter((m) => m[1] === set);
        expect(def, `${set} defined once`).toHaveLength(1);
        const members = (def[0]?.[4] ?? '').split('; ');
        expect(members).toHaveLength(Number(def[0]?.[2]));
        for (const m of members) expect(titles.has(m), `${set} member ${m}`).toBe(true);
      }
    }
  });

  it('prints each failing or warning evidence excerpt exactly once on its endpoint\'s pages', () => {
    expectExcerptsOnce(sample);
    expectExcerptsOnce(copies);
  });

  it('keeps the executive summary to two pages, with what is wrong, where, by when and who owns it', () => {
    for (const r of [sample, copies]) {
      expect(summaryPages(r.pages)).toBeGreaterThan(0);
      expect(summaryPages(r.pages)).toBeLessThanOrEqual(2);
    }
    const summary = flat(sample.pages.slice(2, 4).join('\n'));
    expect(summary).toContain('What needs fixing');
    expect(summary).toContain('mail.legacy.example.test:25');
    expect(summary).toContain('Bob Stone');
    expect(summary).toMatch(/SEC-102/);
    expect(summary).toMatch(/a WARN can be HIGH .* a FAIL can be LOW/);
  });

  it('gives report properties their verdict as met or not met, never PASS or FAIL beside a control', () => {
    const text = flat(sample.pages.join('\n'));
    const properties = sample.model.frameworks.flatMap((f) => f.controls.flatMap((c) => c.evidence));
    expect(properties.length).toBeGreaterThan(0);
    for (const e of properties) {
      const verdict = { pass: 'MET', warn: 'PARTLY MET', fail: 'NOT MET', 'not-tested': 'NOT TESTED' }[e.status];
      expect(text).toContain(`${e.title} (${e.coverage}${e.interpretation ? ', interpretation' : ''}): ${verdict}`);
    }
    expect(text).not.toMatch(/\((partial|full)(, interpretation)?\): (PASS|FAIL|WARN)\b/);
  });

  it('stays within the page budget', () => {
    expect(sample.pages.length).toBeLessThanOrEqual(SAMPLE_MAX_PAGES);
    expect(copies.pages.length).toBeLessThanOrEqual(COPIES_MAX_PAGES);
  });
});
