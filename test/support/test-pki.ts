/**
 * A throw-away PKI for signing tests, made with openssl at run time (nothing private is
 * committed): a root CA, a signer certificate issued by it (with its key in one PEM file, as
 * --sign reads it), an unrelated CA, and a time-stamping authority issued by the root.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPki {
  readonly dir: string;
  /** Signer key + certificate + CA certificate, one PEM file. */
  readonly signerPem: string;
  /** The same with the key encrypted (passphrase PASSPHRASE). */
  readonly encryptedSignerPem: string;
  readonly caCert: string;
  readonly otherCaCert: string;
  readonly tsaCert: string;
  readonly tsaKey: string;
}

export const PASSPHRASE = 'correct horse battery staple';

async function openssl(args: readonly string[], cwd: string, env?: Record<string, string>): Promise<void> {
  await run('openssl', [...args], { cwd, env: { ...process.env, ...env } });
}

export async function makeTestPki(dir: string, keyType: 'rsa' | 'ec' = 'rsa'): Promise<TestPki> {
  await mkdir(dir, { recursive: true });
  const keyArgs = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  await writeFile(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  await writeFile(join(dir, 'signer.ext'), 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  await writeFile(join(dir, 'tsa.ext'), 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  for (const [name, cn] of [['ca', 'tlsproof Test Root CA'], ['other-ca', 'Unrelated Test CA']] as const) {
    await openssl(['req', '-x509', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/O=tlsproof tests/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  }
  for (const [name, cn] of [['signer', 'Example Health Compliance'], ['tsa', 'tlsproof Test TSA']] as const) {
    await openssl(['req', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=Example Health/CN=${cn}`], dir);
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
  }
  const [key, cert, ca] = await Promise.all(['signer.key', 'signer.pem', 'ca.pem'].map((f) => readFile(join(dir, f), 'utf8')));
  await writeFile(join(dir, 'signer-bundle.pem'), `${key}${cert}${ca}`);
  await openssl(['pkey', '-in', 'signer.key', '-aes256', '-passout', 'env:PASS', '-out', 'signer-enc.key'], dir, { PASS: PASSPHRASE });
  await writeFile(join(dir, 'signer-enc-bundle.pem'), `${await readFile(join(dir, 'signer-enc.key'), 'utf8')}${cert}${ca}`);
  return {
    dir, signerPem: join(dir, 'signer-bundle.pem'), encryptedSignerPem: join(dir, 'signer-enc-bundle.pem'),
    caCert: join(dir, 'ca.pem'), otherCaCert: join(dir, 'other-ca.pem'), tsaCert: join(dir, 'tsa.pem'), tsaKey: join(dir, 'tsa.key'),
  };
}
