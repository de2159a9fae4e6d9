/**
 * Observation: the normalised, source-agnostic TLS facts about ONE endpoint. Ingesters and the
 * scanner produce these; checks read only these. A missing key means "not tested", never "no".
 */
import type { Endpoint } from './endpoint.js';
import type { Fact, SourceRef } from './source.js';
import type { SenderReportFacts } from './tls-rpt.js';

export const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * Cipher classes a server offers (any protocol). `des` = single DES and other LOW-grade suites
 * (testssl's LOW list also holds RC2/RC4 suites, so a server offering only RC4 reads as `des` too);
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
  /** The server stapled an OCSP response when asked (status_request). */
  ocspStapling?: Fact<boolean>;
  /**
   * What the stapled OCSP response says about this certificate (matched by serial). Absent when
   * nothing was stapled, the responder answered with an error, or the response covers other
   * certificates only: absence says nothing about revocation. Set by tlsproof's own scanner.
   */
  ocspStatus?: Fact<OcspCertificateStatus>;
  /** Every certificate the server presented, leaf first (tlsproof's own scanner). */
  chain?: Fact<readonly ChainCertificate[]>;
}

/**
 * One certificate's status in a stapled OCSP response (RFC 6960 §4.2.1, SingleResponse). It is what
 * the staple claims: tlsproof does not verify the responder's signature.
 */
export interface OcspCertificateStatus {
  /** `unknown`: the responder does not know the certificate (RFC 6960 §2.2). */
  readonly status: 'good' | 'revoked' | 'unknown';
  /** ISO 8601; only for `revoked`. */
  readonly revokedAt?: string;
  /** ISO 8601: when the responder last knew the status to be correct. */
  readonly thisUpdate?: string;
  /** ISO 8601: newer status information is due by then; a response past it is stale. */
  readonly nextUpdate?: string;
}

/** One certificate of a presented chain, as read by an X.509 library (never hand-parsed DER). */
export interface ChainCertificate {
  /** 0 = leaf, then the intermediates in the order the server sent them. */
  readonly position: number;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyAlgorithm: KeyAlgorithm;
  /** RSA/DSA modulus bits, EC curve bits, 255/448 for EdDSA. */
  readonly keyBits: number;
  /** e.g. `SHA256 with RSA`, `ECDSA with SHA384`, `Ed25519`. */
  readonly signatureAlgorithm: string;
  readonly selfSigned: boolean;
  /** Upper-case hex, colon-separated. */
  readonly fingerprintSha256: string;
}

export type ScanState = 'completed' | 'partial' | 'failed';

/**
 * Why a probe could not assess an endpoint (or part of it). `blocked` and `rate-limited` are the
 * server refusing us (554 banner, 421/4xx after retries): an honest "not assessed", never a verdict.
 */
export const PROBE_ERROR_REASONS = [
  'dns-failed', 'connect-failed', 'connect-timeout', 'read-timeout', 'handshake-timeout', 'connection-reset',
  'connection-closed', 'line-too-long', 'protocol-error', 'starttls-rejected', 'handshake-failed',
  'blocked', 'rate-limited', 'deadline',
] as const;
export type ProbeErrorReason = (typeof PROBE_ERROR_REASONS)[number];

/** The scanner's own verdict on how far it got with an endpoint. */
export interface ProbeStatus {
  readonly status: 'completed' | 'partial' | 'error' | 'blocked';
  readonly reason?: ProbeErrorReason;
  readonly detail: string;
}

/** What the plaintext dialogue before TLS showed (SMTP, IMAP, POP3). */
export interface MailDialogueFacts {
  /** SMTP 220 line, IMAP `* OK` or POP3 `+OK` greeting. */
  banner?: Fact<string>;
  /** EHLO keywords, IMAP CAPABILITY or POP3 CAPA before TLS (upper-case, parameters kept). */
  capabilities?: Fact<readonly string[]>;
  /** The same after STARTTLS/STLS, when TLS succeeded. */
  capabilitiesAfterTls?: Fact<readonly string[]>;
  /**
   * Plaintext authentication offered before TLS: SMTP AUTH mechanisms advertised before STARTTLS,
   * IMAP without LOGINDISABLED (or with AUTH=), POP3 USER or SASL before STLS. `[]` = none.
   */
  authBeforeTls?: Fact<readonly string[]>;
  /** IMAP LOGINDISABLED advertised before STARTTLS. */
  loginDisabled?: Fact<boolean>;
  /** Submission (587): was `MAIL FROM` accepted before STARTTLS, i.e. TLS not enforced. */
  mailAcceptedBeforeTls?: Fact<boolean>;
}

/** A domain's MTA-STS state (RFC 8461) as seen for one MX. */
export interface MtaStsFacts {
  /** `_mta-sts.<domain>` TXT present and valid (`v=STSv1; id=…`). */
  readonly record: 'valid' | 'missing' | 'invalid' | 'multiple';
  readonly recordText?: string;
  readonly id?: string;
  /** Outcome of the HTTPS policy fetch. */
  readonly policy: 'valid' | 'not-fetched' | 'fetch-failed' | 'invalid';
  readonly policyDetail?: string;
  readonly mode?: 'enforce' | 'testing' | 'none';
  readonly maxAge?: number;
  readonly mx?: readonly string[];
  /** Whether this endpoint's MX host matches one of the policy's `mx` patterns. */
  readonly mxMatch?: boolean;
}

/** A domain's TLS-RPT record (RFC 8460). */
export interface TlsRptFacts {
  readonly record: 'valid' | 'missing' | 'invalid' | 'multiple';
  readonly recordText?: string;
  /** `rua` URIs (mailto: / https:). */
  readonly rua?: readonly string[];
  readonly problem?: string;
}

