/**
 * `tlsproof report --store-read-only`: the history section compares with the stored runs as a
 * recorded run would, and the store file is not touched.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../src/model/report-model.js';
import { cli, recordViaCli, reportArgs, tempDir } from './history-support.js';
import { SEQUENCE } from '../../history/support.js';

const fingerprint = (p: string) => ({ sha256: createHash('sha256').update(readFileSync(p)).digest('hex'), mtimeMs: statSync(p).mtimeMs });

let dir: string;
beforeAll(async () => { dir = await tempDir(); });

describe('tlsproof report --store-read-only', () => {
  it('gives the same history section as recording would, and leaves the store as it was', async () => {
    const ro = join(dir, 'ro.db');
    const rw = join(dir, 'rw.db');
    await recordViaCli(ro, 2);
    await recordViaCli(rw, 2);
    const before = fingerprint(ro);
    const outRo = await tempDir();
    const r = await cli([...reportArgs(2, ro, outRo), '--store-read-only'], { now: SEQUENCE[2]!.observedAt });
    expect(r.code, r.stderr).toBe(0);
    expect(fingerprint(ro)).toEqual(before);
    const listed = JSON.parse((await cli(['history', '--store', ro, '--json'])).stdout) as { runs: unknown[] };
    expect(listed.runs).toHaveLength(2);

    const outRw = await tempDir();
    expect((await cli(reportArgs(2, rw, outRw), { now: SEQUENCE[2]!.observedAt })).code).toBe(0);
    const read = async (d: string) => JSON.parse(await readFile(join(d, 'tlsproof-Q1-2027.json'), 'utf8')) as ReportModel;
    const [a, b] = [await read(outRo), await read(outRw)];
    expect(a.history).not.toBeNull();
    expect(a.history).toEqual(b.history);
    expect(a.remediation).toEqual(b.remediation);
  });

  it('refuses --no-store with it', async () => {
    const r = await cli(['report', 'samples/testssl/smtp-good.csv', '--no-store', '--store-read-only']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--store-read-only reads the store and --no-store leaves it out');
  });
});
