/**
 * Where a fact came from. Every normalised fact carries one, so a finding can cite the exact
 * file, line and raw text an auditor can go back to.
 */
import { z } from 'zod';

export const SourceKindSchema = z.enum(['testssl-csv', 'domain-list-csv', 'probe']);
export type SourceKind = z.infer<typeof SourceKindSchema>;

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
}

export function fact<T>(value: T, source: SourceRef): Fact<T> {
  return { value, source };
}
