/**
 * The streaming JSON splitter: the same items and lines whatever the chunking, escapes and
 * nesting handled, skipped values never captured, and truncation or garbage reported with a line.
 */
import { describe, expect, it } from 'vitest';
import { JsonSplitter, JsonSyntaxError, type JsonItem, type JsonPath } from '../../src/ingest/json-stream.js';

const DOC = `{
  "version": "3.0.8",
  "skipMe": {"deep": [1, 2, {"x": "}]\\"{[\\\\"}]},
  "scanResult": [
    {
      "targetHost": "mail.example.test",
      "port": "25",
      "protocols": [
        {"id": "TLS1", "finding": "offered (deprecated) \\u00e9 \\"quoted\\""},
        {"id": "TLS1_2", "finding": "offered", "path": "C:\\\\dir\\\\"}
      ]
    }
  ],
  "scanTime": 13
}
`;

function select(path: JsonPath, kind: string) {
  if (path.length === 0) return 'descend' as const;
  if (path.length === 1) return path[0] === 'scanResult' ? 'descend' as const : kind === 'scalar' ? 'capture' as const : 'skip' as const;
  if (path.length === 2) return 'descend' as const;
  if (path.length === 3) return kind === 'array' ? 'descend' as const : 'capture' as const;
  return 'capture' as const;
}

function split(text: string, chunk: number): JsonItem[] {
  const items: JsonItem[] = [];
  const s = new JsonSplitter(select, (i) => items.push(i));
  for (let i = 0; i < text.length; i += chunk) s.write(text.slice(i, i + chunk));
  s.end();
  return items;
}

describe('JsonSplitter', () => {
  it('captures the selected values with their lines, skipping the rest', () => {
    const items = split(DOC, DOC.length);
    expect(items.map((i) => [i.path.join('/'), i.line, JSON.parse(i.text)])).toEqual([
      ['version', 2, '3.0.8'],
      ['scanResult/0/targetHost', 6, 'mail.example.test'],
      ['scanResult/0/port', 7, '25'],
      ['scanResult/0/protocols/0', 9, { id: 'TLS1', finding: 'offered (deprecated) é "quoted"' }],
      ['scanResult/0/protocols/1', 10, { id: 'TLS1_2', finding: 'offered', path: 'C:\\dir\\' }],
      ['scanTime', 14, 13],
    ]);
  });

  it('gives the same result for every chunk size, down to one character', () => {
    const whole = split(DOC, DOC.length);
    for (const size of [1, 2, 3, 7, 16, 64]) expect(split(DOC, size), `chunk ${size}`).toEqual(whole);
  });

  it('reports a truncated document with the line the open value starts on', () => {
    const cut = DOC.slice(0, DOC.indexOf('"TLS1_2"') + 3);
    const err = (() => { try { split(cut, 5); return undefined; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(JsonSyntaxError);
    expect((err as JsonSyntaxError).line).toBe(10);
    expect((err as JsonSyntaxError).message).toMatch(/ends inside .* line 10 \(truncated\?\)/);
  });

  it('reports garbage between values with its line', () => {
    const bad = '[\n{"a": 1},\n{"b": 2} oops\n]';
    const s = new JsonSplitter((p) => (p.length === 0 ? 'descend' : 'capture'), () => undefined);
    expect(() => s.write(bad)).toThrow(/line|expected/);
    try { new JsonSplitter((p) => (p.length === 0 ? 'descend' : 'capture'), () => undefined).write(bad); } catch (e) {
      expect((e as JsonSyntaxError).line).toBe(3);
    }
  });

  it('reads a flat array of findings (testssl --jsonfile)', () => {
    const items: JsonItem[] = [];
    const s = new JsonSplitter((p) => (p.length === 0 ? 'descend' : 'capture'), (i) => items.push(i));
    s.write('[\n  {"id": "a"}\n, {"id": "b"}\n]\n');
    s.end();
    expect(items.map((i) => [i.line, i.text])).toEqual([[2, '{"id": "a"}'], [3, '{"id": "b"}']]);
  });
});
