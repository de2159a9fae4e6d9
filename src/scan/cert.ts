/**
 * Certificate facts from DER with @peculiar/x509 (key type and size, signature algorithm, dates,
 * names of every certificate in the chain), and DANE TLSA matching (RFC 6698 / 7671 / 7672).
 */
import './reflect-shim.js';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ChainCertificate, KeyAlgorithm, TlsaRecord } from '../model/observation.js';

export interface ParsedCertificate extends ChainCertificate {
  readonly der: Buffer;
  readonly spki: Buffer;
  readonly commonName?: string;
  readonly subjectAltNames: readonly string[];
  readonly serial: string;
}

interface AlgorithmInfo {
  readonly name: string;
  readonly modulusLength?: number;
  readonly namedCurve?: string;
  readonly hash?: { readonly name?: string };
}

const CURVE_BITS: Readonly<Record<string, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, 'K-256': 256 };

function keyOf(alg: AlgorithmInfo, spki: Buffer): { keyAlgorithm: KeyAlgorithm; keyBits: number } {
  const name = alg.name.toUpperCase();
  if (name.startsWith('RSA')) return { keyAlgorithm: 'RSA', keyBits: alg.modulusLength ?? 0 };
  if (name === 'ECDSA' || name === 'ECDH') return { keyAlgorithm: 'EC', keyBits: CURVE_BITS[alg.namedCurve ?? ''] ?? 0 };
  if (name === 'ED25519') return { keyAlgorithm: 'EdDSA', keyBits: 256 };
  if (name === 'ED448') return { keyAlgorithm: 'EdDSA', keyBits: 456 };
  if (name === 'DSA') return { keyAlgorithm: 'DSA', keyBits: dsaBits(spki) };
  return { keyAlgorithm: 'other', keyBits: 0 };
}

/** DSA: the prime p is the first INTEGER in the parameters; its size is the key size. */
function dsaBits(spki: Buffer): number {
  try {
    const key = new x509.PublicKey(spki);
    const text = JSON.stringify(key.toTextObject());
    const m = /"p":"([0-9a-f]+)"/i.exec(text);
    return m ? Math.ceil((m[1]!.replace(/^0+/, '').length * 4) / 8) * 8 : 0;
  } catch {
    return 0;
  }
}

/** `SHA256 with RSA`, `ECDSA with SHA384`, `RSA-PSS with SHA256`, `Ed25519` (testssl-like wording). */
function signatureName(alg: AlgorithmInfo): string {
  const hash = alg.hash?.name?.replace('-', '') ?? '';
  const name = alg.name;
  if (name === 'RSASSA-PKCS1-v1_5') return `${hash || 'unknown hash'} with RSA`;
  if (name === 'RSA-PSS') return `RSA-PSS with ${hash || 'unknown hash'}`;
  if (name === 'ECDSA') return `ECDSA with ${hash || 'unknown hash'}`;
  if (name === 'DSA') return `DSA with ${hash || 'unknown hash'}`;
  return hash ? `${name} with ${hash}` : name;
}

function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

function cnOf(subject: string): string | undefined {
  const m = /(?:^|,\s*)CN=((?:\\,|[^,])*)/.exec(subject);
  return m ? m[1]!.replace(/\\,/g, ',') : undefined;
}

/** Parses one DER certificate; `position` 0 is the leaf. */
export function parseCertificate(der: Buffer, position: number): ParsedCertificate {
  const c = new x509.X509Certificate(der);
  const spki = Buffer.from(c.publicKey.rawData);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san ? san.names.items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value) : [];
  const cn = cnOf(c.subject);
  return {
    position,
    der,
    spki,
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    ...keyOf(c.publicKey.algorithm as AlgorithmInfo, spki),
    signatureAlgorithm: signatureName(c.signatureAlgorithm as AlgorithmInfo),
    // Subject = issuer is how scanners (and testssl) name a self-signed certificate.
    selfSigned: c.subject === c.issuer,
    fingerprintSha256: fingerprint(der),
    ...(cn !== undefined ? { commonName: cn } : {}),
    subjectAltNames: names,
    serial: c.serialNumber.toUpperCase(),
  };
}

/** Parses a chain, skipping certificates the library cannot read (noted in `problems`). */
export function parseChain(ders: readonly Buffer[]): { chain: ParsedCertificate[]; problems: string[] } {
  const chain: ParsedCertificate[] = [];
  const problems: string[] = [];
  ders.forEach((der, i) => {
    try {
      chain.push(parseCertificate(der, i));
    } catch (err) {
      problems.push(`certificate ${i} could not be parsed: ${(err as Error).message}`);
    }
  });
  return { chain, problems };
}

export function toChainCertificate(c: ParsedCertificate): ChainCertificate {
  return {
    position: c.position, subject: c.subject, issuer: c.issuer, notBefore: c.notBefore, notAfter: c.notAfter,
    keyAlgorithm: c.keyAlgorithm, keyBits: c.keyBits, signatureAlgorithm: c.signatureAlgorithm,
    selfSigned: c.selfSigned, fingerprintSha256: c.fingerprintSha256,
  };
}

function tlsaDigest(c: ParsedCertificate, selector: number, matching: number): string | undefined {
  const data = selector === 0 ? c.der : selector === 1 ? c.spki : undefined;
  if (data === undefined) return undefined;
  if (matching === 0) return data.toString('hex');
  if (matching === 1) return createHash('sha256').update(data).digest('hex');
  if (matching === 2) return createHash('sha512').update(data).digest('hex');
  return undefined;
}

/**
 * The first usable TLSA record that matches the chain. SMTP uses only DANE-TA(2) and DANE-EE(3)
 * (RFC 7672 §3.1.3); PKIX usages 0 and 1 are not usable for SMTP and never count as a match.
 * DANE-EE matches the leaf; DANE-TA matches any certificate above it in the presented chain.
 */
export function matchTlsa(records: readonly TlsaRecord[], chain: readonly ParsedCertificate[]): TlsaRecord | undefined {
  for (const r of records) {
    if (r.usage !== 2 && r.usage !== 3) continue;
    const candidates = r.usage === 3 ? chain.filter((c) => c.position === 0) : chain.filter((c) => c.position > 0);
    for (const c of candidates) {
      const d = tlsaDigest(c, r.selector, r.matchingType);
      if (d !== undefined && d === r.data.toLowerCase()) return r;
    }
  }
  return undefined;
}
