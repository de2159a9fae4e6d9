/**
 * The store's canonical JSON (what content and model hashes are computed over) and slim observations.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, slimObservation } from '../../src/store/codec.js';

/** The reference: JSON.stringify of the value rebuilt with keys inserted in sorted order. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}

describe('canonicalJson', () => {
  it.each([
    ['nested objects', { b: 1, a: { d: [3, { z: null, y: 'x' }], c: true } }],
    ['index-like keys, which JS orders first', { b: 1, 10: 'x', 9: 'y', a: 2, '01': 3, 4294967295: 'big' }],
    ['undefined and functions', { a: undefined, b: [undefined, () => 1], c: () => 2 }],
    ['non-finite numbers, -0, exponents and dates', { n: NaN, i: -Infinity, z: -0, e: 1e21, d: new Date('2026-01-02T03:04:05Z') }],
    ['strings needing escapes', { 'ü"\\\n': 'ü"\\\n\u2028', '': '' }],
    ['top-level primitives', 'x'],
  ])('matches the sorted-insert JSON.stringify for %s', (_name, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('does not depend on key order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

describe('slimObservation', () => {
  it('cuts every source to file and line and lists the files of all records', () => {
    const src = (line: number) => ({ kind: 'testssl-csv', file: 'a.csv', line, excerpt: `"row ${line}"` });
    const obs = {
      endpoint: { host: 'h', port: 25 }, protocols: { 'TLSv1.0': { value: true, source: src(5) } },
      certificates: [{ index: 1, notAfter: { value: '2027-01-01', source: src(40) }, chain: { value: [{ sources: ['kept'] }], source: src(41) } }],
      sources: [src(1), src(2), { kind: 'probe', file: 'b.csv', excerpt: 'x' }],
    };
    expect(slimObservation(obs)).toEqual({
      endpoint: { host: 'h', port: 25 }, protocols: { 'TLSv1.0': { value: true, source: { file: 'a.csv', line: 5 } } },
      certificates: [{ index: 1, notAfter: { value: '2027-01-01', source: { file: 'a.csv', line: 40 } }, chain: { value: [{ sources: ['kept'] }], source: { file: 'a.csv', line: 41 } } }],
      sourceFiles: ['a.csv', 'b.csv'],
    });
  });
});
