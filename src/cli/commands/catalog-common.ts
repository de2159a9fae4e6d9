/**
 * What the catalogue commands (`frameworks`, `controls`, `explain`) share: loading the mappings
 * with `--mappings DIR` overrides resolved against the working directory, turning user errors into
 * exit code 2 with one line on standard error, and wrapping prose for the terminal.
 */
import { resolve } from 'node:path';
import { ReportError } from '../../errors.js';
import { builtInMappingsDir, loadMappings, type LoadedMappings } from '../../map/load.js';
import type { CliIo } from '../io.js';

export { EXIT_FATAL, EXIT_OK } from '../exit-codes.js';
import { EXIT_FATAL } from '../exit-codes.js';

/** The built-in mappings plus user folders (`--mappings`, repeatable, relative to io.cwd). */
export function loadCatalogue(dirs: readonly string[] | undefined, io: CliIo): LoadedMappings {
  return loadMappings({ builtInDir: builtInMappingsDir(), userDirs: (dirs ?? []).map((d) => resolve(io.cwd, d)) });
}

/**
 * Runs a command body; a ReportError or an argument error becomes `tlsproof: <message>` on
 * standard error and exit code 2, as `tlsproof report` does. Anything else is a bug and propagates.
 */
export async function guarded(io: CliIo, help: string, body: () => number | Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ReportError) {
      io.stderr(`tlsproof: ${err.message}\n`);
      return EXIT_FATAL;
    }
    if (err instanceof TypeError && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`tlsproof: ${err.message}.\n${help}\n`);
      return EXIT_FATAL;
    }
    throw err;
  }
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
