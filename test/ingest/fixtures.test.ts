/**
 * Fixture pairs, one folder per format: `test/fixtures/ingest/<ingester-id>/<case>.<ext>` and
 * `<case>.expected.json` (the normalised observations, problems and skip counts). Cases are found
 * by listing the folders, so adding a case is adding two files; `vitest -u` writes a missing or
 * changed expectation for review. Every case is read WITHOUT naming its format, so detection is
 * tested too.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest, ingesters, INGESTER_IDS } from '../../src/ingest/index.js';
import { INGEST_OPTS, renderIngest, ROOT } from './support.js';

const FIXTURES = join(ROOT, 'test/fixtures/ingest');
const NOT_INPUT = /\.expected\.json$|^README|^MANIFEST/;

const folders = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory() && (INGESTER_IDS as string[]).includes(d));

describe('ingest fixture pairs', () => {
  it('names every format by its registry key (the one list of format ids)', () => {
    for (const id of INGESTER_IDS) expect(ingesters[id].id).toBe(id);
  });

  it('has a fixture folder with cases for every scanner format', () => {
    // testssl-csv has its own real fixtures (test/fixtures/testssl); tlsproof-jsonl is read back
    // from real scans in test/scan/cli.test.ts.
    for (const id of INGESTER_IDS.filter((i) => i !== 'domain-list-csv' && i !== 'testssl-csv' && i !== 'tlsproof-jsonl')) {
      expect(folders, `test/fixtures/ingest/${id}/`).toContain(id);
    }
  });

  for (const format of folders) {
    const cases = readdirSync(join(FIXTURES, format)).filter((f) => !NOT_INPUT.test(f)).sort();
    describe(format, () => {
      it('has cases', () => {
        expect(cases.length).toBeGreaterThan(0);
      });
      for (const file of cases) {
        it(file, async () => {
          const input = `test/fixtures/ingest/${format}/${file}`;
          const out = await ingest([input], INGEST_OPTS);
          expect(out.files[0]?.kind).toBe(format);
          const stem = file.replace(/\.[^.]+$/, '');
          await expect(renderIngest(out)).toMatchFileSnapshot(join(FIXTURES, format, `${stem}.expected.json`));
        });
      }
    });
  }
});
