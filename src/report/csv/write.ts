/**
 * A CSV file as RFC 4180 has it: CRLF line ends, every cell through the one cell rule every
 * tlsproof CSV shares (src/csv-cell.ts: quoting, and formulas neutralised for spreadsheets), and
 * a UTF-8 byte order mark first.
 */
import { csvCell, type CsvValue } from '../../csv-cell.js';

export type Cell = Exclude<CsvValue, undefined>;

/** A UTF-8 byte order mark first: Excel otherwise reads UTF-8 CSV as the local code page. */
export function csvBytes(header: readonly string[], rows: readonly (readonly Cell[])[]): Uint8Array {
  const lines = [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return new TextEncoder().encode(`\ufeff${lines.join('\r\n')}\r\n`);
}
