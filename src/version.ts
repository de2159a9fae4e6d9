/**
 * tlsproof's own version, read from the package.json above this module (works from src/ under
 * vitest and from dist/src/ when compiled), for reports, results files and --version.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'tlsproof' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch { /* keep walking up */ }
    dir = dirname(dir);
  }
  return (cached = '0.0.0');
}
