/**
 * Node's TLS client for the full handshakes of a probe (the main one, and one restricted to the
 * other certificate key type): certificate chain, trust verdict (system roots plus the user's CA
 * files), hostname, OCSP stapling, negotiated version and suite, ephemeral key. `DEFAULT@SECLEVEL=0` so that TLS 1.0/1.1 servers and weak keys still complete a
 * handshake: key strength is judged from the certificate itself, never from `authorized`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { CAPS, FileRefusedError, readBoundedSync } from '../fs-guard.js';
import { ReportError } from '../errors.js';
import type net from 'node:net';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { ProbeError, probeErrorFrom } from './errors.js';

/** Debian/Ubuntu's system bundle; Node's own Mozilla roots are always included. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

interface TrustOptions {
  /** PEM files with extra trust anchors (internal CAs). */
  readonly caFiles?: readonly string[];
  /** Also trust the system bundle at {@link SYSTEM_CA_BUNDLE} (default true). */
  readonly systemRoots?: boolean;
}

/** Certificate key types a server may hold side by side (Postfix `smtpd_tls_eccert_file`, Dovecot `ssl_alt_cert`). */
export type ServerKeyType = 'RSA' | 'ECDSA';

export interface TrustStore {
  /** For probes: TLS 1.0–1.3, every suite OpenSSL still has. */
  readonly probeContext: tls.SecureContext;
  /**
   * Like `probeContext`, but a server can only answer with a certificate of `keyType`: signature
   * algorithms of that type only (TLS 1.2/1.3 servers pick the certificate by them) and suites
   * authenticated by that type only (TLS 1.0–1.2 servers pick by suite). Built on first use.
   */
  keyTypeContext(keyType: ServerKeyType): tls.SecureContext;
  /** For MTA-STS policy fetches: default (strict) client settings. */
  readonly strictContext: tls.SecureContext;
  readonly ca: readonly string[];
}

/**
 * Signature algorithms per key type, strongest first. SHA-1 and SHA-224 stay in for old TLS 1.2
 * servers (OpenSSL never uses them for TLS 1.3); RSA-PSS is listed in both its rsae and pss forms.
 */
const KEY_TYPE_SIGALGS: Readonly<Record<ServerKeyType, string>> = {
  RSA: [
    'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512', 'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384',
    'rsa_pss_pss_sha512', 'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512', 'RSA+SHA224', 'RSA+SHA1',
  ].join(':'),
  ECDSA: ['ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512', 'ECDSA+SHA224', 'ECDSA+SHA1'].join(':'),
};

/** OpenSSL cipher strings for suites authenticated by each key type (static RSA included: it is RSA-authenticated). */
const KEY_TYPE_CIPHERS: Readonly<Record<ServerKeyType, string>> = {
  RSA: 'aRSA:@SECLEVEL=0',
  ECDSA: 'aECDSA:@SECLEVEL=0',
};

export function createTrustStore(opts: TrustOptions = {}): TrustStore {
  const ca: string[] = [...tls.rootCertificates];
  if ((opts.systemRoots ?? true) && existsSync(SYSTEM_CA_BUNDLE)) ca.push(readFileSync(SYSTEM_CA_BUNDLE, 'utf8'));
  for (const f of opts.caFiles ?? []) {
    try {
      ca.push(readBoundedSync(f, { option: '--ca-file', maxBytes: CAPS.caFile }).toString('utf8'));
    } catch (err) {
      if (err instanceof FileRefusedError) throw new ReportError('usage', { file: f, reason: err.reason }, err.message, { cause: err });
      throw err;
    }
  }
  const byKeyType = new Map<ServerKeyType, tls.SecureContext>();
  return {
    ca,
    probeContext: tls.createSecureContext({ ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' }),
    strictContext: tls.createSecureContext({ ca, minVersion: 'TLSv1.2' }),
    keyTypeContext(keyType) {
      let ctx = byKeyType.get(keyType);
      if (!ctx) {
        ctx = tls.createSecureContext({
          ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: KEY_TYPE_CIPHERS[keyType], sigalgs: KEY_TYPE_SIGALGS[keyType],
        });
        byKeyType.set(keyType, ctx);
      }
      return ctx;
    },
  };
}

export interface HandshakeInfo {
  readonly socket: tls.TLSSocket;
  readonly protocol: string;
  /** IANA name, e.g. TLS_AES_256_GCM_SHA384. */
  readonly cipher: string;
  readonly ephemeral?: { readonly type: string; readonly name?: string; readonly size?: number };
  /** DER, leaf first, as OpenSSL built the chain. */
  readonly chain: readonly Buffer[];
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly ocspStapled: boolean;
  /** The stapled OCSP response (DER), when there was one. */
  readonly ocspResponse?: Buffer;
  readonly peer: tls.PeerCertificate;
}

/** Runs a TLS handshake on an open socket; throws ProbeError on timeout or failure. */
export function handshake(socket: net.Socket, serverName: string, context: tls.SecureContext, timeoutMs: number): Promise<HandshakeInfo> {
  return new Promise((resolve, reject) => {
    let ocsp: Buffer | null = null;
    // tls.connect passes requestOCSP on to TLSSocket; @types/node lists it only there.
    const options: tls.ConnectionOptions & { requestOCSP: boolean } = {
      socket, secureContext: context, rejectUnauthorized: false, requestOCSP: true,
      // Trust and hostname are separate verdicts: Node would fold a name mismatch into `authorized`.
      checkServerIdentity: () => undefined,
    };
    if (isIP(serverName) === 0) options.servername = serverName;
    const s = tls.connect(options);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new ProbeError('handshake-timeout', `TLS handshake not finished within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('OCSPResponse', (r: Buffer) => { ocsp = r; });
    s.once('secureConnect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      s.on('error', () => undefined);
      const cipher = s.getCipher();
      const eph = s.getEphemeralKeyInfo();
      const peer = s.getPeerCertificate(true);
      const chain: Buffer[] = [];
      const seen = new Set<tls.DetailedPeerCertificate>();
      for (let c: tls.DetailedPeerCertificate | undefined = peer; c && c.raw && !seen.has(c); c = c.issuerCertificate) {
        seen.add(c);
        chain.push(c.raw);
      }
      const err = s.authorizationError as unknown;
      resolve({
        socket: s,
        protocol: s.getProtocol() ?? 'unknown',
        cipher: cipher.standardName || cipher.name,
        ...(eph && typeof eph === 'object' && 'type' in eph && eph.type ? { ephemeral: eph as HandshakeInfo['ephemeral'] & object } : {}),
        chain,
        authorized: s.authorized,
        ...(err ? { authorizationError: err instanceof Error ? (err as NodeJS.ErrnoException).code ?? err.message : String(err) } : {}),
        ocspStapled: ocsp !== null && (ocsp as Buffer).length > 0,
        ...(ocsp !== null && (ocsp as Buffer).length > 0 ? { ocspResponse: ocsp as Buffer } : {}),
        peer,
      });
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      s.destroy();
      reject(probeErrorFrom(e, 'handshake'));
    });
  });
}

/** Wording of OpenSSL verification codes as auditors read them. */
const VERIFY_TEXT: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not found among trusted roots (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'leaf signature cannot be verified (incomplete chain)',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  CERT_REVOKED: 'certificate revoked',
  INVALID_CA: 'an intermediate is not a valid CA',
};

export function verifyText(code: string): string {
  return VERIFY_TEXT[code] ?? code.toLowerCase().replace(/_/g, ' ');
}
