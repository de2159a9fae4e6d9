/**
 * The derived testssl CSVs in test/fixtures/history/derived are exactly their real source plus the
 * edits listed in derive.ts (and README.md): re-derived here and compared byte for byte.
 * UPDATE_HISTORY_FIXTURES=1 writes them instead.
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DERIVATIONS, DERIVED_DIR, TESTSSL_DIR, derive, deriveFile } from '../fixtures/history/derive.js';

const rowIds = (text: string) => text.split('\n').filter((l) => l.startsWith('"')).map((l) => l.slice(1, l.indexOf('","')));

describe('history fixtures', () => {
  it('every file in derived/ has a derivation, and there is at least one', () => {
    expect(DERIVATIONS.length).toBeGreaterThan(0);
    expect(readdirSync(DERIVED_DIR).filter((f) => f.endsWith('.csv')).sort()).toEqual(DERIVATIONS.map((d) => d.output).sort());
  });

  it.each(DERIVATIONS.map((d) => [d.output, d] as const))('%s is its real source plus the listed edits', (_name, d) => {
    const expected = deriveFile(d);
    const file = join(DERIVED_DIR, d.output);
    if (process.env['UPDATE_HISTORY_FIXTURES'] === '1') writeFileSync(file, expected);
    const actual = readFileSync(file, 'utf8');
    expect(actual).toBe(expected);
    // Only the listed rows differ: same row ids in the same order, minus removed rows.
    const source = readFileSync(join(TESTSSL_DIR, d.source), 'utf8');
    const removed = new Set(d.edits.filter((e) => e.remove).map((e) => e.id));
    expect(rowIds(actual)).toEqual(rowIds(source).filter((id) => !removed.has(id)));
    const srcLines = source.split('\n').filter((l) => !removed.has(l.slice(1, l.indexOf('","'))));
    const changed = actual.split('\n').map((l, i) => (l === srcLines[i] ? undefined : rowIds(l)[0])).filter((x) => x !== undefined);
    const listed = new Set(d.edits.map((e) => e.id));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((id) => !listed.has(id!))).toEqual([]);
  });

  it('refuses an edit of a row the source does not have', () => {
    expect(() => derive('"id","fqdn/ip"\n"TLS1","x","25","LOW","offered","",""\n', { output: 'x.csv', source: 'x', scannedAt: '', why: '', edits: [{ id: 'TLS1_1', finding: 'not offered' }] }))
      .toThrow(/has no row TLS1_1/);
  });
});
