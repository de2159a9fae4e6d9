/**
 * `tlsproof diff` across two periods shows the exception register's changes: entries added,
 * expired (lapsed between the two report dates), removed and changed, from the exceptions files
 * the store kept with each period's run (the content, not whatever the file says today).
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { ReportModelSchema } from '../../../src/model/report-model.js';
import { renderHtml } from '../../../src/report/html/render.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { exceptionChangeRows } from '../../../src/report/exceptions-text.js';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PeriodComparisonSchema } from '../../../src/model/history.js';
import { EvidenceStore } from '../../../src/store/store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { syntheticRun } from '../../store/support.js';
import { cli, tempDir } from './history-support.js';
import { lacks } from '../../support/tools.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function entry(id: string, expires: string, ticket = 'RISK-1', approvedOn = '2026-04-01'): string {
  return `  - id: ${id}
    match: { checks: [proto-tls10], hosts: ["mx*.example.test"] }
    justification: Partner relay needs TLS 1.0 until its upgrade.
    compensatingControl: IP allow-list on the partner's relays.
    approver: { name: Jane Roe, role: CISO }
    approvedOn: "${approvedOn}"
    ticket: ${ticket}
    expires: "${expires}"
`;
}
const file = (...entries: string[]) => Buffer.from(`schema: tlsproof-exceptions/v1\nexceptions:\n${entries.join('')}`);

const Q2 = file(entry('EXC-1', '2026-08-15'), entry('EXC-2', '2027-01-31'), entry('EXC-3', '2026-12-31'));
const Q3 = file(entry('EXC-1', '2026-08-15'), entry('EXC-3', '2027-03-31', 'RISK-3b'), entry('EXC-4', '2027-02-28'));

let store = '';
beforeAll(async () => {
  store = join(await tempDir(), 'evidence.db');
  const es = EvidenceStore.open(store, { toolVersion: '0.1.0-test', mode: 'write' });
  try {
    for (const [n, observedAt, content] of [[1, '2026-06-20T10:00:00.000Z', Q2], [2, '2026-09-20T10:00:00.000Z', Q3]] as const) {
      const run = syntheticRun(n, { observedAt });
      es.recordRun({ ...run, request: { ...run.request, exceptions: { file: 'exceptions.yaml', sha256: sha(content) } }, blobs: [{ sha256: sha(content), content }] });
    }
  } finally {
    es.close();
  }
});

describe('the store keeps the exceptions file', () => {
  it('as a blob the run\'s request cites by SHA-256, checked by store verify', () => {
    const es = EvidenceStore.open(store, { toolVersion: '0.1.0-test', mode: 'read' });
    try {
      expect(es.runDetail(1).request['exceptions']).toEqual({ file: 'exceptions.yaml', sha256: sha(Q2) });
      expect(es.blob(sha(Q2))?.equals(Q2)).toBe(true);
      expect(es.blob(sha(Q3))?.equals(Q3)).toBe(true);
      expect(es.blob('0'.repeat(64))).toBeUndefined();
      // Inputs are not changed by it: the run still has its one scan input.
      expect(es.runDetail(1).inputFiles.map((i) => i.file)).toEqual(['scan.csv']);
    } finally {
      es.close();
    }
    expect(verifyStore(store).ok).toBe(true);
  });

  it('and store verify fails a run whose cited exceptions content is missing', async () => {
    const broken = join(await tempDir(), 'evidence.db');
    const es = EvidenceStore.open(broken, { toolVersion: '0.1.0-test', mode: 'write' });
    try {
      const run = syntheticRun(1);
      es.recordRun({ ...run, request: { ...run.request, exceptions: { file: 'exceptions.yaml', sha256: sha(Q2) } } });
    } finally {
      es.close();
    }
    const v = verifyStore(broken);
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.id === 'inputs')?.detail).toBe('run 1 exceptions file exceptions.yaml: stored content missing');
  });
});

describe('tlsproof diff: exceptions between periods', () => {
  it('lists the entries added, expired, removed and changed', async () => {
    const r = await cli(['diff', '2026-Q2', '2026-Q3', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout.slice(r.stdout.indexOf('\nExceptions ('));
    expect(text).toContain('Exceptions (run 2: exceptions.yaml, judged 2026-09-20; before: run 1: exceptions.yaml, judged 2026-06-20)');
    expect(text).toMatch(/Added \(1\)\n {4}\+ EXC-4 {2}until 2027-02-28 {2}approved by Jane Roe \(CISO\), ticket RISK-1\n/);
    expect(text).toMatch(/Expired \(1\)\n {4}! EXC-1 {2}last day 2026-08-15, still listed, accepts nothing now/);
    expect(text).toMatch(/Removed \(1\)\n {4}- EXC-2 {2}was in force until 2027-01-31/);
    expect(text).toMatch(/Changed terms \(1\)\n {4}~ EXC-3 {2}expires 2026-12-31 → 2027-03-31; ticket RISK-1 → RISK-3b/);
  });

  it('gives the same changes as JSON, in the published comparison schema', async () => {
    const r = await cli(['diff', '2026-Q2', '2026-Q3', '--store', store, '--json']);
    const json = { exceptions: PeriodComparisonSchema.parse(JSON.parse(r.stdout)).exceptions! };
    expect(json.exceptions.added.map((e) => e.id)).toEqual(['EXC-4']);
    expect(json.exceptions.expired).toEqual([expect.objectContaining({ id: 'EXC-1', expiredOn: '2026-08-15', stillListed: true })]);
    expect(json.exceptions.removed.map((e) => e.id)).toEqual(['EXC-2']);
    expect(json.exceptions.changed.map((e) => e.id)).toEqual(['EXC-3']);
  });

  it('says when a period has no exceptions file, and counts everything as added against an empty earlier period', async () => {
    const r = await cli(['diff', '2026-Q1', '2026-Q2', '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exceptions (run 1: exceptions.yaml, judged 2026-06-20; before: no run)');
    expect(r.stdout).toMatch(/Added \(3\)/);
    expect(r.stdout).toContain('No run was recorded for the earlier period');
  });
});

describe('tlsproof diff: exceptions not yet approved on a report date', () => {
  it('says an added entry approved after the report accepts nothing yet, and lists one approved between the reports', async () => {
    const db = join(await tempDir(), 'evidence.db');
    const before = file(entry('EXC-P', '2027-01-31', 'RISK-P', '2026-07-15'));
    const after = file(entry('EXC-P', '2027-01-31', 'RISK-P', '2026-07-15'), entry('EXC-N', '2027-03-31', 'RISK-N', '2026-10-05'));
    const es = EvidenceStore.open(db, { toolVersion: '0.1.0-test', mode: 'write' });
    try {
      for (const [n, observedAt, content] of [[1, '2026-06-20T10:00:00.000Z', before], [2, '2026-09-20T10:00:00.000Z', after]] as const) {
        const run = syntheticRun(n, { observedAt });
        es.recordRun({ ...run, request: { ...run.request, exceptions: { file: 'exceptions.yaml', sha256: sha(content) } }, blobs: [{ sha256: sha(content), content }] });
      }
    } finally {
      es.close();
    }
    const r = await cli(['diff', '2026-Q2', '2026-Q3', '--store', db]);
    expect(r.stderr).toBe('');
    const text = r.stdout.slice(r.stdout.indexOf('\nExceptions ('));
    expect(text).toMatch(/Added \(1\)\n {4}\+ EXC-N {2}not yet approved on 2026-09-20 \(approval dated 2026-10-05\), accepts nothing yet; until 2027-03-31 {2}approved by Jane Roe \(CISO\), ticket RISK-N\n/);
    expect(text).toMatch(/Approved since \(listed before their approval\) \(1\)\n {4}✓ EXC-P {2}approved 2026-07-15, after the earlier report \(2026-06-20\); in force from then until 2027-01-31/);
    expect(text).toMatch(/Changed terms \(0\)/);
    const json = PeriodComparisonSchema.parse(JSON.parse((await cli(['diff', '2026-Q2', '2026-Q3', '--store', db, '--json'])).stdout)).exceptions!;
    expect(json.added.map((e) => [e.id, e.pendingApproval])).toEqual([['EXC-N', '2026-10-05']]);
    expect(json.approved.map((e) => [e.id, e.approvedOn])).toEqual([['EXC-P', '2026-07-15']]);
    // The report's history section (HTML and PDF) says the same.
    expect(exceptionChangeRows({ exceptions: json })?.map((row) => `${row.label} ${row.id}: ${row.detail}`)).toEqual([
      'Added EXC-N: not yet approved on the report date, 2026-09-20 (approval dated 2026-10-05), so it accepts nothing yet; runs until 2027-03-31; approved by Jane Roe (CISO), ticket RISK-N',
      'Approved EXC-P: listed before its approval; approved 2026-07-15 and in force from then until 2027-01-31; approved by Jane Roe (CISO), ticket RISK-P',
    ]);
  });
});

describe('tlsproof diff: exceptions of two periods recorded by tlsproof report', () => {
  it.skipIf(lacks('pdftotext'))('shows the register changes between the files the two periods\' reports applied', async () => {
    const dir = await tempDir();
    const db = join(dir, 'evidence.db');
    const input = 'test/fixtures/history/derived/legacy-tls12-only.csv';
    const reg = (...entries: string[]) => `schema: tlsproof-exceptions/v1\nexceptions:\n${entries.join('')}`;
    const e = (id: string, check: string, expires: string) => `  - id: ${id}
    match: { checks: [${check}], hosts: ["mail.legacy.*"] }
    justification: Accepted until the relay migration.
    compensatingControl: Partner address range only.
    approver: { name: Dana Whitfield, role: CISO }
    approvedOn: "2026-09-15"
    ticket: RISK-9
    expires: "${expires}"
`;
    const file = join(dir, 'exceptions.yaml');
    const runs: [string, string, string, string][] = [
      ['2026-Q4', '2026-11-10T09:00:00Z', '2026-12-15T09:00:00Z', reg(e('EXC-A', 'cipher-static-rsa', '2026-12-31'), e('EXC-B', 'dh-weak', '2027-06-30'))],
      ['2027-Q1', '2027-01-10T09:00:00Z', '2027-01-15T09:00:00Z', reg(e('EXC-A', 'cipher-static-rsa', '2026-12-31'), e('EXC-C', 'reneg-client-initiated', '2027-06-30'))],
    ];
    for (const [period, observedAt, generatedAt, content] of runs) {
      writeFileSync(file, content);
      const r = await cli(['report', input, '--period', period, '--exceptions', file, '--observed-at', observedAt, '--generated-at', generatedAt,
        '--store', db, '--format', 'json', '--out', join(dir, period), '--quiet']);
      expect(r.code, r.stderr).toBe(0);
    }
    // The file on disk now says something else again: diff reads what the store kept.
    writeFileSync(file, reg());
    const d = await cli(['diff', '2026-Q4', '2027-Q1', '--store', db]);
    expect(d.code, d.stderr).toBe(0);
    const text = d.stdout.slice(d.stdout.indexOf('\nExceptions ('));
    expect(text).toMatch(/Added \(1\)\n {4}\+ EXC-C {2}until 2027-06-30 {2}approved by Dana Whitfield \(CISO\), ticket RISK-9\n/);
    expect(text).toMatch(/Expired \(1\)\n {4}! EXC-A {2}last day 2026-12-31, still listed, accepts nothing now/);
    expect(text).toMatch(/Removed \(1\)\n {4}- EXC-B {2}was in force until 2027-06-30/);
    expect(text).toMatch(/Changed terms \(0\)/);

    // The later report's own history section says the same.
    const model = ReportModelSchema.parse(JSON.parse(readFileSync(join(dir, '2027-Q1', 'tlsproof-Q1-2027.json'), 'utf8')));
    const h = model.history!.exceptions!;
    expect([h.added.map((e) => e.id), h.expired.map((e) => e.id), h.removed.map((e) => e.id)]).toEqual([['EXC-C'], ['EXC-A'], ['EXC-B']]);
    const html = parseHTML(await renderHtml(model)).document;
    expect([...html.querySelectorAll('#history table.history-exceptions tbody tr')].map((r) => [...r.querySelectorAll('td, th')].map((c) => c.textContent?.trim()).join(' '))).toEqual([
      'Added EXC-C in force until 2027-06-30; approved by Dana Whitfield (CISO), ticket RISK-9',
      'Expired EXC-A last day 2026-12-31; still listed, accepts nothing now; approved by Dana Whitfield (CISO), ticket RISK-9',
      'Removed EXC-B was in force until 2027-06-30; what it accepted is no longer accepted',
    ]);
    const pdf = join(dir, 'q1.pdf');
    writeFileSync(pdf, await renderPdf(model));
    const pdfText = (await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' })).stdout.replace(/\s+/g, ' ');
    expect(pdfText).toMatch(/Exception register changes \(3\) .*ADDED EXC-C in force until 2027-06-30/);
    expect(pdfText).toContain('EXPIRED EXC-A last day 2026-12-31; still listed, accepts nothing now');
  });
});
