/**
 * The tlsproof package folder: the first folder at or above `start` whose package.json is
 * tlsproof's. One walk serves every module that needs a shipped file (mappings, templates,
 * fonts, the version), from src/ under vitest, from dist/src/ and from an installed package.
 * Other package.json files on the way (a nested `{"type": "module"}` stub) are walked past.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface PackageRoot {
  readonly dir: string;
  readonly version: string;
}

export function findPackageRoot(start: string): PackageRoot | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'tlsproof') return { dir, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
    } catch { /* no package.json here, or not JSON: keep walking up */ }
    if (dirname(dir) === dir) return undefined;
  }
}
