/**
 * Every real scanner file the project keeps (lab testssl runs, format fixtures, the Nessus,
 * Greenbone, nmap and SSLyze exports), read by the production readers: the corpus the fact tables
 * are held to.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/index.js';
import { DERIVED_FACTS, deriveFacts } from '../../src/model/derive.js';
import { factsPresent, type FactPath, type Observation, type VulnId } from '../../src/model/observation.js';
import type { SourceKind } from '../../src/model/source.js';
import { INGEST_OPTS, ROOT } from '../ingest/support.js';

const DIRS = [
  'test/fixtures/testssl', 'samples/2026-Q3', 'test/fixtures/ingest/testssl-json', 'test/fixtures/ingest/nessus-csv',
  'test/fixtures/ingest/greenbone-csv', 'test/fixtures/ingest/nmap-xml', 'test/fixtures/ingest/sslyze-json',
  'test/fixtures/ingest/mixed', 'test/fixtures/history/real',
];

export interface CorpusEntry {
  readonly kind: SourceKind;
  readonly file: string;
  readonly obs: Observation;
}

export async function loadCorpus(): Promise<CorpusEntry[]> {
  const files = DIRS.flatMap((d) => readdirSync(join(ROOT, d))
    .filter((f) => /\.(csv|json|xml)$/.test(f) && !f.endsWith('.expected.json') && f !== 'MANIFEST.json')
    .map((f) => join(d, f)));
  const out = await ingest(files, INGEST_OPTS);
  return out.observations.map((obs) => ({ kind: obs.sources[0]!.kind, file: obs.sources[0]!.file, obs }));
}

/**
 * The facts a source itself stated: factsPresent without the ones model/derive.ts filled in (a
 * derived fact is the one the derivation reproduces exactly from the other facts).
 */
export function measuredFacts(obs: Observation): FactPath[] {
  const derived = new Set<FactPath>();
  for (const path of Object.keys(DERIVED_FACTS) as FactPath[]) {
    const id = path.slice('vulnerabilities.'.length) as VulnId;
    const f = obs.vulnerabilities[id];
    if (f === undefined) continue;
    const again = deriveFacts({ ...obs, vulnerabilities: { ...obs.vulnerabilities, [id]: undefined } });
    if (JSON.stringify(again.vulnerabilities[id]) === JSON.stringify(f)) derived.add(path);
  }
  return factsPresent(obs).filter((p) => !derived.has(p));
}
