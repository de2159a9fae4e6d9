/**
 * nmap XML cases the fixtures do not cover: which script output the reader builds into tables,
 * and which <elem> texts it leaves uncollected (nmap-xml.ts UNREAD_ELEMS) without losing a fact.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/index.js';
import { INGEST_OPTS } from './support.js';

const CERT = `<script id="ssl-cert" output="Subject: commonName=mx.example.test">
<table key="subject">
<elem key="commonName">mx.example.test</elem>
<elem key="md5">an attribute name the reader would skip elsewhere</elem>
</table>
<table key="issuer">
<elem key="commonName">Example CA</elem>
<elem key="strength">kept: issuer elems are all read</elem>
</table>
<table key="pubkey">
<elem key="type">rsa</elem>
<elem key="bits">2048</elem>
<elem key="modulus">C2AA99AC</elem>
<elem key="exponent">65537</elem>
</table>
<elem key="sig_algo">sha256WithRSAEncryption</elem>
<table key="validity">
<elem key="notBefore">2026-01-01T00:00:00</elem>
<elem key="notAfter">2027-01-01T00:00:00</elem>
</table>
<elem key="md5">7f89aa3d5374dd218760deba878d531e</elem>
</script>`;

const ENUM = `<script id="ssl-enum-ciphers" output="TLSv1.2: ciphers: TLS_RSA_WITH_3DES_EDE_CBC_SHA (rsa 2048) - C">
<table key="TLSv1.2">
<table key="ciphers">
<table>
<elem key="kex_info">rsa 2048</elem>
<elem key="name">TLS_RSA_WITH_3DES_EDE_CBC_SHA</elem>
<elem key="strength">C</elem>
</table>
</table>
<table key="compressors">
<elem>NULL</elem>
</table>
<elem key="cipher preference">server</elem>
</table>
<elem key="least strength">C</elem>
</script>`;

/** A non-TLS script with tables of its own, as `-sC` adds: read for its id only. */
const OTHER = `<script id="smtp-commands" output="mx.example.test, PIPELINING, STARTTLS">
<table key="ciphers"><table><elem key="name">TLS_RSA_WITH_RC4_128_SHA</elem></table></table>
<elem key="sig_algo">md5WithRSAEncryption</elem>
</script>`;

function nmapRun(scripts: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" args="nmap -sC --script ssl-enum-ciphers,ssl-cert mx.example.test" start="1795893968" version="7.93" xmloutputversion="1.05">
<host starttime="1795893968" endtime="1795893969"><status state="up"/>
<address addr="127.0.0.9" addrtype="ipv4"/>
<hostnames><hostname name="mx.example.test" type="user"/></hostnames>
<ports><port protocol="tcp" portid="25"><state state="open"/><service name="smtp"/>${scripts}</port></ports>
</host>
</nmaprun>
`;
}

async function read(xml: string) {
  const dir = await mkdtemp(join(tmpdir(), 'tlsproof-nmap-'));
  try {
    const file = join(dir, 'scan.xml');
    writeFileSync(file, xml);
    return await ingest([file], INGEST_OPTS);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('nmap XML script tables', () => {
  it('keeps every subject and issuer elem, and still reads the facts beside skipped elems', async () => {
    const out = await read(nmapRun(CERT + ENUM));
    expect(out.problems).toEqual([]);
    const obs = out.observations[0]!;
    const cert = obs.certificates[0]!;
    expect(cert.issuer?.value).toBe('CN=Example CA, strength=kept: issuer elems are all read');
    expect(cert.commonName?.value).toBe('mx.example.test');
    expect(cert.keyAlgorithm?.value).toBe('RSA');
    expect(cert.keyBits?.value).toBe(2048);
    expect(cert.signatureAlgorithm?.value).toBe('sha256WithRSAEncryption');
    expect(cert.notAfter?.value).toBe('2027-01-01T00:00:00.000Z');
    expect(cert.chainTrust).toBeUndefined();
    expect(obs.protocols['TLSv1.2']?.value).toBe(true);
    expect(obs.preferredCipher?.value).toBe('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(obs.cipherClasses['3des']?.value).toBe(true);
    expect(obs.vulnerabilities.sweet32?.value.state).toBe('vulnerable');
    expect(obs.vulnerabilities.crime?.value).toEqual({ state: 'not-vulnerable', detail: 'no TLS compression (nmap ssl-enum-ciphers)' });
  });

  it('a non-TLS script with tables changes nothing', async () => {
    const plain = await read(nmapRun(CERT + ENUM));
    const withOther = await read(nmapRun(OTHER + CERT + ENUM));
    expect(withOther.problems).toEqual([]);
    const [a, b] = [plain.observations[0]!, withOther.observations[0]!];
    const { sources: sa, ...fa } = a;
    const { sources: sb, ...fb } = b;
    // Facts cite sources by line; the extra script shifts lines, so compare without them.
    const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'source' ? undefined : x)));
    expect(strip(fb)).toEqual(strip(fa));
    expect(sb.length).toBe(sa.length);
    expect(b.cipherClasses.rc4?.value).toBe(false);
  });
});
