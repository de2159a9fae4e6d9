/**
 * The source fact tables (model/fact-coverage.ts) against the readers' real output: a reader never
 * states a fact its table lacks (or the report would call a check "not measured" while the file
 * measured it), and every fact a table lists is stated from at least one real file (or the table
 * would promise a verdict the reader never gives).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_FACTS, measurableBy } from '../../src/model/fact-coverage.js';
import type { FactPath } from '../../src/model/observation.js';
import type { SourceKind } from '../../src/model/source.js';
import { loadCorpus, measuredFacts, type CorpusEntry } from './fact-corpus.js';

/** Source kinds whose corpus is the format fixtures (the probe's is the lab, test/lab/cross-source). */
const READERS: readonly SourceKind[] = ['testssl-csv', 'testssl-json', 'nessus-csv', 'greenbone-csv', 'nmap-xml', 'sslyze-json'];

let corpus: CorpusEntry[] = [];

describe('source fact tables', () => {
  beforeAll(async () => {
    corpus = await loadCorpus();
  }, 120_000);

  it('reads a corpus from every reader', () => {
    for (const kind of READERS) expect(corpus.filter((e) => e.kind === kind).length, kind).toBeGreaterThan(0);
  });

  it('no reader states a fact its table does not list', () => {
    const extra: string[] = [];
    for (const { kind, file, obs } of corpus) {
      const table = new Set<FactPath>(SOURCE_FACTS[kind]);
      for (const f of measuredFacts(obs)) if (!table.has(f)) extra.push(`${kind} ${file} ${obs.endpoint.host}:${obs.endpoint.port}: ${f}`);
    }
    expect([...new Set(extra)]).toEqual([]);
  });

  it.each(READERS)('every fact the %s table lists is stated from a real file', (kind) => {
    const seen = new Set<FactPath>();
    for (const e of corpus) if (e.kind === kind) for (const f of measuredFacts(e.obs)) seen.add(f);
    expect(SOURCE_FACTS[kind].filter((f) => !seen.has(f))).toEqual([]);
  });

  it('derived facts follow from measured ones', () => {
    expect(measurableBy('nmap-xml').has('vulnerabilities.beast')).toBe(true);
    expect(measurableBy('nmap-xml').has('vulnerabilities.heartbleed')).toBe(false);
    expect(measurableBy('probe').has('vulnerabilities.sweet32')).toBe(true);
    expect(measurableBy('probe').has('vulnerabilities.client-renegotiation')).toBe(false);
  });
});
