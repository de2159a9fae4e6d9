/**
 * Facts and evidence outlive the records they were cut from, so ingesters keep copies of the
 * strings they retain (model/source ownedString). Whether a substring shares memory with its
 * parent is engine behaviour, not a language rule: this checks, on the V8 we run on, that a
 * slice pins its parent and a kept copy does not.
 */
import { getHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fact, ownedString } from '../../src/model/source.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const src = { kind: 'nmap-xml' as const, file: 'f', excerpt: 'e' };
/** What each case keeps of a 40-character slice cut from the end of a 1 MB string. */
const KEEPERS = {
  slice: (s: string): unknown => s,
  ownedString: (s: string): unknown => ownedString(s),
  'fact(string)': (s: string): unknown => fact(s, src),
  'fact(string[])': (s: string): unknown => fact([s], src),
  'fact({ detail })': (s: string): unknown => fact({ detail: s }, src),
};
type Case = keyof typeof KEEPERS;
const PARENTS = 40;

/**
 * For each case, how many of its 40 distinct 1 MB parent strings are still on the heap while
 * what it kept of them is alive: counted by name in a V8 heap snapshot (taken after a full
 * collection), not by heap size, so nothing else the process allocates can blur the answer.
 */
async function parentsAlive(): Promise<Record<Case, number>> {
  const marks = new Map<string, Case>();
  const kept: unknown[] = [];
  for (const [name, keep] of Object.entries(KEEPERS) as [Case, (s: string) => unknown][]) {
    const mark = `parent-of-a-kept-slice-${name}-${Math.random().toString(36).slice(2)}:`;
    marks.set(mark, name);
    // In its own function, so no parent lingers in this frame after its slice was kept.
    const one = (i: number): unknown => keep(`${mark}${String(i).padStart(4, '0')}${'x'.repeat(1_000_000)}TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ${i}`.slice(-40));
    for (let i = 0; i < PARENTS; i++) kept.push(one(i));
  }
  gc();
  let json = '';
  for await (const chunk of getHeapSnapshot()) json += String(chunk);
  const snap = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snap.snapshot.meta.node_fields;
  const [type, name, size] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const counts = Object.fromEntries(Object.keys(KEEPERS).map((k) => [k, 0])) as Record<Case, number>;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    if (!snap.snapshot.meta.node_types[0][snap.nodes[i + type]!]!.includes('string') || snap.nodes[i + size]! < 1_000_000) continue;
    const text = snap.strings[snap.nodes[i + name]!]!;
    for (const [mark, c] of marks) if (text.startsWith(mark)) counts[c]++;
  }
  expect(kept).toHaveLength(PARENTS * marks.size);
  return counts;
}

let alive: Record<Case, number>;
beforeAll(async () => { alive = await parentsAlive(); }, 60_000);

describe('ownedString', () => {
  it('keeps the text exactly, lone surrogates included', () => {
    for (const s of ['', 'short', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ûnicôdé.mail.example.test', '\ud800 lone surrogate and more text', '😀'.repeat(20)]) {
      expect(ownedString(s)).toBe(s);
    }
  });

  it('a sliced string pins its parent (the reason for the copy)', () => {
    expect(alive.slice).toBe(PARENTS);
  });

  it('a copy does not keep its parent alive', () => {
    expect(alive.ownedString).toBe(0);
  });

  it('facts hold copies of string values, arrays of strings and object fields', () => {
    expect(alive['fact(string)']).toBe(0);
    expect(alive['fact(string[])']).toBe(0);
    expect(alive['fact({ detail })']).toBe(0);
  });
});
