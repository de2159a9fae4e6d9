/**
 * Records the fixture sequence (test/fixtures/history/sequence.json) into a store through the real
 * pipeline: ingest → checks → model → recordRun, one report run per entry.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, recordRun, type ReportRequest } from '../../src/pipeline.js';
import type { ReportModel } from '../../src/model/report-model.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SequenceRun {
  readonly name: string;
  readonly period: string;
  readonly observedAt: string;
  readonly inputs: readonly string[];
}

export const SEQUENCE = (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/history/sequence.json'), 'utf8')) as { runs: SequenceRun[] }).runs;

export const tempStorePath = async () => join(await mkdtemp(join(tmpdir(), 'tlsproof-store-')), 'evidence.db');

/** The report request for one fixture run (generated an hour after the scan, report date = scan date). */
export function requestFor(run: SequenceRun, storePath: string | undefined, i: number): ReportRequest {
  const generatedAt = new Date(new Date(run.observedAt).getTime() + 3_600_000).toISOString();
  return {
    inputs: run.inputs, period: run.period, formats: ['json'], outDir: join(tmpdir(), 'unused'), strict: false,
    generatedAt, observedAt: run.observedAt, cwd: ROOT, toolVersion: '0.1.0-test', organisation: 'Example Health',
    ...(storePath ? { store: { path: storePath, command: ['report', ...run.inputs, '--period', run.period], recordedAt: generatedAt, newId: () => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` } } : {}),
  };
}

/** Records the first `count` runs of the sequence; returns each run's model (with history). */
export async function recordSequence(storePath: string, count = SEQUENCE.length): Promise<ReportModel[]> {
  const models: ReportModel[] = [];
  for (const [i, run] of SEQUENCE.slice(0, count).entries()) {
    const req = requestFor(run, storePath, i);
    const built = await buildModel(req);
    models.push((await recordRun(req, built)).model);
  }
  return models;
}
