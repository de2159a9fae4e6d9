/**
 * Finds the bundled TTF fonts. The package root is found by walking up from this module to the
 * first folder holding package.json, so the same code works from src/ (vitest, tsx) and from
 * dist/src/ (compiled), and from an installed package.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../../package-root.js';
import { ReportError } from '../../errors.js';
import { REPORT } from '../messages.js';
import { FONT_FILES, type FontKey } from './layout.js';

function packageRoot(): string {
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  if (root === undefined) {
    throw new ReportError('template-error', { renderer: 'pdf', from: fileURLToPath(import.meta.url) },
      REPORT.noPackageRoot());
  }
  return root.dir;
}

/** Absolute paths of the three fonts; throws a ReportError naming the missing file. */
export function fontPaths(): Readonly<Record<FontKey, string>> {
  const dir = join(packageRoot(), 'assets', 'fonts');
  const resolve = (key: FontKey): string => {
    const path = join(dir, FONT_FILES[key]);
    if (!existsSync(path)) {
      throw new ReportError('template-error', { renderer: 'pdf', path },
        REPORT.fontMissing(path));
    }
    return path;
  };
  return { regular: resolve('regular'), bold: resolve('bold'), mono: resolve('mono') };
}
