/**
 * Bounds on single values in scanner exports. No scanner writes a host name, a script output or
 * a certificate field anywhere near these sizes; a value that large is damage or an attack, and
 * carrying it on would multiply its size through every later stage (excerpts, evidence, HTML).
 */
import { FILES } from '../messages.js';
import { PROBLEM } from './messages.js';

/** Longest field (CSV cell, JSON string) a reader passes on, in characters. */
export const MAX_FIELD_CHARS = 1024 * 1024;

/** Longest line of a tlsproof results file (one JSON record), in characters. */
export const MAX_RESULT_LINE_CHARS = 8 * 1024 * 1024;

/** "1 MiB" for messages. */
export function sizeText(chars: number): string {
  return chars % (1024 * 1024) === 0 ? FILES.mebibytes(chars / (1024 * 1024)) : FILES.kibibytes(Math.ceil(chars / 1024));
}

/** The first string in `value` (depth first) longer than `max`, with its JSON path, if any. */
export function oversizedString(value: unknown, max = MAX_FIELD_CHARS): { path: string; length: number } | undefined {
  const walk = (v: unknown, path: string): { path: string; length: number } | undefined => {
    if (typeof v === 'string') return v.length > max ? { path: path || '(the value)', length: v.length } : undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const hit = walk(v[i], `${path}[${i}]`);
        if (hit) return hit;
      }
      return undefined;
    }
    if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k.length > max) return { path: `${path}.(key)`, length: k.length };
        const hit = walk(x, path ? `${path}.${k}` : k);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return walk(value, '');
}

/** The problem message for a field over MAX_FIELD_CHARS. */
export function oversizedMessage(what: string, length: number, max = MAX_FIELD_CHARS): string {
  return PROBLEM.recordTooLong(what, length, sizeText(max));
}

/**
 * XML attributes with any value over MAX_FIELD_CHARS emptied (each reported through `report`):
 * the element is still read, without that value.
 */
export function boundedAttributes(attrs: Record<string, string>, report: (name: string, length: number) => void): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const [k, v] of Object.entries(attrs)) {
    if (v.length <= MAX_FIELD_CHARS) continue;
    report(k, v.length);
    out ??= { ...attrs };
    out[k] = '';
  }
  return out ?? attrs;
}

/** `current + piece`, unless that passes MAX_FIELD_CHARS: then `report` is told and the text is dropped. */
export function boundedText(current: string, piece: string, report: (length: number) => void): string {
  const length = current.length + piece.length;
  if (length <= MAX_FIELD_CHARS) return current + piece;
  report(length);
  return '';
}

/** The input problem for an XML value over MAX_FIELD_CHARS at `line`. */
export function xmlOversized(line: number, what: string, length: number): { line: number; code: string; effect: 'value-ignored'; message: string } {
  return { line, code: 'field-too-long', effect: 'value-ignored',
    message: PROBLEM.valueTooLong(what, length, sizeText(MAX_FIELD_CHARS)) };
}
