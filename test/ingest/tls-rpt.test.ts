/**
 * TLS-RPT aggregate reports: the RFC 8460 §4.4 fields read into the model, gzip recognised by its
 * bytes, a report delivered twice counted once, and broken reports refused with file and field.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import { OBSERVED_AT, ROOT } from './support.js';

const FIX = join(ROOT, 'test/fixtures/tls-rpt');

/** Reads report files the way `tlsproof report` does: through ingest(), which knows TLS-RPT by its bytes. */
async function read(cwd: string, ...files: string[]) {
  const out = await ingest(files, { cwd, observedAt: OBSERVED_AT });
  return { reports: out.tlsRpt, problems: out.problems };
}

describe('TLS-RPT reports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-tlsrpt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a report: organisation, period, policy, session counts and failure details', async () => {
    const { reports, problems } = await read(FIX, 'google-2026-09-14.json');
    expect(problems).toEqual([]);
    expect(reports).toEqual([{
      reportId: '2026-09-14T00:00:00Z_example-health.test', organization: 'Google Inc.', contact: 'smtp-tls-reporting@google.com',
      start: '2026-09-14T00:00:00.000Z', end: '2026-09-14T23:59:59.000Z', file: 'google-2026-09-14.json',
      policies: [{
        policyType: 'sts', policyDomain: 'example-health.test',
        policyStrings: ['version: STSv1', 'mode: enforce', 'mx: mx1.example-health.test', 'mx: mx2.example-health.test', 'max_age: 604800'],
        mxHosts: ['mx1.example-health.test', 'mx2.example-health.test'],
        successfulSessions: 4812, failedSessions: 37,
        failures: [
          { resultType: 'certificate-expired', failedSessionCount: 31, sendingMtaIp: '209.85.220.41', receivingMxHostname: 'mx2.example-health.test', receivingIp: '10.20.0.26' },
          { resultType: 'starttls-not-supported', failedSessionCount: 6, sendingMtaIp: '209.85.220.69', receivingMxHostname: 'mx2.example-health.test', receivingIp: '10.20.0.26' },
        ],
      }],
    }]);
  });

  it('recognises gzip by its bytes, whatever the attachment is called, and counts a report delivered twice once', async () => {
    const json = await readFile(join(FIX, 'microsoft-2026-09-14.json'));
    await mkdir(join(dir, 'a'));
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'a/report.json.gz'), gzipSync(json));
    await copyFile(join(dir, 'a/report.json.gz'), join(dir, 'b/attachment.bin'));
    await copyFile(join(FIX, 'google-2026-09-14.json'), join(dir, 'google.json'));
    const out = await read(dir, 'a/report.json.gz', 'google.json', 'b/attachment.bin');
    expect(out.reports.map((r) => `${r.organization} ${r.policies[0]!.successfulSessions}/${r.policies[0]!.failedSessions}`))
      .toEqual(['Microsoft Corporation 1290/0', 'Google Inc. 4812/37']);
    expect(out.problems).toEqual([{
      file: 'b/attachment.bin', code: 'duplicate-report', effect: 'file-skipped',
      message: 'report-id "133712345678901234+example-health.test" from Microsoft Corporation was already read from a/report.json.gz; counted once',
    }]);
  });

  it('recognises a gzip report that expands far past the bytes read to detect it', async () => {
    // 2,000 failure details: ~500 KB of JSON in ~7 KB of gzip, as a busy sender's report can be.
    const json = JSON.parse(await readFile(join(FIX, 'google-2026-09-14.json'), 'utf8'));
    const detail = json.policies[0]['failure-details'][0];
    json.policies[0]['failure-details'] = Array.from({ length: 2000 }, (_, i) => ({ ...detail, 'sending-mta-ip': `10.0.${i >> 8}.${i & 255}`, 'failed-session-count': 1 }));
    json.policies[0].summary['total-failure-session-count'] = 2000;
    await writeFile(join(dir, 'busy.json.gz'), gzipSync(JSON.stringify(json, null, 2)));
    const out = await read(dir, 'busy.json.gz');
    expect(out.problems).toEqual([]);
    expect(out.reports.map((r) => r.policies[0]!.failedSessions)).toEqual([2000]);
  });

  it.each([
    ['bad-negative-count.json', 'bad-report', /policies\[0\]\.summary\.total-failure-session-count: .*(>=|greater|non-?negative|too small)/i],
    ['bad-dates.json', 'bad-report', /date-range\.end-datetime \(2026-09-14T00:00:00\.000Z\) is before date-range\.start-datetime/],
    ['bad-truncated.json', 'bad-json', /not valid JSON/],
  ])('refuses %s naming the field at fault', async (name, code, message) => {
    const { reports, problems } = await read(FIX, name);
    expect(reports).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: name, code, effect: 'file-skipped' });
    expect(problems[0]!.message).toMatch(message);
  });

  it('keeps a report whose failure details add up to more than its total, and says so', async () => {
    const text = (await readFile(join(FIX, 'google-2026-09-14.json'), 'utf8')).replace('"total-failure-session-count":37', '"total-failure-session-count":30');
    const p = join(dir, 'sum.json');
    await writeFile(p, text);
    const out = await read(dir, 'sum.json');
    expect(out.reports[0]?.policies[0]?.failedSessions).toBe(30);
    expect(out.problems).toEqual([expect.objectContaining({ code: 'inconsistent-counts', effect: 'value-ignored',
      message: expect.stringMatching(/^policies\[0\]: failure-details count 37 failed sessions, more than summary\.total-failure-session-count 30/) })]);
  });

  it('refuses a wrong date format and gzip that expands without bound', async () => {
    const text = (await readFile(join(FIX, 'microsoft-2026-09-14.json'), 'utf8')).replace('"2026-09-14T00:00:00Z"', '"14/09/2026"');
    const p = join(dir, 'date.json');
    await writeFile(p, text);
    const bad = await read(dir, 'date.json');
    expect(bad.problems[0]?.message).toMatch(/date-range\.start-datetime: is not an RFC 3339 date-time/);
    const bomb = join(dir, 'bomb.json.gz');
    // It opens like a report, so detection takes it for one; then it expands without end.
    await writeFile(bomb, gzipSync(Buffer.concat([Buffer.from('{"organization-name": "x", "report-id": "y",'), Buffer.alloc(65 * 1024 * 1024, 0x20)])));
    const out = await read(dir, 'bomb.json.gz');
    expect(out.problems[0]).toMatchObject({ code: 'too-large', effect: 'file-skipped' });
  });
});
