/**
 * Runs the CLI in-process (main() with captured output) and records the history fixture sequence
 * through `tlsproof report`, as a user would, one report run per quarter's scan.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.js';
import { ROOT, SEQUENCE } from '../../history/support.js';

export interface CliResult { code: number; stdout: string; stderr: string }

export async function cli(args: string[], opts: { cwd?: string; now?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, cwd: opts.cwd ?? ROOT, env: {},
    now: () => new Date(opts.now ?? '2027-06-01T12:00:00Z'),
  });
  return { code, stdout, stderr };
}

export const tempDir = () => mkdtemp(join(tmpdir(), 'tlsproof-cli-history-'));

/** The `tlsproof report` arguments of fixture run `i`. */
export function reportArgs(i: number, store: string, out: string): string[] {
  const run = SEQUENCE[i]!;
  const generatedAt = new Date(new Date(run.observedAt).getTime() + 3_600_000).toISOString();
  return ['report', ...run.inputs, '--period', run.period, '--observed-at', run.observedAt, '--generated-at', generatedAt,
    '--org', 'Example Health', '--format', 'json', '--out', out, '--store', store, '--quiet'];
}

/** Records the first `count` fixture runs through the CLI; returns each run's result. */
export async function recordViaCli(store: string, count = SEQUENCE.length): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (let i = 0; i < count; i++) {
    const out = await tempDir();
    const r = await cli(reportArgs(i, store, out), { now: SEQUENCE[i]!.observedAt });
    if (r.code !== 0) throw new Error(`report run ${i} exited ${r.code}: ${r.stderr}`);
    results.push(r);
  }
  return results;
}
