/**
 * Observation: the normalised, source-agnostic TLS facts about ONE endpoint. Ingesters and the
 * scanner produce these; checks read only these. A missing key means "not tested", never "no".
 */
import type { Endpoint } from './endpoint.js';
import type { Fact, SourceRef } from './source.js';

export const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * Cipher classes a server offers (any protocol). `des` = single DES and other LOW suites;
 * `3des` = 3DES and IDEA (64-bit block, SWEET32 class); `cbc` = CBC suites without AEAD.
 */
export const CIPHER_CLASSES = ['null', 'anon', 'export', 'des', '3des', 'rc4', 'cbc'] as const;
export type CipherClass = (typeof CIPHER_CLASSES)[number];

export const VULNERABILITIES = [
  'heartbleed', 'ccs', 'ticketbleed', 'robot', 'poodle', 'drown', 'freak', 'logjam', 'sweet32',
  'beast', 'lucky13', 'starttls-injection', 'crime', 'breach', 'secure-renegotiation',
  'client-renegotiation', 'fallback-scsv', 'winshock', 'rc4',
] as const;
export type VulnId = (typeof VULNERABILITIES)[number];

export type VulnState = 'vulnerable' | 'potentially-vulnerable' | 'not-vulnerable' | 'unknown';

export interface VulnFact {
  readonly state: VulnState;
  /** The scanner's own words, e.g. "VULNERABLE, uses 64 bit block ciphers". */
  readonly detail: string;
  readonly cve?: string;
}

export type KeyAlgorithm = 'RSA' | 'EC' | 'DSA' | 'EdDSA' | 'other';

export interface ChainTrust {
  readonly trusted: boolean;
  readonly selfSigned: boolean;
  readonly detail: string;
}

/** One server certificate (servers may present several, e.g. RSA and ECDSA). */
export interface CertificateFacts {
  /** Which certificate: `1`, `2`… in the order the scanner reported them. */
  readonly index: number;
  commonName?: Fact<string>;
  subjectAltNames?: Fact<readonly string[]>;
  issuer?: Fact<string>;
  serial?: Fact<string>;
  fingerprintSha256?: Fact<string>;
  /** ISO 8601. */
  notBefore?: Fact<string>;
  /** ISO 8601. */
  notAfter?: Fact<string>;
  keyAlgorithm?: Fact<KeyAlgorithm>;
  keyBits?: Fact<number>;
  /** As the scanner printed it, e.g. `SHA256 with RSA`, `ECDSA with SHA384`. */
  signatureAlgorithm?: Fact<string>;
  chainTrust?: Fact<ChainTrust>;
  hostnameMatch?: Fact<boolean>;
  ocspStapling?: Fact<boolean>;
}

export type ScanState = 'completed' | 'partial' | 'failed';

export interface Observation {
  readonly endpoint: Endpoint;
  /** When the facts were observed (ISO 8601) and how we know. */
  observedAt: string;
  observedAtSource: 'input' | 'option' | 'file-mtime';
  /** Scanner that produced the facts, e.g. `testssl.sh 3.0.8`. */
  tool?: string;
  /** Did the scan finish? Problems the scanner reported about itself are kept as facts. */
  scan: { state: ScanState; problems: Fact<string>[] };
  /** TLS could be negotiated at all (implicit TLS handshake, or STARTTLS then handshake). */
  tlsAvailable?: Fact<boolean>;
  /** For STARTTLS transports: was STARTTLS advertised and accepted. */
  startTlsOffered?: Fact<boolean>;
  protocols: Partial<Record<Protocol, Fact<boolean>>>;
  cipherClasses: Partial<Record<CipherClass, Fact<boolean>>>;
  forwardSecrecy?: Fact<boolean>;
  /** The suite the server picks first, when reported. */
  preferredCipher?: Fact<string>;
  certificates: CertificateFacts[];
  vulnerabilities: Partial<Record<VulnId, Fact<VulnFact>>>;
  /** Every record that contributed, in input order (also the records no fact came from). */
  sources: SourceRef[];
}

export function emptyObservation(
  endpoint: Endpoint,
  observedAt: string,
  observedAtSource: Observation['observedAtSource'],
): Observation {
  return {
    endpoint,
    observedAt,
    observedAtSource,
    scan: { state: 'completed', problems: [] },
    protocols: {},
    cipherClasses: {},
    certificates: [],
    vulnerabilities: {},
    sources: [],
  };
}
