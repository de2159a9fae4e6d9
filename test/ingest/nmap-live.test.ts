/**
 * One quick live run: nmap (`--script ssl-enum-ciphers,ssl-cert`) against a lab IMAPS server on
 * loopback, its XML read by the ingester. Fails, rather than skips, when nmap is missing, so a CI
 * machine that lost it is noticed (install: apt-get install -y nmap). Needs root for port 993.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import { makeLabPki } from '../lab/certs.js';
import { runNmap } from '../lab/formats/make-format-fixtures.js';
import { startLabServer, type LabServer } from '../lab/servers.js';
import { lacks } from '../support/tools.js';

const SERVER = { host: 'imap.live.example.test', ip: '127.0.61.70', port: 993 };
let work = '';
let server: LabServer | undefined;

describe.skipIf(lacks('nmap', 'openssl', 'root'))('nmap against a lab server', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-nmap-live-'));
    const pki = await makeLabPki(path.join(work, 'pki'));
    const cert = await pki.issue({ kind: 'good', hostname: SERVER.host });
    server = await startLabServer({ protocol: 'imap', transport: 'implicit', profile: 'modern', certs: [cert], ...SERVER });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('scans, and the XML reads back as the server is configured', async () => {
    const xml = await runNmap({ targets: [SERVER.ip], ports: String(SERVER.port), work });
    const file = path.join(work, 'live.xml');
    await writeFile(file, xml);
    const out = await ingest([file], { cwd: work });
    expect(out.problems).toEqual([]);
    expect(out.files[0]?.kind).toBe('nmap-xml');
    const [obs] = out.observations;
    expect(obs?.endpoint).toEqual({ host: SERVER.ip, port: 993, service: 'imaps', transport: 'implicit' });
    expect(obs?.observedAtSource).toBe('input');
    expect(obs?.protocols['TLSv1.0']?.value).toBe(false);
    expect(obs?.protocols['TLSv1.2']?.value).toBe(true);
    expect(obs?.protocols['TLSv1.3']?.value).toBe(true);
    expect(obs?.forwardSecrecy?.value).toBe(true);
    expect(obs?.certificates[0]?.commonName?.value).toBe(SERVER.host);
  }, 60_000);
});
