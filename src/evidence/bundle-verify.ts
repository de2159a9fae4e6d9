/**
 * Checks an evidence bundle: the manifest's signature (over its exact bytes), then every file
 * against the manifest, naming each file that was altered, is missing, or was added.
 */
import type { X509Certificate } from 'node:crypto';
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { verifyCms, type CmsVerification } from './cms.js';
import { BUNDLE_FORMAT, MANIFEST, MANIFEST_SIGNATURE, type Manifest } from './bundle.js';

interface BundleVerification {
  readonly manifest: Manifest | null;
  readonly signature: CmsVerification | null;
  readonly files: readonly { path: string; status: 'ok' | 'altered' | 'missing' | 'added' }[];
  /** Every fact that does not hold, naming the file; empty when all holds. */
  readonly problems: readonly string[];
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function verifyBundle(zip: Uint8Array, anchors: readonly X509Certificate[]): BundleVerification {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (err) {
    return { manifest: null, signature: null, files: [], problems: [`the bundle is not a readable zip (${(err as Error).message}); it was damaged or altered`] };
  }
  const problems: string[] = [];
  const manifestBytes = entries[MANIFEST];
  if (manifestBytes === undefined) return { manifest: null, signature: null, files: [], problems: [`${MANIFEST} is missing from the bundle`] };
  let signature: CmsVerification | null = null;
  const p7s = entries[MANIFEST_SIGNATURE];
  if (p7s === undefined) {
    problems.push(`${MANIFEST_SIGNATURE} is missing: the manifest is not signed, so its hashes prove nothing against someone who could rewrite it`);
  } else {
    const { eContent: _unused, ...result } = verifyCms(p7s, manifestBytes, { anchors });
    signature = result;
    for (const p of result.problems) {
      problems.push(p.startsWith('the signed content') ? `${MANIFEST}: altered after signing (its digest does not match the signature)` : `${MANIFEST_SIGNATURE}: ${p}`);
    }
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
    if (manifest.format !== BUNDLE_FORMAT || !Array.isArray(manifest.files)) throw new Error(`format is not ${BUNDLE_FORMAT}`);
  } catch (err) {
    return { manifest: null, signature, files: [], problems: [...problems, `${MANIFEST} cannot be read (${(err as Error).message})`] };
  }
  const files: { path: string; status: 'ok' | 'altered' | 'missing' | 'added' }[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const bytes = entries[f.path];
    if (bytes === undefined) {
      files.push({ path: f.path, status: 'missing' });
      problems.push(`${f.path}: listed in the manifest but missing from the bundle`);
    } else if (sha256(bytes) !== f.sha256 || bytes.length !== f.bytes) {
      files.push({ path: f.path, status: 'altered' });
      problems.push(`${f.path}: altered (SHA-256 ${sha256(bytes)}, the manifest says ${f.sha256})`);
    } else {
      files.push({ path: f.path, status: 'ok' });
    }
  }
  for (const path of Object.keys(entries).sort()) {
    if (path === MANIFEST || path === MANIFEST_SIGNATURE || listed.has(path) || path.endsWith('/')) continue;
    files.push({ path, status: 'added' });
    problems.push(`${path}: in the bundle but not in the manifest (added after signing)`);
  }
  return { manifest, signature, files, problems };
}
