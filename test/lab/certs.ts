/**
 * Lab PKI: a throw-away test root CA and leaf certificates with chosen defects (expired,
 * expiring soon, self-signed, wrong host, weak key, SHA-1, EC), made at run time with the
 * `openssl` CLI into a temp folder. Keys never leave that folder; nothing here is committed.
 *
 * OpenSSL 3.0 (Debian 12) has no `x509 -not_before/-not_after`, so leaves are signed with
 * `openssl ca`, whose `-startdate/-enddate` set exact validity (an expired certificate without
 * faking the clock). Every call goes through execFile with an argument list, never a shell.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export type LeafKind =
  | 'good' | 'expired' | 'expiring' | 'selfsigned' | 'wronghost' | 'weakkey' | 'sha1' | 'ec';

export interface LeafSpec {
  kind: LeafKind;
  /** Name the server answers as; the certificate names it too, except for `wronghost`. */
  hostname: string;
  /** Name put in a `wronghost` certificate instead (default `mail.other.example.test`). */
  otherName?: string;
  /** File stem inside the PKI folder (default `<kind>-<hostname>`). */
  name?: string;
  /** `expiring`: days left until notAfter (default 20). */
  daysLeft?: number;
  /**
   * Exact validity instead of one relative to now (CA-issued kinds only), so scans made on
   * different (simulated) days see the same certificate dates.
   */
  validity?: { notBefore: Date; notAfter: Date };
}

export interface LabCert {
  kind: LeafKind;
  hostname: string;
  /** Names in the certificate's subjectAltName (also its CN's value). */
  names: string[];
  certFile: string;
  keyFile: string;
  /** ISO 8601, read back from the certificate. */
  notBefore: string;
  notAfter: string;
  keyAlgorithm: 'RSA' | 'EC';
  /** RSA modulus bits, or the EC curve size. */
  keyBits: number;
  /** As `openssl x509 -text` prints it, e.g. `sha256WithRSAEncryption`. */
  signatureAlgorithm: string;
  selfSigned: boolean;
  /** Upper-case colon-separated SHA-256 fingerprint. */
  fingerprintSha256: string;
}

export interface LabPki {
  dir: string;
  caCertFile: string;
  caKeyFile: string;
  caSubject: string;
  issue(spec: LeafSpec): Promise<LabCert>;
  /** DH parameters for DHE suites (legacy servers); 1024 bits makes testssl flag a weak group. */
  dhParams(bits: 1024 | 2048): Promise<string>;
  /** Marks a CA-issued leaf revoked in the CA's database (later OCSP responses say `revoked`). */
  revoke(cert: LabCert): Promise<void>;
  /**
   * A DER OCSP response for CA-issued leaves, signed by the CA itself (`openssl ocsp -index`), as a
   * server would staple it: one status per certificate (good, or revoked after `revoke`) from the
   * CA's database, no nonce. Several certificates give one response covering them all.
   */
  ocspResponse(certs: LabCert | readonly LabCert[]): Promise<Buffer>;
}

const DAY_MS = 86_400_000;

/** Config files take names verbatim, so only plain DNS names may reach them. */
const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function assertHostname(name: string): void {
  if (!HOSTNAME_RE.test(name)) throw new Error(`not a plain DNS name: ${JSON.stringify(name)}`);
}

