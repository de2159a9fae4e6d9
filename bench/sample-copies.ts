/**
 * A larger organisation made from the shipped sample: the seven endpoints of samples/2026-Q3 and
 * the five rows of samples/domains.csv, repeated for `copies` business units. Copy 1 is the
 * sample itself; copy N renames every sample domain `x.example.test` to `x-N.example.test` (hosts,
 * certificate names and the domain list alike), moves the addresses from 127.0.77.x to
 * 127.0.(76+N).x and numbers the tickets from SEC-N01. Everything else is the scanner's own output,
 * so three copies give the 21-endpoint report whose page count `npm run bench` prints.
 * Deterministic: same input, same files.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const DOMAIN = /\b(good|legacy|expiring|wronghost|other|portal)\.example\.test\b/g;

function rename(text: string, copy: number): string {
  if (copy === 1) return text;
  return text
    .replace(DOMAIN, (_m, d: string) => `${d}-${copy}.example.test`)
    .replace(/127\.0\.77\./g, `127.0.${76 + copy}.`);
}

/** Writes `<dir>/scans/*.json` and `<dir>/domains.csv`; returns their paths. */
export async function writeSampleCopies(sampleRoot: string, dir: string, copies: number): Promise<{ scans: string; domains: string }> {
  const scans = join(dir, 'scans');
  await mkdir(scans, { recursive: true });
  const files = (await readdir(join(sampleRoot, '2026-Q3'))).filter((f) => f.endsWith('.json')).sort();
  const [header, ...rows] = (await readFile(join(sampleRoot, 'domains.csv'), 'utf8')).trimEnd().split('\n');
  const domainRows: string[] = [header ?? ''];
  for (let copy = 1; copy <= copies; copy++) {
    for (const f of files) {
      const text = await readFile(join(sampleRoot, '2026-Q3', f), 'utf8');
      await writeFile(join(scans, copy === 1 ? f : f.replace(/\.json$/, `-${copy}.json`)), rename(text, copy));
    }
    for (const row of rows) domainRows.push(rename(row, copy).replace(/SEC-1(\d\d)/, `SEC-${copy}$1`));
  }
  const domains = join(dir, 'domains.csv');
  await writeFile(domains, `${domainRows.join('\n')}\n`);
  return { scans, domains };
}
