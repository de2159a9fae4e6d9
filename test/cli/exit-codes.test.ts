/**
 * One exit-code table: the codes src/cli/exit-codes.ts defines are the ones the README's table
 * lists, and no command returns a number literal instead of one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as codes from '../../src/cli/exit-codes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the exit-code table', () => {
  it('the README lists exactly the codes the CLI defines', () => {
    const defined = Object.entries(codes).filter(([k]) => k.startsWith('EXIT_')).map(([, v]) => v as number).sort((a, b) => a - b);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('Exit codes (one table'), readme.indexOf('Outputs are all or nothing'));
    const listed = [...table.matchAll(/^\| `(\d+)` \|/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(listed).toEqual(defined);
  });

  it('no command returns a literal exit code', () => {
    const dir = join(root, 'src/cli');
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)),
      ...readdirSync(join(dir, 'commands')).map((f) => join(dir, 'commands', f))];
    const offenders = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => [f, i + 1, l] as const))
      .filter(([, , l]) => /\breturn\b[^;]*\b\d+\s*;|\?\s*\d+\s*:\s*\d+|process\.exit\(\d+\)/.test(l));
    expect(offenders.map(([f, n, l]) => `${f.slice(root.length)}:${n}: ${l.trim()}`)).toEqual([]);
  });
});
