/**
 * The model's own prose: what a period may be. Every other refusal belongs to the layer that reads
 * the input (its messages module); the model only says which periods and months it understands.
 */

const ACCEPTED = 'Use a quarter (2026-Q3), a half (2026-H2), a month (2026-09), a year (2026), a fiscal year or part of one (FY2027, FY2027-Q1, FY2027-H2) or a range of dates (2026-07-01..2026-09-30, start not after end).';

export const PERIOD = {
  fiscalStart: (month: unknown) =>
    `The fiscal year start month must be a whole number from 1 (January) to 12 (December), not ${String(month)}.`,
  notUnderstood: (input: string) => `Period "${input}" is not understood. ${ACCEPTED}`,
} as const;
