/**
 * tlsproof's own version, from the package.json above this module, for reports, results files
 * and --version.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from './package-root.js';

let cached: string | undefined;

export function packageVersion(): string {
  return (cached ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)))?.version ?? '0.0.0');
}
