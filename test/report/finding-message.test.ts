/**
 * Check messages in the HTML and the PDF write dates and times as the rest of each report does
 * (in UTC, saying so), while the ReportModel (the JSON) keeps the check's sentence and data with
 * the ISO 8601 instants as measured. Real renders of the samples/2026-Q3 report, the PDF read back
 * with pdftotext.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/pipeline.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { findingMessage } from '../../src/report/finding-message.js';
import { htmlRenderer } from '../../src/report/html/render.js';
import { pdfRenderer } from '../../src/report/pdf/render.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EXPIRING = 'cert-expiring@mail.expiring.example.test[127.0.77.21]:25';
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

let model: ReportModel;
let html: string;
let pdf: string;

beforeAll(async () => {
  ({ model } = await buildModel({
    inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', formats: [], outDir: root, strict: false, scan: false,
    generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.1.0', organisation: 'Example Health',
  }));
  html = Buffer.from(await htmlRenderer.render(model, {})).toString('utf8');
  const dir = await mkdtemp(join(tmpdir(), 'tlsproof-finding-message-'));
  await writeFile(join(dir, 'r.pdf'), await pdfRenderer.render(model, {}));
  pdf = (await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout.replace(/\s+/g, ' ');
}, 180_000);

describe('dates in check messages', () => {
  it('stay ISO 8601 in the model: the message is the check sentence filled with its data', () => {
    const f = model.findings.find((x) => x.id === EXPIRING)!;
    expect(f.data).toMatchObject({ notAfter: '2026-10-05T23:59:00.000Z', observedAt: '2026-09-15T09:00:00.000Z' });
    expect(f.message).toBe('Certificate #1 (mail.expiring.example.test) expires on 2026-10-05T23:59:00.000Z, 20 days after it was observed on 2026-09-15T09:00:00.000Z (inside the 30-day window)');
  });

  it('are written as the HTML writes dates (day month year, time, UTC)', () => {
    expect(html).toContain('Certificate #1 (mail.expiring.example.test) expires on 5 Oct 2026, 23:59 UTC, 20 days after it was observed on 15 Sep 2026, 09:00 UTC (inside the 30-day window)');
    const dated = model.findings.filter((f) => Object.values(f.data).some((v) => typeof v === 'string' && ISO_INSTANT.test(v)));
    expect(dated.length).toBeGreaterThan(10);
    for (const f of dated) expect(html, f.id).not.toContain(f.message);
  });

  it('are written as the PDF writes instants (yyyy-mm-dd hh:mm UTC), and so is the generation time of the evidence statements', () => {
    expect(pdf).toContain('expires on 2026-10-05 23:59 UTC, 20 days after it was observed on 2026-09-15 09:00 UTC (inside the 30-day window)');
    // Evidence excerpts are raw scanner records and stay as recorded; no sentence of ours prints an ISO instant.
    const outsideExcerpts = pdf.replace(/\{[^{}]*\}/g, '');
    expect(outsideExcerpts.match(new RegExp(`.{0,60}${ISO_INSTANT.source}.{0,20}`, 'g')) ?? []).toEqual([]);
    expect(pdf).toContain('The report records its generation time (2026-10-01 09:00 UTC)');
  });

  it('are left as given when the check sentence and data do not reproduce the message (a model from another version)', () => {
    const f = model.findings.find((x) => x.id === EXPIRING)!;
    const style = { date: (s: string) => `D(${s})`, dateTime: (s: string) => `T(${s})` };
    expect(findingMessage(f, style)).toBe('Certificate #1 (mail.expiring.example.test) expires on T(2026-10-05T23:59:00.000Z), 20 days after it was observed on T(2026-09-15T09:00:00.000Z) (inside the 30-day window)');
    expect(findingMessage({ ...f, message: 'Expires on 2026-10-05T23:59:00.000Z (older wording)' }, style)).toBe('Expires on 2026-10-05T23:59:00.000Z (older wording)');
    expect(findingMessage({ ...f, checkId: 'no-such-check' }, style)).toBe(f.message);
  });
});
