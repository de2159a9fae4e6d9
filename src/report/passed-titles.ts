/**
 * What a passing check verified, by check id: a check's title names the problem it looks for
 * ("SSL 2.0 offered"), so a list of passed checks printed by title read as if those problems
 * were present. Reports list passed checks by these names ("SSL 2.0 not offered").
 */
import type { CheckId } from '../checks/ids.js';

export const PASSED_TITLES: Readonly<Record<CheckId, string>> = {
  'scan-incomplete': 'Scan completed',
  'tls-not-offered': 'TLS offered',
  'proto-sslv2': 'SSL 2.0 not offered',
  'proto-sslv3': 'SSL 3.0 not offered',
  'proto-tls10': 'TLS 1.0 not offered',
  'proto-tls11': 'TLS 1.1 not offered',
  'proto-tls12-missing': 'TLS 1.2 offered',
  'proto-tls13-missing': 'TLS 1.3 offered',
  'cipher-null': 'No NULL cipher suites',
  'cipher-export': 'No EXPORT cipher suites',
  'cipher-anon': 'No anonymous cipher suites',
  'cipher-rc4': 'No RC4 cipher suites',
  'cipher-64bit-block': 'No 64-bit block cipher suites',
  'no-forward-secrecy': 'Forward secrecy offered',
  'cert-expired': 'Certificate not expired',
  'cert-not-yet-valid': 'Certificate already valid',
  'cert-revoked': 'Certificate not revoked',
  'cert-expiring': 'Certificate not expiring soon',
  'cert-untrusted': 'Certificate chain trusted',
  'cert-self-signed': 'Certificate not self-signed',
  'cert-hostname-mismatch': 'Certificate matches host name',
  'cert-weak-key': 'Certificate key strong enough',
  'cert-weak-signature': 'Certificate signature strong enough',
  'vuln-heartbleed': 'Not vulnerable to Heartbleed',
  'vuln-ccs': 'Not vulnerable to CCS injection',
  'vuln-ticketbleed': 'Not vulnerable to Ticketbleed',
  'vuln-robot': 'Not vulnerable to ROBOT',
  'vuln-poodle': 'Not vulnerable to POODLE',
  'vuln-drown': 'Not vulnerable to DROWN',
  'vuln-freak': 'Not vulnerable to FREAK',
  'vuln-logjam': 'Not vulnerable to Logjam',
  'vuln-sweet32': 'Not vulnerable to SWEET32',
  'vuln-beast': 'Not vulnerable to BEAST',
  'vuln-lucky13': 'Not vulnerable to LUCKY13',
  'vuln-starttls-injection': 'No STARTTLS command injection',
  'auth-before-starttls': 'No authentication before TLS',
  'submission-tls-not-enforced': 'Submission requires TLS',
  'mta-sts-missing': 'MTA-STS policy usable',
  'mta-sts-not-enforced': 'MTA-STS policy enforced',
  'mta-sts-mx-mismatch': 'MX covered by MTA-STS policy',
  'tls-rpt-missing': 'TLS-RPT reporting published',
  'tls-rpt-reports-absent': 'TLS-RPT reports received',
  'tls-rpt-failure-rate': 'Sending servers rarely failed to establish TLS',
  'tls-rpt-sender-failures': 'Sending servers met STARTTLS and a valid certificate',
  'dane-missing': 'DANE published for the MX',
  'dane-mismatch': 'DANE TLSA matches the certificate',
  'dh-weak': 'Diffie-Hellman group strong enough',
  'cipher-static-rsa': 'No static RSA key exchange',
  'reneg-insecure': 'Secure renegotiation supported',
  'reneg-client-initiated': 'No client-initiated renegotiation',
};

/** The passed-check name for `checkId`, or `title` for a check this table does not know. */
export function passedTitle(checkId: string, title: string): string {
  return Object.hasOwn(PASSED_TITLES, checkId) ? PASSED_TITLES[checkId as CheckId] : title;
}
