/**
 * The fact table: for every check, the observation facts that decide its verdict. It is the
 * contract between the checks and the sources: a source that measures none of a check's facts
 * cannot give that check a verdict, and its not-tested finding says so (see `notMeasuredBy`).
 * Kept as data beside the registry (one row per check) rather than in each check file, so the whole
 * contract reads in one place; test/checks/facts.test.ts proves every row honest (the declared
 * facts alone give the same verdict; without them the check is not tested).
 *
 * Derived facts (model/derive.ts) are listed as the fact the check reads, e.g. `vuln-beast`
 * reads `vulnerabilities.beast`, which a source may measure or derive from its protocol and
 * cipher facts.
 */
import type { FactPath } from '../model/observation.js';

export const CHECK_FACTS = {
  'scan-incomplete': ['scan'],
  'tls-not-offered': ['tlsAvailable', 'startTlsOffered'],
  'proto-sslv2': ['protocols.SSLv2'],
  'proto-sslv3': ['protocols.SSLv3'],
  'proto-tls10': ['protocols.TLSv1.0'],
  'proto-tls11': ['protocols.TLSv1.1'],
  'proto-tls12-missing': ['protocols.TLSv1.2'],
  'proto-tls13-missing': ['protocols.TLSv1.3'],
  'cipher-null': ['cipherClasses.null'],
  'cipher-export': ['cipherClasses.export'],
  'cipher-anon': ['cipherClasses.anon'],
  'cipher-rc4': ['cipherClasses.rc4', 'vulnerabilities.rc4'],
  'cipher-64bit-block': ['cipherClasses.3des', 'cipherClasses.des'],
  'no-forward-secrecy': ['forwardSecrecy'],
  'cert-expired': ['certificates.notAfter'],
  'cert-not-yet-valid': ['certificates.notBefore'],
  'cert-revoked': ['certificates.ocspStatus', 'certificates.ocspStapling'],
  'cert-expiring': ['certificates.notAfter'],
  'cert-untrusted': ['certificates.chainTrust', 'dane'],
  'cert-self-signed': ['certificates.chainTrust', 'dane'],
  'cert-hostname-mismatch': ['certificates.hostnameMatch', 'dane'],
  'cert-weak-key': ['certificates.keyAlgorithm', 'certificates.keyBits'],
  'cert-weak-signature': ['certificates.signatureAlgorithm'],
  'vuln-heartbleed': ['vulnerabilities.heartbleed'],
  'vuln-ccs': ['vulnerabilities.ccs'],
  'vuln-ticketbleed': ['vulnerabilities.ticketbleed'],
  'vuln-robot': ['vulnerabilities.robot'],
  'vuln-poodle': ['vulnerabilities.poodle'],
  'vuln-drown': ['vulnerabilities.drown'],
  'vuln-freak': ['vulnerabilities.freak'],
  'vuln-logjam': ['vulnerabilities.logjam'],
  'vuln-sweet32': ['vulnerabilities.sweet32'],
  'vuln-beast': ['vulnerabilities.beast'],
  'vuln-lucky13': ['vulnerabilities.lucky13'],
  'vuln-starttls-injection': ['vulnerabilities.starttls-injection'],
  'auth-before-starttls': ['mail.authBeforeTls'],
  'submission-tls-not-enforced': ['mail.mailAcceptedBeforeTls'],
  'mta-sts-missing': ['domainPolicies', 'dane'],
  'mta-sts-not-enforced': ['domainPolicies'],
  'mta-sts-mx-mismatch': ['domainPolicies'],
  'tls-rpt-missing': ['domainPolicies'],
  'dane-missing': ['dane'],
  'dane-mismatch': ['dane'],
  'dh-weak': ['dhBits', 'dheOffered'],
  'cipher-static-rsa': ['staticRsa'],
  'reneg-insecure': ['vulnerabilities.secure-renegotiation'],
  'reneg-client-initiated': ['vulnerabilities.client-renegotiation'],
} as const satisfies Record<string, readonly FactPath[]>;

/** The facts that decide `id`'s verdict. */
export function checkFacts(id: string): readonly FactPath[] {
  return Object.hasOwn(CHECK_FACTS, id) ? CHECK_FACTS[id as keyof typeof CHECK_FACTS] : [];
}
