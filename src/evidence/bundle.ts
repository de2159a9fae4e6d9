/**
 * The evidence bundle: one zip holding the reports, every input, the mapping files used, and
 * manifest.json (SHA-256 and size of each file, the tool and its version, the report id), with
 * manifest.json.p7s beside it: a detached CMS signature over the manifest's exact bytes, made
 * with the same key and certificate chain as the PDF.
 *
 * Why CMS rather than a bare Ed25519 signature: the signer is then named by the same X.509
 * certificate as on the PDF and checked against the same CA (--ca-file), the signature can carry
 * an RFC 3161 time-stamp in the standard place, and anyone can check it without tlsproof:
 *   openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile ca.pem
 * A bare Ed25519 key would need its own way of saying whose key it is.
 */
import { zipSync, type Zippable } from 'fflate';
import { createHash } from 'node:crypto';
import { signDetached, type CmsSignOptions } from './cms.js';
import type { SigningCredentials } from './credentials.js';

export const BUNDLE_FORMAT = 'tlsproof-bundle/1';
export const MANIFEST = 'manifest.json';
export const MANIFEST_SIGNATURE = 'manifest.json.p7s';

type BundleRole = 'report' | 'input' | 'mapping' | 'exceptions';

export interface BundleFile {
  /** Path inside the bundle, e.g. reports/tlsproof-Q3-2026.pdf or inputs/scans/mx1.csv. */
  readonly path: string;
  readonly role: BundleRole;
  readonly bytes: Uint8Array;
}

export interface Manifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly tool: string;
  readonly reportId: string;
  readonly generatedAt: string;
  readonly files: readonly { path: string; role: BundleRole; sha256: string; bytes: number }[];
}

interface BundleOptions {
  readonly tool: string;
  readonly reportId: string;
  readonly generatedAt: string;
  readonly signing?: { readonly credentials: SigningCredentials; readonly cms?: CmsSignOptions } | undefined;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Paths inside the zip: forward slashes, no leading slash, no "..", so unpacking cannot escape. */
export function bundlePath(prefix: string, file: string): string {
  const parts = file.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return `${prefix}/${parts.join('/')}`;
}

export async function buildBundle(files: readonly BundleFile[], opts: BundleOptions): Promise<Uint8Array> {
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path) || f.path === MANIFEST || f.path === MANIFEST_SIGNATURE) throw new Error(`two bundle files would share the path ${f.path}`);
    seen.add(f.path);
  }
  const manifest: Manifest = {
    format: BUNDLE_FORMAT, tool: opts.tool, reportId: opts.reportId, generatedAt: opts.generatedAt,
    files: files.map((f) => ({ path: f.path, role: f.role, sha256: sha256(f.bytes), bytes: f.bytes.length })),
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  // A fixed time in the zip headers: the bundle's bytes depend only on its content (and signature).
  const mtime = new Date(opts.generatedAt);
  const entries: Zippable = {};
  entries[MANIFEST] = [manifestBytes, { mtime }];
  if (opts.signing !== undefined) {
    const { key, chain } = opts.signing.credentials;
    entries[MANIFEST_SIGNATURE] = [await signDetached(manifestBytes, key, chain, opts.signing.cms), { mtime }];
  }
  for (const f of files) entries[f.path] = [f.bytes, { mtime }];
  return zipSync(entries, { level: 6 });
}
