/**
 * An input problem: something in a file the user gave us that we could not use. Problems are
 * collected, never thrown, so the rest of the input still counts; the report lists them.
 */
import { z } from 'zod';

export const InputProblemSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive().optional(),
  /** 1-based column (CSV field index) when the problem is in one field. */
  column: z.number().int().positive().optional(),
  /** Stable machine code, e.g. `ragged-row`, `unknown-severity`. */
  code: z.string(),
  message: z.string(),
  /** What happened to the data: the row was skipped, or only one value was ignored. */
  effect: z.enum(['row-skipped', 'value-ignored', 'file-skipped']),
});
export type InputProblem = z.infer<typeof InputProblemSchema>;

export function formatProblem(p: InputProblem): string {
  const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${p.message} (${p.effect.replace('-', ' ')})`;
}
