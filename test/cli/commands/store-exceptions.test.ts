/**
 * The evidence store keeps the exceptions file a report applied, by content: `tlsproof store
 * regenerate` rebuilds the report with the exceptions in force then, judged on the run's report
 * date, even after the file on disk was changed; a run without one regenerates without one, even
 * when an exceptions file sits where the default would find it today.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportModelSchema, type ReportModel } from '../../../src/model/report-model.js';
import { EvidenceStore } from '../../../src/store/store.js';
import { cli, tempDir } from './history-support.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
const INPUT = 'test/fixtures/history/derived/legacy-tls12-only.csv';

const register = (id: string, justification: string, expires: string) => `schema: tlsproof-exceptions/v1
exceptions:
  - id: ${id}
    match: { checks: [cipher-static-rsa], hosts: ["mail.legacy.*"] }
    justification: ${justification}
    compensatingControl: Inbound limited to the partner's relays.
    approver: { name: Dana Whitfield, role: CISO }
    approvedOn: "2026-09-15"
    ticket: RISK-142
    expires: "${expires}"
`;
const OLD = register('EXC-OLD', 'The partner relay needs TLS 1.0 until March.', '2027-03-31');
const NEW = register('EXC-NEW', 'Rewritten later: nothing of this was in force then.', '2027-06-30');

const model = (dir: string, name = 'tlsproof-2027-01-15.json'): ReportModel => ReportModelSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
const pdfText = async (file: string) => (await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).stdout.replace(/\s+/g, ' ');

let dir = '';
let db = '';
let exceptionsFile = '';
beforeAll(async () => {
  dir = await tempDir();
  db = join(dir, 'evidence.db');
  exceptionsFile = join(dir, 'exceptions.yaml');
  writeFileSync(exceptionsFile, OLD);
  const r = await cli(['report', INPUT, '--exceptions', exceptionsFile, '--observed-at', '2027-01-10T09:00:00Z', '--generated-at', '2027-01-15T09:00:00Z',
    '--store', db, '--format', 'json,pdf', '--out', join(dir, 'a'), '--quiet']);
  if (r.code !== 0) throw new Error(`report exited ${r.code}: ${r.stderr}`);
});

describe('tlsproof store regenerate with an exceptions file', () => {
  it('records the file\'s content with the run, cited by SHA-256 from its request', () => {
    const original = model(join(dir, 'a'));
    expect(original.exceptions.source?.file).toBe(exceptionsFile);
    const staticRsa = original.findings.find((f) => f.checkId === 'cipher-static-rsa')!;
    expect(staticRsa.acceptance).toMatchObject({ exceptionId: 'EXC-OLD' });
    const es = EvidenceStore.open(db, { toolVersion: 'test', mode: 'read' });
    try {
      const cited = es.runDetail(1).request['exceptions'] as { file: string; sha256: string };
      expect(cited).toEqual(original.exceptions.source);
      expect(es.blob(cited.sha256)?.toString('utf8')).toBe(OLD);
    } finally {
      es.close();
    }
  });

  it.skipIf(lacks('pdftotext'))('rebuilds the report with the exceptions in force then, after the file on disk changed', async () => {
    writeFileSync(exceptionsFile, NEW);
    const out = join(dir, 'b');
    const r = await cli(['store', 'regenerate', '1', '--store', db, '--out', out, '--format', 'json,pdf']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Identical to run 1's report/);
    expect(r.code).toBe(0);
    const m = model(out);
    expect(m.exceptions.entries.map((e) => [e.id, e.justification, e.state])).toEqual([['EXC-OLD', 'The partner relay needs TLS 1.0 until March.', 'active']]);
    expect(m.findings.find((f) => f.checkId === 'cipher-static-rsa')!.acceptance?.exceptionId).toBe('EXC-OLD');
    const text = await pdfText(join(out, 'tlsproof-2027-01-15.pdf'));
    expect(text).toContain('EXC-OLD: 1 accepted finding');
    expect(text).toContain('The partner relay needs TLS 1.0 until March.');
    expect(text).not.toContain('EXC-NEW');
    expect(text).not.toContain('Rewritten later');
  });

  it('puts the stored exceptions file in the evidence bundle, named in its manifest', async () => {
    writeFileSync(exceptionsFile, NEW);
    const out = join(dir, 'c');
    const r = await cli(['store', 'bundle', '1', '--store', db, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const zip = unzipSync(readFileSync(join(out, 'tlsproof-2027-01-15.tlsproof.zip')));
    expect(Buffer.from(zip['exceptions/exceptions.yaml']!).toString('utf8')).toBe(OLD);
    const manifest = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')) as { files: { path: string; role: string; sha256: string }[] };
    expect(manifest.files.find((f) => f.path === 'exceptions/exceptions.yaml')).toMatchObject({ role: 'exceptions', sha256: model(join(dir, 'a')).exceptions.source!.sha256 });
    // Unsigned here, so verify reports only the missing signature: every file matches its hash.
    const v = await cli(['verify', join(out, 'tlsproof-2027-01-15.tlsproof.zip')]);
    expect(v.stdout).toContain('NOT VERIFIED: 1 problem\n  - manifest.json.p7s is missing');
  });

  it('judges the stored exceptions on the run\'s report date, not today', async () => {
    // Recorded on 2027-01-15: expiring 2027-01-31 is "expiring soon" then, whatever the clock says now.
    const d = await tempDir();
    const file = join(d, 'exceptions.yaml');
    writeFileSync(file, register('EXC-SOON', 'Fix scheduled for the January window.', '2027-01-31'));
    const store = join(d, 'evidence.db');
    const r = await cli(['report', INPUT, '--exceptions', file, '--observed-at', '2027-01-10T09:00:00Z', '--generated-at', '2027-01-15T09:00:00Z',
      '--store', store, '--format', 'json', '--out', join(d, 'a'), '--quiet']);
    expect(r.code).toBe(0);
    const g = await cli(['store', 'regenerate', '1', '--store', store, '--out', join(d, 'b'), '--format', 'json'], { now: '2028-01-01T00:00:00Z' });
    expect(g.code).toBe(0);
    expect(model(join(d, 'b')).exceptions.entries[0]!.state).toBe('expiring-soon');
  });

  it('an exception approved after the report date accepts nothing: report, store regenerate and exceptions check agree', async () => {
    const d = await tempDir();
    const file = join(d, 'exceptions.yaml');
    // Approved 2026-09-15, applied to a report dated 2026-09-01.
    writeFileSync(file, register('EXC-LATER', 'Signed off two weeks after the report date.', '2027-03-31'));
    const store = join(d, 'evidence.db');
    const r = await cli(['report', INPUT, '--exceptions', file, '--observed-at', '2026-08-30T09:00:00Z', '--generated-at', '2026-09-01T09:00:00Z',
      '--store', store, '--format', 'json,pdf,html', '--out', join(d, 'a')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${file}:3: exception EXC-LATER is approved on 2026-09-15, after the report date, so it accepts nothing in this report`);
    const judged = (m: ReportModel) => ({
      entries: m.exceptions.entries.map((e) => [e.id, e.state, e.matchedFindingIds.length]),
      counts: m.exceptions.counts,
      staticRsa: m.findings.find((f) => f.checkId === 'cipher-static-rsa')!.acceptance,
      riskAccepted: m.frameworks.flatMap((f) => f.controls).filter((c) => c.status === 'risk-accepted').length,
    });
    const original = model(join(d, 'a'), 'tlsproof-2026-09-01.json');
    expect(judged(original)).toEqual({ entries: [['EXC-LATER', 'not-yet-approved', 1]], counts: { open: expect.any(Number), accepted: 0, lapsed: 0 }, staticRsa: undefined, riskAccepted: 0 });
    const text = await pdfText(join(d, 'a', 'tlsproof-2026-09-01.pdf'));
    expect(text).toContain('Not yet approved on the report date (1)');
    expect(text).not.toContain('EXC-LATER: 1 accepted finding');
    const html = readFileSync(join(d, 'a', 'tlsproof-2026-09-01.html'), 'utf8');
    expect(html).toContain('<h3>Not yet approved on the report date (1)</h3>');
    expect(html).toMatch(/EXC-LATER[^]*NOT YET APPROVED/);

    const g = await cli(['store', 'regenerate', '1', '--store', store, '--out', join(d, 'b'), '--format', 'json'], { now: '2028-01-01T00:00:00Z' });
    expect(g.code, g.stderr).toBe(0);
    expect(judged(model(join(d, 'b'), 'tlsproof-2026-09-01.json'))).toEqual(judged(original));

    const c = await cli(['exceptions', 'check', file, '--store', store, '--report-date', '2026-09-01']);
    expect(c.code, c.stderr).toBe(1);
    expect(c.stdout).toContain('  EXC-LATER  NOT YET APPROVED  line 3: approved on 2026-09-15, after the report date, so it accepts nothing yet; 1 finding is open\n');
    expect(c.stdout).toMatch(/, 1 not yet approved; findings: 0 accepted/);
  }, 120_000);

  it('regenerates a run that applied no exceptions file without one', async () => {
    const d = await tempDir();
    const store = join(d, 'evidence.db');
    const r = await cli(['report', INPUT, '--no-exceptions', '--observed-at', '2027-01-10T09:00:00Z', '--generated-at', '2027-01-15T09:00:00Z',
      '--store', store, '--format', 'json', '--out', join(d, 'a'), '--quiet'], { cwd: process.cwd() });
    expect(r.code).toBe(0);
    const es = EvidenceStore.open(store, { toolVersion: 'test', mode: 'read' });
    try {
      expect(es.runDetail(1).request['exceptions']).toBeNull();
    } finally {
      es.close();
    }
    const g = await cli(['store', 'regenerate', '1', '--store', store, '--out', join(d, 'b'), '--format', 'json']);
    expect(g.stdout).toMatch(/Identical to run 1's report/);
    expect(model(join(d, 'b')).exceptions.source).toBeNull();
  });
});
