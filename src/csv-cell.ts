/**
 * One CSV cell, for every CSV tlsproof writes (the report's findings and controls, the scan's
 * summary.csv): RFC 4180 quoting (a cell holding a comma, quote, CR or LF is quoted, quotes
 * doubled) and safe to open in a spreadsheet: a text cell that starts with = + - @ tab or CR would
 * be read as a formula (CSV injection), so it gets a leading apostrophe, which spreadsheets show as
 * text and do not display. Scan data (certificate subjects, hostnames, messages) reaches these
 * cells, so no CSV writer builds a cell any other way. Numbers we write ourselves stay numbers.
 */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
