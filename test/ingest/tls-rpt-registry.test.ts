/**
 * TLS-RPT through the ingest registry: every shape a report arrives in (.json, RFC 8460 §5.3
 * `.json.gz`, an e-mail with an `application/tlsrpt+gzip` or `+json` part, an mbox, a Maildir),
 * recognised by content whatever the file is called, each report-id counted once, and broken
 * reports or mails named by file, line and field.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import { splitMbox } from '../../src/ingest/tls-rpt-mail.js';
import { INGEST_OPTS, ROOT } from './support.js';

const FIX = 'test/fixtures/tls-rpt';
const GZ = `${FIX}/google.com!example-health.test!1789430400!1789516799.json.gz`;
const line = (r: { organization: string; start: string; policies: readonly { successfulSessions: number; failedSessions: number }[] }) =>
  `${r.organization} ${r.start.slice(0, 10)} ${r.policies[0]!.successfulSessions}/${r.policies[0]!.failedSessions}`;

describe('TLS-RPT in the ingest registry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-tlsrpt-reg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [`${FIX}/google-2026-09-14.json`, ['Google Inc. 2026-09-14 4812/37']],
    [GZ, ['Google Inc. 2026-09-15 5012/15']],
    [`${FIX}/google-2026-09-16.eml`, ['Google Inc. 2026-09-16 4950/0']],
    [`${FIX}/microsoft-2026-09-16.eml`, ['Microsoft Corporation 2026-09-16 1302/9']],
  ])('recognises %s by its content and reads its report', async (file, expected) => {
    const out = await ingest([file], INGEST_OPTS);
    expect(out.files).toEqual([expect.objectContaining({ file, kind: 'tls-rpt', records: 1, problems: 0 })]);
    expect(out.tlsRpt.map(line)).toEqual(expected);
    expect(out.observations).toEqual([]);
    expect(out.problems).toEqual([]);
  });

  it('keeps the failure details of a gzip report attached to an e-mail', async () => {
    const out = await ingest([`${FIX}/microsoft-2026-09-16.eml`], INGEST_OPTS);
    expect(out.tlsRpt[0]).toMatchObject({
      reportId: '133713209876543210+example-health.test', contact: 'tlsrpt-noreply@microsoft.com',
      file: `${FIX}/microsoft-2026-09-16.eml › microsoft.com!example-health.test!1789516800!1789603199!133713209876543210.json`,
      policies: [{ policyDomain: 'example-health.test', failures: [{ resultType: 'starttls-not-supported', failedSessionCount: 9, receivingMxHostname: 'mx2.example-health.test' }] }],
    });
  });

  it('does not go by the name: a gzip report saved as .bin and an e-mail saved as .txt are still read', async () => {
    await copyFile(join(ROOT, GZ), join(dir, 'attachment.bin'));
    await copyFile(join(ROOT, FIX, 'google-2026-09-16.eml'), join(dir, 'message.txt'));
    const out = await ingest([join(dir, 'attachment.bin'), join(dir, 'message.txt')], INGEST_OPTS);
    expect(out.files.map((f) => f.kind)).toEqual(['tls-rpt', 'tls-rpt']);
    expect(out.tlsRpt.map(line)).toEqual(['Google Inc. 2026-09-15 5012/15', 'Google Inc. 2026-09-16 4950/0']);
  });

  it('reads an mbox: each message, mboxrd quoting undone, a non-report e-mail and a second delivery said', async () => {
    const out = await ingest([`${FIX}/inbox-2026-09.mbox`], INGEST_OPTS);
    expect(out.tlsRpt.map(line)).toEqual(['Google Inc. 2026-09-17 4888/40', 'Microsoft Corporation 2026-09-17 1275/0']);
    expect(out.problems.map((p) => [p.file, p.line, p.code, p.effect])).toEqual([
      [`${FIX}/inbox-2026-09.mbox`, 37, 'no-tls-report', 'file-skipped'],
      [`${FIX}/inbox-2026-09.mbox`, 81, 'duplicate-report', 'file-skipped'],
    ]);
    expect(out.problems[0]!.message).toMatch(/subject "Your monthly newsletter"\) has no TLS-RPT report attached/);
    expect(out.problems[1]!.message).toMatch(/report-id "2026-09-17T00:00:00Z_example-health.test" from Google Inc. was already read from .*inbox-2026-09.mbox:2 › google.com!/);
  });

  it('splits an mbox across any chunking, with the line each message starts on', async () => {
    const text = await readFile(join(ROOT, FIX, 'inbox-2026-09.mbox'));
    const whole: [number, string][] = [];
    await splitMbox((async function* () { yield text; })(), async (m, l) => { whole.push([l, m.toString('latin1')]); }, () => {});
    expect(whole.map(([l]) => l)).toEqual([2, 37, 48, 81]);
    expect(whole[0]![1]).toContain('\nFrom the sender: quoted by the mailbox (mboxrd).');
    for (const size of [1, 7, 64, 1000]) {
      const got: [number, string][] = [];
      await splitMbox((async function* () { for (let i = 0; i < text.length; i += size) yield text.subarray(i, i + size); })(),
        async (m, l) => { got.push([l, m.toString('latin1')]); }, () => {});
      expect(got).toEqual(whole);
    }
  });

  it('reads a Maildir (cur/ and new/) and counts a report delivered to two folders once, across files', async () => {
    const md = join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(md, sub), { recursive: true });
    await copyFile(join(ROOT, FIX, 'google-2026-09-16.eml'), join(md, 'cur', '1789600000.M1P1.mx:2,S'));
    await copyFile(join(ROOT, FIX, 'microsoft-2026-09-16.eml'), join(md, 'new', '1789600001.M2P1.mx'));
    await copyFile(join(ROOT, FIX, 'google-2026-09-16.eml'), join(md, 'new', '1789600002.M3P1.mx'));
    await writeFile(join(md, 'tmp', 'partial'), 'From: half a delivery');
    const out = await ingest([md], INGEST_OPTS);
    expect(out.files.map((f) => f.file.replace(dir, '~'))).toEqual([
      '~/Maildir/cur/1789600000.M1P1.mx:2,S', '~/Maildir/new/1789600001.M2P1.mx', '~/Maildir/new/1789600002.M3P1.mx',
    ]);
    expect(out.tlsRpt.map(line)).toEqual(['Google Inc. 2026-09-16 4950/0', 'Microsoft Corporation 2026-09-16 1302/9']);
    expect(out.problems).toEqual([expect.objectContaining({ code: 'duplicate-report', file: expect.stringMatching(/1789600002/),
      message: expect.stringMatching(/already read from .*cur\/1789600000\.M1P1\.mx:2,S › google\.com!/) })]);
  });

  it('picks report files and e-mails out of a folder of scans, by content', async () => {
    const folder = join(dir, 'mixed');
    await mkdir(folder, { recursive: true });
    await copyFile(join(ROOT, GZ), join(folder, 'r.json.gz'));
    await copyFile(join(ROOT, FIX, 'microsoft-2026-09-14.json'), join(folder, 'r.json'));
    await copyFile(join(ROOT, FIX, 'google-2026-09-16.eml'), join(folder, 'r.eml'));
    await writeFile(join(folder, 'manifest.json'), '{"name":"not a report"}');
    const out = await ingest([folder], INGEST_OPTS);
    expect(out.files.map((f) => f.file.replace(folder, '~'))).toEqual(['~/r.eml', '~/r.json', '~/r.json.gz']);
    expect(out.tlsRpt).toHaveLength(3);
  });

  it.each([
    ['bad-attachment.eml', 'bad-report', undefined, /^attachment "google\.com!example-health\.test!1789689600!1789775999\.json\.gz": not a TLS-RPT report .*policies\[0\]\.summary\.total-failure-session-count: /],
    ['bad-negative-count.json', 'bad-report', undefined, /policies\[0\]\.summary\.total-failure-session-count/],
    ['bad-dates.json', 'bad-report', undefined, /date-range\.end-datetime \(2026-09-14T00:00:00\.000Z\) is before date-range\.start-datetime/],
  ])('refuses %s with the file and the field at fault', async (name, code, lineNo, message) => {
    const out = await ingest([`${FIX}/${name}`], INGEST_OPTS);
    expect(out.tlsRpt).toEqual([]);
    expect(out.problems).toEqual([expect.objectContaining({ file: `${FIX}/${name}`, code, effect: 'file-skipped' })]);
    expect(out.problems[0]!.line).toBe(lineNo);
    expect(out.problems[0]!.message).toMatch(message);
  });

  it('names the line and column of broken JSON', async () => {
    const p = join(dir, 'broken.json');
    await writeFile(p, '{\n  "organization-name": "Google Inc.",\n  "report-id": "x",\n  "policies": [ }\n');
    const out = await ingest([p], INGEST_OPTS);
    expect(out.problems).toEqual([expect.objectContaining({ code: 'bad-json', line: 4, column: expect.any(Number) })]);
    expect(out.problems[0]!.message).toMatch(/^not valid JSON at line 4, column \d+ /);
  });
});
