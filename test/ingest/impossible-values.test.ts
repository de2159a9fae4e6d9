/**
 * Values that cannot be true (impossible dates, ports outside 1–65535, host names with shell
 * metacharacters) are input problems at file:line naming the value, never silently dropped or
 * rolled over; and a file is recognised by what it says, not by how its bytes are spaced.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/index.js';

const OBSERVED = '2026-10-01T09:00:00Z';
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tlsproof-impossible-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function read(name: string, content: string) {
  await writeFile(join(dir, name), content);
  return ingest([name], { cwd: dir, observedAt: OBSERVED });
}

describe('recognising files by their content', () => {
  it('a tlsproof results file re-saved with spaces between JSON tokens is still tlsproof results', async () => {
    const header = '{ "type" : "header", "format" : "tlsproof-scan/v1", "tool" : "tlsproof 0.1.0", "startedAt" : "2026-10-01T09:00:00Z", "domains" : 0, "options" : { } }';
    const footer = '{ "type" : "footer", "finishedAt" : "2026-10-01T09:05:00Z", "interrupted" : false, "counts" : { } }';
    const out = await read('spaced.jsonl', `${header}\n${footer}\n`);
    expect(out.files[0]!.kind).toBe('tlsproof-jsonl');
    expect(out.problems).toEqual([]);
  });
});
