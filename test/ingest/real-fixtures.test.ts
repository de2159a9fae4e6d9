/**
 * The real nmap XML and testssl.sh JSON fixtures checked against what the lab servers were built
 * with (test/fixtures/ingest/MANIFEST.json, written by test/lab/formats/make-format-fixtures.ts):
 * offered protocol versions, cipher classes and the certificate served, read back through the
 * ingesters. The fixture-pair test pins every fact; this one says the facts are true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import { CIPHER_CLASSES, PROTOCOLS, type Observation } from '../../src/model/observation.js';
import { INGEST_OPTS, ROOT } from './support.js';

interface ServerRecord {
  scenario: string;
  host: string;
  ip: string;
  port: number;
  transport: string;
  profile: string;
  offers: { protocols: string[]; cipherClasses?: string[] };
  certificates: { kind: string; names: string[]; notAfter: string; keyBits: number; signatureAlgorithm: string; fingerprintSha256: string }[];
}
interface FixtureRecord { file: string; tool: string; byName?: boolean; servers?: ServerRecord[] }

const manifest = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/ingest/MANIFEST.json'), 'utf8')) as { tools: Record<string, string>; fixtures: FixtureRecord[] };
const scanned = manifest.fixtures.filter((f) => f.servers && f.servers.length > 0);
const hex = (fp: string | undefined) => (fp ?? '').replace(/[^0-9a-f]/gi, '').toUpperCase();

function find(observations: Observation[], s: ServerRecord): Observation | undefined {
  return observations.find((o) => o.endpoint.port === s.port && (o.endpoint.host === s.host || o.endpoint.ip === s.ip || o.endpoint.host === s.ip));
}

describe('real scanner output matches the lab servers', () => {
  it('has nmap and testssl JSON fixtures from real runs', () => {
    expect(manifest.tools['nmap']).toMatch(/^7\./);
    expect(manifest.tools['testssl']).toMatch(/^3\./);
    expect(scanned.filter((f) => f.file.startsWith('nmap-xml/')).length).toBeGreaterThanOrEqual(5);
    expect(scanned.filter((f) => f.file.startsWith('testssl-json/')).length).toBeGreaterThanOrEqual(4);
  });

  for (const fixture of scanned) {
    it(fixture.file, async () => {
      const out = await ingest([`test/fixtures/ingest/${fixture.file}`], INGEST_OPTS);
      expect(out.problems).toEqual([]);
      const nmap = fixture.file.startsWith('nmap-xml/');
      for (const s of fixture.servers!) {
        const obs = find(out.observations, s);
        const label = `${fixture.file} ${s.scenario}`;
        expect(obs, label).toBeDefined();
        if (s.transport === 'none') {
          expect(obs!.tlsAvailable?.value, label).toBe(false);
          continue;
        }
        expect(obs!.tlsAvailable?.value, label).toBe(true);
        expect(obs!.endpoint.transport, label).toBe(s.transport);
        for (const p of PROTOCOLS) {
          // nmap's ssl-enum-ciphers does not try SSLv2 (the sslv2 script does).
          if (nmap && p === 'SSLv2') { expect(obs!.protocols[p], `${label} ${p}`).toBeUndefined(); continue; }
          expect(obs!.protocols[p]?.value, `${label} ${p}`).toBe(s.offers.protocols.includes(p));
        }
        // The mass scan ran only -p -S (no cipher lists); the others list every class.
        if (!fixture.file.includes('mass-scan')) {
          for (const c of CIPHER_CLASSES) {
            const offered = (s.offers.cipherClasses ?? []).includes(c);
            expect(obs!.cipherClasses[c]?.value ?? false, `${label} ${c}`).toBe(offered);
          }
        }
        const served = new Set(s.certificates.map((c) => hex(c.fingerprintSha256)));
        const cert = obs!.certificates.find((c) => served.has(hex(c.fingerprintSha256?.value)));
        expect(cert, `${label}: a certificate the server was given`).toBeDefined();
        const lab = s.certificates.find((c) => hex(c.fingerprintSha256) === hex(cert!.fingerprintSha256?.value))!;
        expect(Math.abs(Date.parse(cert!.notAfter!.value) - Date.parse(lab.notAfter)), `${label} notAfter`).toBeLessThan(60_000);
        expect(cert!.keyBits?.value, `${label} keyBits`).toBe(lab.keyBits);
        expect(/sha-?1/i.test(cert!.signatureAlgorithm?.value ?? ''), `${label} SHA-1 signature`).toBe(/sha1/i.test(lab.signatureAlgorithm));
        if (fixture.byName !== false) {
          expect(cert!.hostnameMatch?.value, `${label} hostname match`).toBe(lab.kind !== 'wronghost');
        }
        if (lab.kind === 'selfsigned') expect(cert!.chainTrust?.value.selfSigned, `${label} self-signed`).toBe(true);
      }
    });
  }
});
