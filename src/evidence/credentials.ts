/**
 * The signing key and its certificate chain, from one PEM file (private key, possibly encrypted,
 * and the certificates). The passphrase of an encrypted key comes from the environment or a file,
 * never from the command line, where other users of the machine could read it.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ReportError } from '../errors.js';
import { EVIDENCE } from './messages.js';

export interface SigningCredentials {
  readonly key: KeyObject;
  /** The signer's certificate first, then the rest of the chain as given. */
  readonly chain: readonly X509Certificate[];
  readonly file: string;
}

/** The environment variable an encrypted key's passphrase is read from. */
const PASSPHRASE_ENV = 'TLSPROOF_SIGN_PASSPHRASE';

const KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export async function loadSigningCredentials(file: string, passphrase: string | undefined): Promise<SigningCredentials> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ReportError('sign-key-unreadable', {}, EVIDENCE.cannotRead('--sign', file, (err as NodeJS.ErrnoException).code ?? String(err)));
  }
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN')) {
    throw new ReportError('sign-key-format', {}, EVIDENCE.notPem(file));
  }
  const keyPem = KEY_BLOCK.exec(text)?.[0];
  if (keyPem === undefined) throw new ReportError('sign-key-format', {}, EVIDENCE.noKeyBlock(file));
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    const encrypted = keyPem.includes('ENCRYPTED') || keyPem.includes('Proc-Type: 4,ENCRYPTED');
    throw new ReportError('sign-key-format', {}, encrypted && passphrase === undefined
      ? EVIDENCE.keyNeedsPassphrase(file, PASSPHRASE_ENV)
      : EVIDENCE.keyUnreadable(file, (err as Error).message));
  }
  if (!['rsa', 'ec', 'rsa-pss'].includes(key.asymmetricKeyType ?? '')) {
    throw new ReportError('sign-key-format', {}, EVIDENCE.keyType(file, key.asymmetricKeyType ?? 'unknown'));
  }
  const certs = (text.match(CERT_BLOCK) ?? []).map((pem) => new X509Certificate(pem));
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const own = certs.findIndex((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
  if (own < 0) {
    throw new ReportError('sign-key-format', {}, certs.length === 0
      ? EVIDENCE.noCertificate(file)
      : EVIDENCE.noMatchingCertificate(file, certs.length));
  }
  const signer = certs[own]!;
  return { key, chain: [signer, ...certs.filter((_, i) => i !== own)], file };
}

/** The passphrase from --sign-passphrase-file (first line) or else the environment. */
export async function readPassphrase(file: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  if (file !== undefined) {
    try {
      return (await readFile(file, 'utf8')).split(/\r?\n/)[0] ?? '';
    } catch (err) {
      throw new ReportError('sign-key-unreadable', {}, EVIDENCE.cannotRead('--sign-passphrase-file', file, (err as NodeJS.ErrnoException).code ?? String(err)));
    }
  }
  // An empty variable is an unset one (shells and CI templates often export empty values).
  const value = env[PASSPHRASE_ENV];
  return value === '' ? undefined : value;
}
