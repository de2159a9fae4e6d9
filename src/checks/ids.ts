/**
 * Every check id, in report order. The registry (index.ts) must register exactly these, each in
 * a file of the same name; mapping files may reference only these (checked at load).
 */
export const CHECK_IDS = [
  'scan-incomplete',
  'tls-not-offered',
  'proto-sslv2',
  'proto-sslv3',
  'proto-tls10',
  'proto-tls11',
  'proto-tls12-missing',
  'proto-tls13-missing',
  'cipher-null',
  'cipher-export',
  'cipher-anon',
  'cipher-rc4',
  'cipher-64bit-block',
  'no-forward-secrecy',
  'cert-expired',
  'cert-not-yet-valid',
  'cert-revoked',
  'cert-expiring',
  'cert-untrusted',
  'cert-self-signed',
  'cert-hostname-mismatch',
  'cert-weak-key',
  'cert-weak-signature',
  'vuln-heartbleed',
  'vuln-ccs',
  'vuln-ticketbleed',
  'vuln-robot',
  'vuln-poodle',
  'vuln-drown',
  'vuln-freak',
  'vuln-logjam',
  'vuln-sweet32',
  'vuln-beast',
  'vuln-lucky13',
  'vuln-starttls-injection',
  'auth-before-starttls',
  'submission-tls-not-enforced',
  'mta-sts-missing',
  'mta-sts-not-enforced',
  'mta-sts-mx-mismatch',
  'tls-rpt-missing',
  'tls-rpt-reports-absent',
  'tls-rpt-failure-rate',
  'tls-rpt-sender-failures',
  'dane-missing',
  'dane-mismatch',
  'dh-weak',
  'cipher-static-rsa',
  'reneg-insecure',
  'reneg-client-initiated',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(s: string): s is CheckId {
  return (CHECK_IDS as readonly string[]).includes(s);
}
