/**
 * Column lookup for exports whose column set and order vary (Nessus, Greenbone): headers are
 * matched by name, case- and space-insensitively, with aliases; a row is read through the index.
 */
import type { IngestContext } from './types.js';
import { PROBLEM } from './messages.js';

function normaliseColumn(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
}

export class Columns<K extends string> {
  private readonly at = new Map<K, number>();

  constructor(header: readonly string[], aliases: Readonly<Record<K, readonly string[]>>) {
    const names = header.map(normaliseColumn);
    for (const key of Object.keys(aliases) as K[]) {
      for (const alias of aliases[key]) {
        const i = names.indexOf(alias);
        if (i !== -1) {
          this.at.set(key, i);
          break;
        }
      }
    }
  }

  has(key: K): boolean {
    return this.at.has(key);
  }

  /** 1-based column number (for problems), or undefined when the file has no such column. */
  column(key: K): number | undefined {
    const i = this.at.get(key);
    return i === undefined ? undefined : i + 1;
  }

  /** The raw field, or '' when the column is absent. */
  get(fields: readonly string[], key: K): string {
    const i = this.at.get(key);
    return i === undefined ? '' : (fields[i] ?? '');
  }
}

/** Does the header have any of these columns (normalised names)? */
export function hasColumn(header: readonly string[], ...names: string[]): boolean {
  return header.some((h) => names.includes(normaliseColumn(h)));
}

/**
 * The required columns a header lacks, by the label a user sees in the export: each entry is that
 * label, then the (normalised) header names that satisfy it.
 */
export function missingColumnLabels(header: readonly string[], required: readonly (readonly [string, ...string[]])[]): string[] {
  return required.filter(([, ...names]) => !hasColumn(header, ...names)).map(([label]) => label);
}

/**
 * Reports a row whose width differs from the header's. When the row is one field holding another
 * delimiter, the message says so: the usual cause is a file whose rows and header were written with
 * different separators.
 */
export function raggedRow(ctx: IngestContext, fields: readonly string[], width: number, line: number): void {
  const hint = fields.length === 1 && width > 1
    ? [';', ',', '\t'].find((d) => (fields[0] ?? '').includes(d))
    : undefined;
  ctx.problem({
    line, column: Math.min(fields.length, width) + 1, code: 'ragged-row', effect: 'row-skipped',
    message: PROBLEM.raggedRow(fields.length, width, hint),
  });
}
