/**
 * Chain trust apart from the leaf's dates (scan/trust.ts), on certificates made by the lab PKI:
 * an expired leaf from a trusted CA is trusted (its expiry is cert-expired's fact), while a leaf
 * from an unknown CA or a self-signed one stays untrusted whatever its dates.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLabPki, type LabPki } from '../lab/certs.js';
import { trustIgnoringLeafDates } from '../../src/scan/trust.js';
import { lacks } from '../support/tools.js';

let work = '';
let pki: LabPki;
let other: LabPki;


async function der(file: string): Promise<Buffer> {
  return Buffer.from(new X509Certificate(await readFile(file)).raw);
}

describe.skipIf(lacks('openssl'))('trust apart from the leaf dates', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-trust-'));
    pki = await makeLabPki(path.join(work, 'lab'));
    other = await makeLabPki(path.join(work, 'other'), 'Some Other Root CA');
  }, 60_000);
  afterAll(async () => { if (work) await rm(work, { recursive: true, force: true }); });

  it('an expired leaf issued by a trusted CA chains to it', async () => {
    const leaf = await pki.issue({ kind: 'expired', hostname: 'mx.expired.example.test' });
    const anchors = [await readFile(pki.caCertFile, 'utf8')];
    expect(trustIgnoringLeafDates([await der(leaf.certFile)], anchors, new Date())).toEqual({ trusted: true, detail: 'chains to a trusted root' });
  });

  it('an expired leaf from an unknown CA does not', async () => {
    const leaf = await other.issue({ kind: 'expired', hostname: 'mx.unknown.example.test' });
    const anchors = [await readFile(pki.caCertFile, 'utf8')];
    expect(trustIgnoringLeafDates([await der(leaf.certFile)], anchors, new Date())).toMatchObject({ trusted: false });
  });

  it('a self-signed leaf does not, even with a bundle of other roots', async () => {
    const leaf = await pki.issue({ kind: 'selfsigned', hostname: 'mx.self.example.test' });
    const anchors = [`${await readFile(pki.caCertFile, 'utf8')}\n${await readFile(other.caCertFile, 'utf8')}`];
    expect(trustIgnoringLeafDates([await der(leaf.certFile)], anchors, new Date())).toMatchObject({ trusted: false });
  });

  it('a trusted root outside its own validity does not anchor anything', async () => {
    const leaf = await pki.issue({ kind: 'expired', hostname: 'mx.late.example.test' });
    const anchors = [await readFile(pki.caCertFile, 'utf8')];
    const farFuture = new Date(Date.UTC(2200, 0, 1));
    expect(trustIgnoringLeafDates([await der(leaf.certFile)], anchors, farFuture)).toMatchObject({ trusted: false, detail: expect.stringMatching(/trusted root .* outside its validity/) });
  });
});
