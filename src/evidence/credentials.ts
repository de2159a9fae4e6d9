/**
 * The signing key and its certificate chain, from one PEM file (private key, possibly encrypted,
 * and the certificates). The passphrase of an encrypted key comes from the environment or a file,
 * never from the command line, where other users of the machine could read it.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ReportError } from '../errors.js';

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
    throw new ReportError('sign-key-unreadable', {}, `--sign ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN')) {
    throw new ReportError('sign-key-format', {}, `--sign ${file}: not a PEM file. Give one PEM file holding the private key and the certificate chain, e.g. cat key.pem cert.pem chain.pem > signer.pem (for a PKCS#12 file: openssl pkcs12 -in signer.p12 -out signer.pem, with -aes256 to keep the key encrypted).`);
  }
  const keyPem = KEY_BLOCK.exec(text)?.[0];
  if (keyPem === undefined) throw new ReportError('sign-key-format', {}, `--sign ${file}: no private key block (BEGIN PRIVATE KEY) in the file.`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    const encrypted = keyPem.includes('ENCRYPTED') || keyPem.includes('Proc-Type: 4,ENCRYPTED');
    throw new ReportError('sign-key-format', {}, encrypted && passphrase === undefined
      ? `--sign ${file}: the private key is encrypted; put its passphrase in the ${PASSPHRASE_ENV} environment variable or in a file named by --sign-passphrase-file.`
      : `--sign ${file}: cannot read the private key (${(err as Error).message}); check the passphrase.`);
  }
  if (!['rsa', 'ec', 'rsa-pss'].includes(key.asymmetricKeyType ?? '')) {
    throw new ReportError('sign-key-format', {}, `--sign ${file}: a ${key.asymmetricKeyType ?? 'unknown'} key; PDF readers verify RSA and ECDSA signatures, so use one of those.`);
  }
  const certs = (text.match(CERT_BLOCK) ?? []).map((pem) => new X509Certificate(pem));
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const own = certs.findIndex((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
  if (own < 0) {
    throw new ReportError('sign-key-format', {}, certs.length === 0
      ? `--sign ${file}: no certificate in the file; append the signer's certificate (and its chain) after the key.`
      : `--sign ${file}: none of the ${certs.length} certificates matches the private key; the signer's own certificate must be in the file.`);
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
      throw new ReportError('sign-key-unreadable', {}, `--sign-passphrase-file ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    }
  }
  // An empty variable is an unset one (shells and CI templates often export empty values).
  const value = env[PASSPHRASE_ENV];
  return value === '' ? undefined : value;
}