async function openssl(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileP('openssl', args, { cwd, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${e.stderr?.trim() ?? e.message}`);
  }
}

/** `openssl ca` dates: UTCTime (YYMMDDHHMMSSZ) up to 2049, GeneralizedTime after. */
function caDate(d: Date): string {
  const iso = d.toISOString(); // 2026-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return (d.getUTCFullYear() < 2050 ? digits.slice(2) : digits) + 'Z';
}

/** Own minimal configs, so Debian's openssl.cnf defaults (policy_match, usr_cert) play no part. */
function caConfig(dir: string): string {
  return [
    '[ ca ]',
    'default_ca = lab_ca',
    '[ lab_ca ]',
    `dir = ${dir}`,
    'database = $dir/index.txt',
    'new_certs_dir = $dir/issued',
    'certificate = $dir/ca.crt',
    'private_key = $dir/ca.key',
    'serial = $dir/serial',
    'default_md = sha256',
    'default_days = 365',
    'policy = lab_policy',
    'unique_subject = no',
    'email_in_dn = no',
    'copy_extensions = none',
    '[ lab_policy ]',
    'commonName = supplied',
    'organizationName = optional',
    '[ lab_ca_policy ]',
    'organizationName = supplied',
    'commonName = supplied',
    '[ req ]',
    'distinguished_name = req_dn',
    'prompt = no',
    '[ req_dn ]',
    'CN = unused',
    '[ v3_ca ]',
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    '',
  ].join('\n');
}

function leafExtensions(names: readonly string[], selfSigned: boolean, ec: boolean): string {
  // keyEncipherment is for RSA key transport only; an EC key signs.
  const usage = ['digitalSignature', ...(ec ? [] : ['keyEncipherment']), ...(selfSigned ? ['keyCertSign'] : [])];
  return [
    '[ req ]',
    'distinguished_name = req_dn',
    'prompt = no',
    '[ req_dn ]',
    'CN = unused',
    '[ leaf ]',
    'basicConstraints = critical, CA:FALSE',
    // A self-signed leaf signs itself, so it carries keyCertSign like a real one made by `req -x509`.
    `keyUsage = critical, ${usage.join(', ')}`,
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    `subjectAltName = ${names.map((n) => `DNS:${n}`).join(', ')}`,
    // CA-issued leaves name revocation endpoints like public ones do; without any, testssl
    // reports cert_revocation HIGH even for a good certificate. Nothing ever fetches them.
    ...(selfSigned ? [] : [
      'crlDistributionPoints = URI:http://crl.lab.example.test/lab-root.crl',
      'authorityInfoAccess = OCSP;URI:http://ocsp.lab.example.test/, caIssuers;URI:http://crl.lab.example.test/lab-root.crt',
    ]),
    '',
  ].join('\n');
}

async function describeCert(
  certFile: string, keyFile: string, spec: LeafSpec, names: string[], selfSigned: boolean, cwd: string,
): Promise<LabCert> {
  const pem = await openssl(['x509', '-in', certFile, '-outform', 'PEM'], cwd);
  const x = new X509Certificate(pem);
  const details = x.publicKey.asymmetricKeyDetails ?? {};
  const isEc = x.publicKey.asymmetricKeyType === 'ec';
  const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
  const text = await openssl(['x509', '-in', certFile, '-noout', '-text'], cwd);
  const sigAlg = /Signature Algorithm:\s*(\S+)/.exec(text)?.[1] ?? 'unknown';
  return {
    kind: spec.kind,
    hostname: spec.hostname,
    names,
    certFile,
    keyFile,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    keyAlgorithm: isEc ? 'EC' : 'RSA',
    keyBits: isEc ? (curveBits[details.namedCurve ?? ''] ?? 0) : (details.modulusLength ?? 0),
    signatureAlgorithm: sigAlg,
    selfSigned,
    fingerprintSha256: x.fingerprint256,
  };
}

/**
 * Creates (or overwrites) a test root CA in `dir` and returns an issuer for leaf certificates.
 * Leaves are signed one at a time because `openssl ca` keeps its serial and index in files.
 */
export async function makeLabPki(
  dir: string, caName = 'tlsproof Lab Root CA', opts: { caValidity?: { notBefore: Date; notAfter: Date }; reuse?: boolean } = {},
): Promise<LabPki> {
  const root = path.resolve(dir);
  // `reuse`: a PKI this function made earlier in `dir` (an interrupted lab run): its CA and any
  // leaf already issued under the same name are kept, so resumed scans see the same certificates.
  const reuse = opts.reuse === true && existsSync(path.join(root, 'ca.crt'));
  const cnf = path.join(root, 'ca.cnf');
  const caKeyFile = path.join(root, 'ca.key');
  const caCertFile = path.join(root, 'ca.crt');
  const caSubject = `/O=tlsproof lab/CN=${caName.replace(/[/=\\]/g, ' ')}`;
  if (reuse) {
    // The CA, its database and serial are kept as the earlier run left them.
  } else {
    await mkdir(path.join(root, 'issued'), { recursive: true });
    await writeFile(path.join(root, 'index.txt'), '');
    // Random-ish starting serial so two lab runs never hand out identical (issuer, serial) pairs.
    await writeFile(path.join(root, 'serial'), `${Date.now().toString(16).toUpperCase().padStart(16, '0')}\n`);
    await writeFile(cnf, caConfig(root));
    await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', caKeyFile], root);
  }
  if (reuse) {
    // (kept)
  } else if (opts.caValidity) {
    // Exact dates (a scan on a simulated earlier day must find the CA already valid): `openssl ca
    // -selfsign` takes -startdate/-enddate where `req -x509` only takes -days from now.
    const caCsr = path.join(root, 'ca.csr');
    await openssl(['req', '-config', cnf, '-new', '-key', caKeyFile, '-out', caCsr, '-subj', caSubject], root);
    await openssl([
      'ca', '-batch', '-config', cnf, '-selfsign', '-keyfile', caKeyFile, '-in', caCsr, '-out', caCertFile, '-notext',
      '-startdate', caDate(opts.caValidity.notBefore), '-enddate', caDate(opts.caValidity.notAfter),
      '-extensions', 'v3_ca', '-policy', 'lab_ca_policy',
    ], root);
  } else {
    await openssl([
      'req', '-config', cnf, '-new', '-x509', '-key', caKeyFile, '-out', caCertFile,
      '-subj', caSubject, '-days', '3650', '-sha256', '-extensions', 'v3_ca',
    ], root);
  }

  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const dhCache = new Map<number, Promise<string>>();

  async function issue(spec: LeafSpec): Promise<LabCert> {
    assertHostname(spec.hostname);
    const otherName = spec.otherName ?? 'mail.other.example.test';
    assertHostname(otherName);
    const stem = (spec.name ?? `${spec.kind}-${spec.hostname}`).replace(/[^a-z0-9._-]/gi, '_');
    const keyFile = path.join(root, `${stem}.key`);
    const certFile = path.join(root, `${stem}.crt`);
    const csrFile = path.join(root, `${stem}.csr`);
    const extFile = path.join(root, `${stem}.ext.cnf`);
    const names = spec.kind === 'wronghost' ? [otherName] : [spec.hostname];
    const selfSigned = spec.kind === 'selfsigned';
    if (reuse && existsSync(certFile) && existsSync(keyFile)) return describeCert(certFile, keyFile, spec, names, selfSigned, root);
    await writeFile(extFile, leafExtensions(names, selfSigned, spec.kind === 'ec'));

    const keyArgs = spec.kind === 'ec'
      ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
      : ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.kind === 'weakkey' ? 1024 : 2048}`];
    await openssl(['genpkey', ...keyArgs, '-out', keyFile], root);

    const subj = `/CN=${names[0]}`;
    const now = Date.now();
    if (selfSigned && spec.validity) throw new Error('validity applies to CA-issued certificates only');
    if (selfSigned) {
      await openssl([
        'req', '-config', extFile, '-new', '-x509', '-key', keyFile, '-out', certFile, '-subj', subj,
        '-days', '365', '-sha256', '-extensions', 'leaf',
      ], root);
    } else {
      const [start, end] = spec.validity
        ? [spec.validity.notBefore.getTime(), spec.validity.notAfter.getTime()]
        : spec.kind === 'expired'
        ? [now - 400 * DAY_MS, now - 30 * DAY_MS]
        : spec.kind === 'expiring'
          ? [now - 345 * DAY_MS, now + (spec.daysLeft ?? 20) * DAY_MS]
          : [now - DAY_MS, now + 365 * DAY_MS];
      await openssl(['req', '-config', extFile, '-new', '-key', keyFile, '-out', csrFile, '-subj', subj], root);
      await serially(() => openssl([
        'ca', '-batch', '-config', cnf, '-in', csrFile, '-out', certFile, '-notext',
        '-startdate', caDate(new Date(start)), '-enddate', caDate(new Date(end)),
        '-md', spec.kind === 'sha1' ? 'sha1' : 'sha256',
        '-extfile', extFile, '-extensions', 'leaf',
      ], root));
    }
    return describeCert(certFile, keyFile, spec, names, selfSigned, root);
  }

  function dhParams(bits: 1024 | 2048): Promise<string> {
    let p = dhCache.get(bits);
    if (!p) {
      const file = path.join(root, `dh${bits}.pem`);
      p = openssl(['dhparam', '-out', file, String(bits)], root).then(() => file);
      dhCache.set(bits, p);
    }
    return p;
  }

  async function revoke(cert: LabCert): Promise<void> {
    if (cert.selfSigned) throw new Error(`${cert.certFile} is self-signed: the lab CA cannot revoke it`);
    await serially(() => openssl(['ca', '-config', cnf, '-revoke', cert.certFile, '-crl_reason', 'keyCompromise'], root));
  }

  let ocspCount = 0;
  async function ocspResponse(certs: LabCert | readonly LabCert[]): Promise<Buffer> {
    const list: readonly LabCert[] = Array.isArray(certs) ? certs : [certs as LabCert];
    for (const c of list) if (c.selfSigned) throw new Error(`${c.certFile} is self-signed: the lab CA has no status for it`);
    const out = path.join(root, `ocsp-${++ocspCount}.der`);
    await serially(() => openssl([
      'ocsp', '-index', path.join(root, 'index.txt'), '-rsigner', caCertFile, '-rkey', caKeyFile, '-CA', caCertFile,
      '-issuer', caCertFile, ...list.flatMap((c) => ['-cert', c.certFile]), '-no_nonce', '-ndays', '7', '-respout', out,
    ], root));
    return readFile(out);
  }

  return { dir: root, caCertFile, caKeyFile, caSubject, issue, dhParams, revoke, ocspResponse };
}
