/**
 * Facts and evidence outlive the records they were cut from, so ingesters keep copies of the
 * strings they retain (model/source ownedString). Whether a substring shares memory with its
 * parent is engine behaviour, not a language rule: this checks, on the V8 we run on, that a
 * slice pins its parent and a kept copy does not.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fact, ownedString } from '../../src/model/source.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth (MB) from keeping `keep(slice)` of 40 distinct 1 MB strings. */
function retainedMb(keep: (s: string) => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    const parent = `${String(i).padStart(4, '0')}${'x'.repeat(1_000_000)}TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ${i}`;
    kept.push(keep(parent.slice(-40)));
  }
  gc();
  const mb = (process.memoryUsage().heapUsed - before) / 1e6;
  expect(kept).toHaveLength(40);
  return mb;
}

describe('ownedString', () => {
  it('keeps the text exactly, lone surrogates included', () => {
    for (const s of ['', 'short', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ûnicôdé.mail.example.test', '\ud800 lone surrogate and more text', '😀'.repeat(20)]) {
      expect(ownedString(s)).toBe(s);
    }
  });

  it('a sliced string pins its parent (the reason for the copy)', () => {
    expect(retainedMb((s) => s)).toBeGreaterThan(30);
  });

  it('a copy does not keep its parent alive', () => {
    expect(retainedMb(ownedString)).toBeLessThan(5);
  });

  it('facts hold copies of string values, arrays of strings and object fields', () => {
    const src = { kind: 'nmap-xml' as const, file: 'f', excerpt: 'e' };
    expect(retainedMb((s) => fact(s, src))).toBeLessThan(5);
    expect(retainedMb((s) => fact([s], src))).toBeLessThan(5);
    expect(retainedMb((s) => fact({ detail: s }, src))).toBeLessThan(5);
  });
});
