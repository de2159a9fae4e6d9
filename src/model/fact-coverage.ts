/**
 * What each source can measure: one table per source kind (the readers and tlsproof's own probe),
 * in the fact vocabulary of the Observation. With the check fact table (checks/facts.ts) this is
 * the contract behind "the same server gives the same verdict from every source": a check whose
 * facts a tool cannot measure is "not measured by <tool>", never a verdict one way or the other.
 *
 * Listed are the facts a source reads or probes directly; facts derived from them (model/derive.ts)
 * follow. test/model/fact-coverage.test.ts holds every table to the readers' real output: no
 * reader produces a fact its table lacks, and every fact listed is produced from a real file.
 */
import { DERIVED_FACTS } from './derive.js';
import type { CertificateFactKey, CipherClass, FactPath, Protocol } from './observation.js';
import type { SourceKind } from './source.js';

const protocols = (...ps: Protocol[]): FactPath[] => ps.map((p) => `protocols.${p}` as const);
const ALL_PROTOCOLS = protocols('SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3');
const classes = (...cs: CipherClass[]): FactPath[] => cs.map((c) => `cipherClasses.${c}` as const);
const ALL_CLASSES = classes('null', 'anon', 'export', 'des', '3des', 'rc4', 'cbc');
const certificate = (...ks: CertificateFactKey[]): FactPath[] => ks.map((k) => `certificates.${k}` as const);
/** What every certificate reader gets from the certificate itself. */
const CERT_BASICS = certificate(
  'commonName', 'subjectAltNames', 'issuer', 'serial', 'fingerprintSha256', 'notBefore', 'notAfter', 'keyAlgorithm', 'keyBits',
  'signatureAlgorithm',
);

/** testssl.sh 3.0.x (CSV and JSON carry the same records): no STARTTLS-injection test, no per-protocol class tables. */
const TESTSSL: readonly FactPath[] = [
  'tlsAvailable', 'startTlsOffered', ...ALL_PROTOCOLS, ...ALL_CLASSES, 'forwardSecrecy', 'preferredCipher', 'staticRsa', 'dhBits',
  'dheOffered', ...CERT_BASICS, ...certificate('chainTrust', 'hostnameMatch', 'ocspStapling'),
  'vulnerabilities.heartbleed', 'vulnerabilities.ccs', 'vulnerabilities.ticketbleed', 'vulnerabilities.robot', 'vulnerabilities.poodle',
  'vulnerabilities.drown', 'vulnerabilities.freak', 'vulnerabilities.logjam', 'vulnerabilities.sweet32', 'vulnerabilities.beast',
  'vulnerabilities.lucky13', 'vulnerabilities.crime', 'vulnerabilities.secure-renegotiation', 'vulnerabilities.client-renegotiation',
  'vulnerabilities.fallback-scsv', 'vulnerabilities.rc4',
];

// Nessus (CSV and .nessus read one plugin table): only what the recognised plugins state (a plugin that did not fire says nothing).
const NESSUS: readonly FactPath[] = [
  'tlsAvailable', 'startTlsOffered', ...ALL_PROTOCOLS, ...ALL_CLASSES, 'forwardSecrecy', ...CERT_BASICS,
  ...certificate('chainTrust', 'hostnameMatch'), 'mail.authBeforeTls',
  'vulnerabilities.freak', 'vulnerabilities.logjam', 'vulnerabilities.poodle', 'vulnerabilities.rc4', 'vulnerabilities.sweet32',
];

// Greenbone (CSV Results and XML report read one VT table).
const GREENBONE: readonly FactPath[] = [
  'tlsAvailable', 'startTlsOffered', ...protocols('SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'), ...ALL_CLASSES,
  'forwardSecrecy', ...CERT_BASICS, 'vulnerabilities.sweet32',
];

const QUALYS: readonly FactPath[] = [
  'tlsAvailable', ...protocols('SSLv3', 'TLSv1.0', 'TLSv1.1'), ...classes('rc4', '3des', 'anon'),
  ...certificate('chainTrust', 'hostnameMatch'),
  'vulnerabilities.poodle', 'vulnerabilities.beast', 'vulnerabilities.rc4', 'vulnerabilities.sweet32',
];

