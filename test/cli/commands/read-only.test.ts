/**
 * `history`, `diff` and `store export` only read: the store file keeps its bytes and modification
 * time, and they work on a file nobody may write, in a folder nobody may write (immutable, so even
 * root cannot), and on an empty file (set up in memory, not on disk).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, recordViaCli, tempDir } from './history-support.js';
import { lacks } from '../../support/tools.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const fingerprint = (p: string) => ({ sha256: sha(p), mtimeMs: statSync(p).mtimeMs, size: statSync(p).size });

const READERS: string[][] = [
  ['history'], ['history', 'show', '1', '--json'], ['diff', '2027-Q1'], ['diff', '2027-Q1', '--json'], ['store', 'export'],
];

let dir: string;
let store: string;
const frozen: string[] = [];
beforeAll(async () => {
  dir = await tempDir();
  store = join(dir, 'evidence.db');
  await recordViaCli(store, 3);
});
afterAll(() => {
  for (const p of frozen.reverse()) execFileSync('chattr', ['-i', p]);
});

describe('read-only commands', () => {
  it.each(READERS)('%s … leaves the store\'s bytes and modification time as they were', async (...args) => {
    const before = fingerprint(store);
    const r = await cli([...args, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(fingerprint(store)).toEqual(before);
  });

  it.skipIf(lacks('root', 'chattr'))('work on an immutable store file in an immutable folder, with the same output', async () => {
    const ro = join(await tempDir(), 'evidence.db');
    copyFileSync(store, ro);
    const expected = await Promise.all(READERS.map((a) => cli([...a, '--store', store])));
    for (const p of [ro, join(ro, '..')]) {
      execFileSync('chattr', ['+i', p]);
      frozen.push(p);
    }
    for (const [i, args] of READERS.entries()) {
      const r = await cli([...args, '--store', ro]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout.replaceAll(ro, store)).toBe(expected[i]!.stdout);
    }
  });

  it('refuses an empty file (a store truncated to nothing) and leaves it as it was', async () => {
    const empty = join(await tempDir(), 'evidence.db');
    writeFileSync(empty, '');
    const before = fingerprint(empty);
    const r = await cli(['history', '--store', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is an empty file \(0 bytes\).*tlsproof store verify/s);
    expect(fingerprint(empty)).toEqual(before);
    expect(before.size).toBe(0);
  });
});
