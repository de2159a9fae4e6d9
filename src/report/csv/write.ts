/**
 * CSV text as RFC 4180 has it (CRLF line ends; a field in double quotes when it holds a comma,
 * quote, CR or LF; quotes doubled), safe to open in a spreadsheet: a text cell that starts with
 * = + - @ tab or CR would be read as a formula (CSV injection), so it gets a leading apostrophe,
 * which spreadsheets show as text and do not display. Numbers we write ourselves are left as
 * numbers. Scan data (certificate subjects, hostnames, messages) reaches these cells, so every
 * text cell goes through `cell`.
 */
export type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A UTF-8 byte order mark first: Excel otherwise reads UTF-8 CSV as the local code page. */
export function csvBytes(header: readonly string[], rows: readonly (readonly Cell[])[]): Uint8Array {
  const lines = [header.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))];
  return new TextEncoder().encode(`\ufeff${lines.join('\r\n')}\r\n`);
}