/** One TLSA record (RFC 6698): usage, selector, matching type, data (hex). */
export interface TlsaRecord {
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  readonly data: string;
}

/** DANE for an SMTP endpoint: TLSA at `_25._tcp.<mx>` and whether the presented chain matches. */
export interface DaneFacts {
  readonly tlsa: readonly TlsaRecord[];
  /** The resolver set the AD bit: the answer (or its absence) is DNSSEC-authenticated. */
  readonly authenticated: boolean;
  /** At least one usable record (usage 2 or 3) matches the presented chain; undefined when no chain. */
  readonly matches?: boolean;
  /** Which record matched, e.g. `3 1 1`. */
  readonly matched?: string;
  readonly detail: string;
}

/** Email-domain policies that name this endpoint's host as an MX. */
export interface DomainPolicyFacts {
  readonly domain: string;
  mtaSts?: Fact<MtaStsFacts>;
  tlsRpt?: Fact<TlsRptFacts>;
}

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

  // Facts below come from tlsproof's own scanner; other inputs leave them out (= not tested).

  /** How far the scanner got, with the reason when it did not finish. */
  probeStatus?: Fact<ProbeStatus>;
  /** Plaintext dialogue facts for SMTP, IMAP and POP3. */
  mail?: MailDialogueFacts;
  /** Cipher classes per protocol version (the union is in `cipherClasses`). */
  cipherClassesByProtocol?: Partial<Record<Protocol, Partial<Record<CipherClass, Fact<boolean>>>>>;
  /** The suite the server chose per protocol version from tlsproof's standard client list (IANA name). */
  preferredCipherByProtocol?: Partial<Record<Protocol, Fact<string>>>;
  /** Static-RSA key exchange (no forward secrecy) accepted for some protocol version. */
  staticRsa?: Fact<boolean>;
  /** Smallest finite-field DH group the server used for DHE, in bits; absent when DHE was not accepted. */
  dhBits?: Fact<number>;
  /** DHE suites accepted at all (with `dhBits` when they were). */
  dheOffered?: Fact<boolean>;
  /** DANE TLSA for SMTP endpoints. */
  dane?: Fact<DaneFacts>;
  /** MTA-STS / TLS-RPT of each email domain whose MX is this endpoint. */
  domainPolicies?: DomainPolicyFacts[];
  /**
   * What sending servers reported (TLS-RPT aggregate reports) about the domains this SMTP endpoint
   * receives for; set on every SMTP endpoint when reports were among the inputs, absent otherwise.
   */
  senderReports?: Fact<SenderReportFacts>;
  /** The full plaintext + handshake transcript of the first connection, for evidence. */
  transcript?: string;
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

/** Observation keys whose value is one Fact (`dhBits`, `staticRsa`, `dane`…). */
type ObservationFactKey = {
  [K in keyof Observation]-?: NonNullable<Observation[K]> extends Fact<unknown> ? K : never;
}[keyof Observation];

/** Certificate keys whose value is one Fact (every key but `index`). */
export type CertificateFactKey = Exclude<keyof CertificateFacts, 'index'>;

/**
 * One observable fact, named by its place in the Observation: a top-level fact (`dhBits`), one
 * entry of a per-protocol, per-class or per-vulnerability table (`protocols.TLSv1.0`,
 * `cipherClasses.3des`, `vulnerabilities.logjam`), a certificate fact (any certificate), a mail
 * dialogue fact, or the grouped facts that have no single Fact (`scan`, `domainPolicies`, the
 * per-protocol cipher tables). Check fact tables and source fact tables speak this vocabulary.
 */
export type FactPath =
  | ObservationFactKey
  | 'scan' | 'domainPolicies' | 'cipherClassesByProtocol' | 'preferredCipherByProtocol'
  | `protocols.${Protocol}`
  | `cipherClasses.${CipherClass}`
  | `vulnerabilities.${VulnId}`
  | `certificates.${CertificateFactKey}`
  | `mail.${keyof MailDialogueFacts}`;

/** Every fact `obs` holds, as paths (the tables' vocabulary). */
export function factsPresent(obs: Observation): FactPath[] {
  const out: FactPath[] = [];
  for (const [k, v] of Object.entries(obs)) {
    if (v === undefined) continue;
    if (k === 'protocols') for (const p of Object.keys(obs.protocols)) out.push(`protocols.${p as Protocol}`);
    else if (k === 'cipherClasses') for (const c of Object.keys(obs.cipherClasses)) out.push(`cipherClasses.${c as CipherClass}`);
    else if (k === 'vulnerabilities') for (const id of Object.keys(obs.vulnerabilities)) out.push(`vulnerabilities.${id as VulnId}`);
    else if (k === 'mail') for (const m of Object.keys(obs.mail ?? {})) out.push(`mail.${m as keyof MailDialogueFacts}`);
    else if (k === 'certificates') {
      const keys = new Set<string>();
      for (const c of obs.certificates) for (const ck of Object.keys(c)) if (ck !== 'index') keys.add(ck);
      for (const ck of keys) out.push(`certificates.${ck as CertificateFactKey}`);
    } else if (k === 'domainPolicies') { if (obs.domainPolicies!.length > 0) out.push('domainPolicies'); }
    else if (!NOT_FACTS.has(k)) out.push(k as FactPath);
  }
  return out;
}

/** Observation keys that are bookkeeping, not facts about the server. */
const NOT_FACTS: ReadonlySet<string> = new Set(['endpoint', 'observedAt', 'observedAtSource', 'tool', 'sources', 'transcript', 'scan']);
