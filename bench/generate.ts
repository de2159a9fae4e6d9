/**
 * Makes large testssl-format CSVs for benchmarks by repeating the rows of a real testssl CSV for
 * many generated endpoints (host, address and port changed, everything else as the scanner wrote it).
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parse } from 'csv-parse/sync';

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Writes `endpoints` × (rows of the template) records; returns the number of records written. */
export async function generateTestsslCsv(templatePath: string, outPath: string, endpoints: number): Promise<number> {
  const rows = parse(await readFile(templatePath), { bom: true, relax_column_count: true }) as string[][];
  const [header, ...body] = rows;
  if (!header) throw new Error(`${templatePath} is empty`);
  const out = createWriteStream(outPath);
  out.write(`${header.map(quote).join(',')}\n`);
  let n = 0;
  for (let i = 0; i < endpoints; i++) {
    const host = `mx${i}.bench${Math.floor(i / 100)}.example.test`;
    const ip = `127.${1 + Math.floor(i / 65025)}.${Math.floor(i / 255) % 255}.${(i % 255) + 1}`;
    const lines: string[] = [];
    for (const r of body) {
      const row = [...r];
      row[1] = `${host}/${ip}`;
      lines.push(row.map(quote).join(','));
      n++;
    }
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}
