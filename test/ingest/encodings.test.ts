/**
 * Encodings and line ends: the same Nessus export saved as UTF-8 with a BOM, as Excel's "Unicode
 * text" (UTF-16 LE with BOM, tab-separated), as UTF-16 BE, and as Windows-1252 with CRLF must give
 * the same observations as the UTF-8 original, non-ASCII text intact. The variants are made from
 * the UTF-8 fixture at test time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import type { Observation } from '../../src/model/observation.js';
import { INGEST_OPTS, normaliseObservation, ROOT } from './support.js';

const SOURCE = join(ROOT, 'test/fixtures/ingest/encodings/nessus-utf8.csv');
let dir = '';
let text = '';
let rows: string[][] = [];

function toCsv(records: string[][], delimiter: string, eol: string): string {
  return records.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(delimiter)).join(eol) + eol;
}

/** Observation facts without file names (the variants live in other files). */
function facts(o: Observation): unknown {
  const n = normaliseObservation(o) as { sources: string[] };
  return { ...n, sources: n.sources.map((s) => s.replace(/^\S+ /, '')) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-enc-'));
  text = await readFile(SOURCE, 'utf8');
  rows = parse(text, { relax_column_count: true }) as string[][];
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('encodings', () => {
  const variants: { name: string; encoding: string; make: () => Buffer }[] = [
    { name: 'utf8-bom.csv', encoding: 'utf-8-bom', make: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) },
    { name: 'excel-unicode-text.csv', encoding: 'utf-16le', make: () => iconv.encode(toCsv(rows, '\t', '\r\n'), 'utf-16le', { addBOM: true }) },
    { name: 'utf16be.csv', encoding: 'utf-16be', make: () => iconv.encode(toCsv(rows, ',', '\n'), 'utf-16be', { addBOM: true }) },
    { name: 'windows-1252-crlf.csv', encoding: 'windows-1252', make: () => iconv.encode(toCsv(rows, ';', '\r\n'), 'windows-1252') },
  ];

  for (const v of variants) {
    it(`reads ${v.name} (${v.encoding}) like the UTF-8 original`, async () => {
      const file = join(dir, v.name);
      await writeFile(file, v.make());
      const [original, variant] = await Promise.all([ingest([SOURCE], INGEST_OPTS), ingest([file], INGEST_OPTS)]);
      expect(variant.problems).toEqual([]);
      expect(variant.files[0]).toMatchObject({ kind: 'nessus-csv', encoding: v.encoding, records: 3 });
      expect(variant.observations.map(facts)).toEqual(original.observations.map(facts));
      const cert = variant.observations[0]!.certificates[0]!;
      expect(cert.commonName?.value).toBe('courrier.société-générale.example');
      expect(cert.issuer?.value).toBe('C=FR, O=Autorité de Certification Exemple, CN=AC Serveurs 2026 – €');
    });
  }

  it('reports bytes that are not UTF-8 after the part the encoding was decided on', async () => {
    // 70 KB of valid UTF-8 rows, then a Windows-1252 "é": decoded as U+FFFD and reported once.
    const filler = Array.from({ length: 400 }, (_, i) => `"11219","","","None","10.20.0.70","tcp","${1000 + i}","Nessus SYN scanner","","${'x'.repeat(150)}","","","Port ${1000 + i}/tcp was found to be open"`).join('\n');
    const body = Buffer.concat([
      Buffer.from(`${text.trimEnd()}\n${filler}\n`, 'utf8'),
      Buffer.from('"10287","","","None","10.20.0.70","tcp","0","Traceroute Information","","R', 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from('sum','latin1'),
      Buffer.from('","","","For your information, here is the traceroute"\n', 'latin1'),
    ]);
    const file = join(dir, 'late-latin1.csv');
    await writeFile(file, body);
    const out = await ingest([file], INGEST_OPTS);
    expect(out.files[0]?.encoding).toBe('utf-8');
    expect(out.problems.map((p) => `${p.code}:${p.effect}`)).toEqual(['invalid-utf8:value-ignored']);
    expect(out.problems[0]!.message).toMatch(/Windows-1252/);
    expect(out.observations[0]!.protocols['TLSv1.0']?.value).toBe(true);
  });
});
