/**
 * What the catalogue commands (`frameworks`, `controls`, `explain`) share: loading the mappings
 * with `--mappings DIR` overrides resolved against the working directory, and wrapping prose for
 * the terminal.
 */
import { resolve } from 'node:path';
import { builtInMappingsDir, loadMappings, type LoadedMappings } from '../../map/load.js';
import type { CliIo } from '../io.js';

/** The built-in mappings plus user folders (`--mappings`, repeatable, relative to io.cwd). */
export function loadCatalogue(dirs: readonly string[] | undefined, io: CliIo): LoadedMappings {
  return loadMappings({ builtInDir: builtInMappingsDir(), userDirs: (dirs ?? []).map((d) => resolve(io.cwd, d)) });
}

/** Pretty JSON with a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Wraps `text` at `width` columns, every line starting with `indent`. */
export function wrap(text: string, indent: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}
