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

describe('ports and host entries that cannot be', () => {
  it('testssl CSV: port 0, hex and junk ports are input problems naming the value', async () => {
    const rows = ['"id","fqdn/ip","port","severity","finding","cve","cwe"',
      '"TLS1_2","mx.example.test/192.0.2.1","0","OK","offered","",""',
      '"TLS1_2","mx.example.test/192.0.2.1","0x19","OK","offered","",""',
      '"TLS1_2","mx.example.test/192.0.2.1","25abc","OK","offered","",""',
      '"TLS1_2","mx.example.test/192.0.2.1","25","OK","offered","",""'];
    const out = await read('ports.csv', `${rows.join('\n')}\n`);
    expect(out.problems.map((p) => [p.line, p.code, p.message])).toEqual([
      [2, 'bad-port', 'port "0" is not a number from 1 to 65535'],
      [3, 'bad-port', 'port "0x19" is not a number from 1 to 65535'],
      [4, 'bad-port', 'port "25abc" is not a number from 1 to 65535'],
    ]);
    expect(out.observations.map((o) => o.endpoint.port)).toEqual([25]);
  });

  it('domain list: bad ports and shell metacharacters in the hosts column are problems at file:line:column', async () => {
    const rows = ['domain,owner,hosts',
      'a.example.test,ops,mx.a.example.test:99999',
      'b.example.test,ops,mx.b.example.test:-1 mx2.b.example.test:0',
      'c.example.test,ops,mx.c.example.test:25abc',
      'd.example.test,ops,$(touch /tmp/x)',
      'e.example.test,ops,mx.e.example.test:587 [2001:db8::1]:25 192.0.2.7'];
    const out = await read('domains.csv', `${rows.join('\n')}\n`);
    expect(out.domains.map((d) => d.domain)).toHaveLength(5);
    expect(out.problems.map((p) => [p.line, p.column, p.code, p.effect])).toEqual([
      [2, 3, 'bad-host-entry', 'value-ignored'],
      [3, 3, 'bad-host-entry', 'value-ignored'],
      [3, 3, 'bad-host-entry', 'value-ignored'],
      [4, 3, 'bad-host-entry', 'value-ignored'],
      [5, 3, 'bad-host-entry', 'value-ignored'],
      [5, 3, 'bad-host-entry', 'value-ignored'],
    ]);
    expect(out.problems[0]!.message).toBe('hosts entry "mx.a.example.test:99999" is left out: port "99999" is not a number from 1 to 65535 (write host or host:port, e.g. mx1.example.com:25)');
    expect(out.problems[3]!.message).toContain('port "25abc"');
    expect(out.problems[4]!.message).toContain('"$(touch" is not a host name');
  });
});
