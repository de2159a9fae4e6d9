/**
 * Glue between a decoded text stream and the JSON splitter for the JSON formats: feeds chunks,
 * parses each captured value, and turns syntax errors into file:line problems (what was read
 * before the error is kept).
 */
import { JsonSplitter, JsonSyntaxError, type JsonPath, type JsonSelection, type JsonValueKind } from './json-stream.js';
import type { IngestContext } from './types.js';
import { oversizedMessage, oversizedString } from './limits.js';
import { PROBLEM } from './messages.js';

interface JsonValue {
  readonly path: JsonPath;
  readonly value: unknown;
  readonly text: string;
  readonly line: number;
}

/**
 * Streams `text` through a splitter with `select`, calling `onValue` with each captured value
 * parsed (values that fail JSON.parse become problems). `prepare` may rewrite a value's text
 * before parsing (e.g. to keep big integers as strings).
 */
export async function readJsonValues(
  text: AsyncIterable<string>,
  ctx: IngestContext,
  select: (path: JsonPath, kind: JsonValueKind) => JsonSelection,
  onValue: (v: JsonValue) => void,
  prepare?: (path: JsonPath, text: string) => string,
): Promise<{ complete: boolean }> {
  const splitter = new JsonSplitter(select, (item) => {
    let value: unknown;
    try {
      value = JSON.parse(prepare ? prepare(item.path, item.text) : item.text);
    } catch (err) {
      ctx.problem({ line: item.line, code: 'malformed-json', effect: 'row-skipped',
        message: PROBLEM.unreadableJsonValue((err as Error).message) });
      return;
    }
    const big = oversizedString(value);
    if (big !== undefined) {
      ctx.problem({ line: item.line, code: 'field-too-long', effect: 'row-skipped', message: oversizedMessage(`the field ${big.path}`, big.length) });
      return;
    }
    onValue({ path: item.path, value, text: item.text, line: item.line });
  });
  try {
    for await (const chunk of text) splitter.write(chunk);
    splitter.end();
    return { complete: true };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const truncated = /ends inside/.test(err.message);
    ctx.problem({ line: err.line, code: truncated ? 'truncated' : 'malformed-json', effect: 'row-skipped',
      message: truncated ? err.message : PROBLEM.malformedJson(err.message) });
    return { complete: false };
  }
}

/** `value` as a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
