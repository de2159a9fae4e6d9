/**
 * Reads tlsproof's own scan results back (`tlsproof scan --out DIR` → DIR/scan.jsonl, format
 * tlsproof-scan/v1). Every line is validated; a torn last line (a scan killed mid-write) or a
 * foreign line becomes a problem, never a guess. The latest record per endpoint wins (a resumed
 * scan never writes an endpoint twice, but a file concatenated by hand might).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation } from '../model/observation.js';
import type { InputProblem } from '../model/problem.js';
import { RESULTS_FILE, asObservation, type DomainRecord } from '../scan/results-schema.js';
import { readResultsFile } from '../scan/results.js';

export interface TlsproofResults {
  readonly file: string;
  readonly observations: Observation[];
  readonly domains: DomainRecord[];
  readonly problems: InputProblem[];
  /** True when the file has a footer (the scan ended, possibly interrupted). */
  readonly finished: boolean;
  readonly interrupted: boolean;
}

/** Resolves a results folder to its scan.jsonl; a file path is used as given. */
export async function resultsFilePath(path: string): Promise<string> {
  const info = await stat(path);
  return info.isDirectory() ? join(path, RESULTS_FILE) : path;
}

/** Everything in a results file: observations, discovery records and problems. */
export async function readTlsproofResultsDetailed(path: string): Promise<TlsproofResults> {
  const file = await resultsFilePath(path);
  const state = readResultsFile(file);
  const problems: InputProblem[] = state.badLines.map((b) => ({
    file, line: b.line, code: 'bad-result-line', effect: 'row-skipped' as const, message: `cannot read result record: ${b.problem}`,
  }));
  const header = state.records.find((r) => r.type === 'header');
  if (!header && state.records.length > 0) {
    problems.push({ file, code: 'no-header', effect: 'value-ignored', message: 'the results file has no header record (was it cut at the start?)' });
  }
  const footer = [...state.records].reverse().find((r) => r.type === 'footer');
  return {
    file,
    observations: [...state.endpoints.values()].map((r) => asObservation(r.observation)),
    domains: [...state.domains.values()],
    problems,
    finished: footer !== undefined,
    interrupted: footer?.type === 'footer' ? footer.interrupted : false,
  };
}

/** The Observations of a tlsproof results folder or scan.jsonl file. */
export async function readTlsproofResults(path: string): Promise<Observation[]> {
  return (await readTlsproofResultsDetailed(path)).observations;
}
