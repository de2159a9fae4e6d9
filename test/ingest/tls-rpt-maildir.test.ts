/**
 * A Maildir of 1,000 TLS-RPT e-mails (a quarter of daily reports from two senders for a few
 * domains), written by the test, read through the ingest registry: every report counted once
 * (ten second deliveries said as problems), the session totals equal to what was written.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import { buildSenderReports } from '../../src/model/sender-reports.js';
import { senderReportSpecs, writeMaildir } from '../../bench/tls-rpt-generate.js';
import { INGEST_OPTS } from './support.js';

const specs = senderReportSpecs(1000);
let dir: string;
let out: Awaited<ReturnType<typeof ingest>>;
let ms = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-maildir-'));
  const maildir = await writeMaildir(join(dir, 'Maildir'), specs);
  // Ten reports delivered a second time (a resend, or two rua addresses feeding one mailbox).
  const fresh = (await readdir(join(maildir, 'new'))).sort().slice(0, 10);
  for (const f of fresh) await copyFile(join(maildir, 'new', f), join(maildir, 'cur', `${f}.again:2,S`));
  const t0 = performance.now();
  out = await ingest([maildir], INGEST_OPTS);
  ms = performance.now() - t0;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TLS-RPT from a Maildir of 1,000 messages', () => {
  it('reads every message, each report once', () => {
    expect(out.files).toHaveLength(1010);
    expect(out.files.every((f) => f.kind === 'tls-rpt')).toBe(true);
    expect(out.tlsRpt).toHaveLength(1000);
    expect(out.problems.map((p) => p.code)).toEqual(Array(10).fill('duplicate-report'));
    console.log(`1,010 messages read in ${(ms / 1000).toFixed(2)} s`);
  });

  it('adds up to the sessions written, per domain', () => {
    const section = buildSenderReports(out.tlsRpt, { threshold: 5, scannedHosts: new Set(), outsidePeriod: 0 });
    const expected = new Map<string, [number, number]>();
    for (const s of specs) {
      const [ok, failed] = expected.get(s.domain) ?? [0, 0];
      expected.set(s.domain, [ok + s.ok, failed + (s.failures ?? []).reduce((n, f) => n + f.n, 0)]);
    }
    expect(section.domains.map((d) => [d.domain, d.successful, d.failed])).toEqual([...expected].sort().map(([d, [ok, f]]) => [d, ok, f]));
    expect(section.domains[0]!.mx.map((m) => m.host)).toEqual(['mx1.d0.example.test', 'mx2.d0.example.test']);
    expect(section.domains[0]!.organisations).toEqual(['Google Inc.', 'Microsoft Corporation']);
  });
});
