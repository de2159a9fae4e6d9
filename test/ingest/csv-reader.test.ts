/**
 * The fast CSV reader (src/ingest/csv.ts, WellFormedCsv) must give exactly what csv-parse gives:
 * the same records, start lines and problems, on any input, however it is chunked. `raw: true`
 * makes readCsv use csv-parse for the whole file, so it is the reference here. Inputs are random
 * but seeded (the failing seed is in the test name), mixing well-formed records with what makes
 * the fast reader hand over: stray and unclosed quotes, text after a closing quote, quoted line
 * breaks (LF, CRLF, CR), empty lines, multi-byte characters split across chunks, invalid UTF-8.
 */
import { describe, expect, it } from 'vitest';
import { readCsv, type CsvReadProblem } from '../../src/ingest/csv.js';

/** mulberry32: a tiny seeded PRNG, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAIN = ['', 'a', 'mail.example.test', '127.0.0.1', '25', 'TLS1.2', 'Ünïcødé ✓', '東京', ' spaced ', 'x'.repeat(300)];
const QUOTED = ['"q"', '"a,b"', '"a;b"', '"he said ""hi"""', '"line\nbreak"', '"crlf\r\nbreak"', '"cr\rbreak"', '""', '"東京,大阪"'];
const BROKEN = ['a"b', '"unclosed', '"closed"x', 'x"', '"a""', '" "" '];

function randomCsv(r: () => number, delimiter: string, withBroken: boolean): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const eol = pick(['\n', '\r\n', '\r']);
  const lines: string[] = [];
  const rows = 1 + Math.floor(r() * 40);
  for (let i = 0; i < rows; i++) {
    if (r() < 0.05) { lines.push(''); continue; }
    const n = 1 + Math.floor(r() * 7);
    const fields: string[] = [];
    for (let j = 0; j < n; j++) {
      const x = r();
      fields.push(withBroken && x < 0.04 ? pick(BROKEN) : x < 0.35 ? pick(QUOTED) : pick(PLAIN));
    }
    lines.push(fields.join(delimiter));
  }
  let text = lines.join(eol) + (r() < 0.7 ? eol : '');
  if (withBroken && r() < 0.1) text += '"never closed,' + 'y'.repeat(50);
  const bytes = Buffer.from(text, 'utf8');
  // Now and then a byte that is not UTF-8.
  if (r() < 0.1 && bytes.length > 4) bytes[Math.floor(r() * bytes.length)] = 0xff;
  return bytes;
}

async function read(bytes: Buffer, delimiter: string, raw: boolean, chunks: number[]) {
  const records: { fields: string[]; line: number }[] = [];
  const problems: CsvReadProblem[] = [];
  async function* source() {
    let at = 0;
    let i = 0;
    while (at < bytes.length) {
      const size = chunks[i++ % chunks.length]!;
      yield bytes.subarray(at, at + size);
      at += size;
    }
  }
  const summary = await readCsv(source(), {
    delimiter, raw, onRecord: (rec) => records.push({ fields: rec.fields, line: rec.line }), onProblem: (p) => problems.push(p),
  });
  return { records, problems, count: summary.records };
}

describe('fast CSV reader ≡ csv-parse', () => {
  const seeds = Array.from({ length: 400 }, (_, i) => 1000 + i);
  it.each(seeds)('seed %i', async (seed) => {
    const r = rng(seed);
    const delimiter = [',', ';', '\t'][seed % 3]!;
    const bytes = randomCsv(r, delimiter, seed % 2 === 0);
    const chunks = Array.from({ length: 5 }, () => 1 + Math.floor(r() * (r() < 0.5 ? 8 : 4096)));
    const fast = await read(bytes, delimiter, false, chunks);
    const reference = await read(bytes, delimiter, true, [bytes.length || 1]);
    expect(fast).toEqual(reference);
  });
});