export const SOURCE_FACTS: Readonly<Record<SourceKind, readonly FactPath[]>> = {
  'testssl-csv': TESTSSL,
  'testssl-json': TESTSSL,
  'nessus-csv': NESSUS,
  'nessus-xml': NESSUS,
  'greenbone-csv': GREENBONE,
  'greenbone-xml': GREENBONE,
  // Qualys: only what the confirmed QIDs state (src/ingest/qualys-qids.ts); a QID that did not fire says nothing.
  'qualys-csv': QUALYS,
  'qualys-xml': QUALYS,
  // nmap ssl-enum-ciphers + ssl-cert: a complete suite inventory, the certificate, no chain
  // validation (only a self-signed verdict), no vulnerability probes beyond what suites imply.
  // SSLv2 needs nmap's separate `sslv2` script, which the documented command does not run.
  'nmap-xml': [
    'tlsAvailable', 'startTlsOffered', ...protocols('SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'), ...ALL_CLASSES,
    'cipherClassesByProtocol', 'forwardSecrecy', 'preferredCipher', 'staticRsa', 'dhBits', 'dheOffered', ...CERT_BASICS,
    ...certificate('chainTrust', 'hostnameMatch'),
    'vulnerabilities.logjam', 'vulnerabilities.sweet32', 'vulnerabilities.rc4', 'vulnerabilities.crime',
  ],
  'sslyze-json': [
    'tlsAvailable', 'startTlsOffered', ...ALL_PROTOCOLS, ...ALL_CLASSES, 'forwardSecrecy', 'preferredCipher', ...CERT_BASICS,
    ...certificate('chainTrust', 'hostnameMatch', 'ocspStapling', 'ocspStatus'),
    'vulnerabilities.heartbleed', 'vulnerabilities.ccs', 'vulnerabilities.robot', 'vulnerabilities.crime',
    'vulnerabilities.secure-renegotiation', 'vulnerabilities.client-renegotiation', 'vulnerabilities.fallback-scsv',
    'vulnerabilities.sweet32', 'vulnerabilities.rc4',
  ],
  'domain-list-csv': [],
  // TLS-RPT aggregate reports: what senders saw delivering to an MX, joined to its SMTP endpoint.
  'tls-rpt': ['senderReports'],
  // tlsproof's own probe: hand-built ClientHellos and Node handshakes. It sends no Heartbeat, CCS,
  // ROBOT or padding-oracle probes and does not renegotiate, so those stay unmeasured.
  probe: [
    'probeStatus', 'tlsAvailable', 'startTlsOffered', ...ALL_PROTOCOLS, ...ALL_CLASSES, 'cipherClassesByProtocol',
    'preferredCipherByProtocol', 'forwardSecrecy', 'preferredCipher', 'staticRsa', 'dhBits', 'dheOffered',
    ...CERT_BASICS, ...certificate('chainTrust', 'hostnameMatch', 'ocspStapling', 'ocspStatus', 'chain'),
    'mail.banner', 'mail.capabilities', 'mail.capabilitiesAfterTls', 'mail.authBeforeTls', 'mail.loginDisabled',
    'mail.mailAcceptedBeforeTls', 'dane', 'domainPolicies', 'vulnerabilities.secure-renegotiation',
  ],
};

const closures = new Map<SourceKind, ReadonlySet<FactPath>>();

/** Facts `kind` measures, plus the facts derived from them (model/derive.ts). */
export function measurableBy(kind: SourceKind): ReadonlySet<FactPath> {
  let set = closures.get(kind);
  if (!set) {
    const s = new Set<FactPath>(SOURCE_FACTS[kind]);
    for (const [derived, from] of Object.entries(DERIVED_FACTS) as [FactPath, readonly FactPath[]][]) {
      if (from.some((f) => s.has(f))) s.add(derived);
    }
    set = s;
    closures.set(kind, set);
  }
  return set;
}
