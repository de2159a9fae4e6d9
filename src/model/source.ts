/**
 * Where a fact came from. Every normalised fact carries one, so a finding can cite the exact
 * file, line and raw text an auditor can go back to.
 */
import { z } from 'zod';

const SourceKindSchema = z.enum([
  'testssl-csv', 'testssl-json', 'nessus-csv', 'nessus-xml', 'greenbone-csv', 'greenbone-xml', 'nmap-xml', 'qualys-csv', 'qualys-xml', 'sslyze-json', 'domain-list-csv', 'tls-rpt', 'probe',
]);
export type SourceKind = z.infer<typeof SourceKindSchema>;

/**
 * The tool behind a source kind: two kinds from one tool (testssl CSV and JSON) are one opinion,
 * where a later reading replaces an earlier one; different tools are independent opinions, where
 * the worse reading decides (see model/merge.ts).
 */
export const SOURCE_TOOL: Readonly<Record<SourceKind, string>> = {
  'testssl-csv': 'testssl.sh',
  'testssl-json': 'testssl.sh',
  'nessus-csv': 'Nessus',
  'nessus-xml': 'Nessus',
  'greenbone-csv': 'Greenbone',
  'greenbone-xml': 'Greenbone',
  'nmap-xml': 'nmap',
  'qualys-csv': 'Qualys',
  'qualys-xml': 'Qualys',
  'sslyze-json': 'SSLyze',
  'domain-list-csv': 'domain list',
  'tls-rpt': 'TLS-RPT reports',
  probe: 'tlsproof probe',
};

export const SourceRefSchema = z.strictObject({
  kind: SourceKindSchema,
  /** Path as the user gave it (relative paths stay relative, so reports do not leak home folders). */
  file: z.string(),
  /** 1-based line of the record in `file` (first line of a multi-line record). */
  line: z.number().int().positive().optional(),
  /** The raw record, trimmed to a readable length. */
  excerpt: z.string(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** A value plus the record that established it. */
export interface Fact<T> {
  readonly value: T;
  readonly source: SourceRef;
  /**
   * Readings of the same property by other tools that disagree with `value` (set only by
   * mergeObservations). `value` is the worse reading and decides; these are kept so a report can
   * show both sides and cite both records.
   */
  readonly conflicts?: readonly { readonly value: T; readonly source: SourceRef }[];
}

export function fact<T>(value: T, source: SourceRef): Fact<T> {
  return { value: detach(value), source };
}

/**
 * A copy of `s` that keeps no larger string alive. V8 cuts substrings of 13 characters or more
 * as views into their parent (a "sliced string"); shorter ones are copied already. JSON.parse
 * always builds new strings, so a round trip through JSON is a flat copy of the text, exact
 * (lone surrogates included), at about a quarter of the cost of the TextEncoder/TextDecoder round
 * trip it replaces (the copy showed in ingest time). Checked by test/ingest/string-ownership.test.ts.
 */
export function ownedString(s: string): string {
  return s.length <= 12 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * A fact outlives the record it was read from. A string cut from a record (a certificate name
 * out of a 5 kB plugin output, a value out of a 64 kB XML chunk) is, in V8, a view that keeps
 * the whole record alive; over a million-row export that is the whole file. Facts therefore hold
 * copies: of a string value, of the strings in an array value, and of an object value's strings.
 */
function detach<T>(value: T): T {
  if (typeof value === 'string') return ownedString(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => (typeof v === 'string' ? ownedString(v) : v)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? ownedString(v) : v;
    return out as T;
  }
  return value;
}
