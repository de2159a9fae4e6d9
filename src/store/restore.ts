/**
 * A stored run's inputs written back to disk, so the pipeline can read them as it read them then:
 * `store regenerate` rebuilds the report from them and `exceptions check` re-applies a register to
 * them. Names stay as the run recorded them (inside `work`); an absolute name cannot be recreated
 * there and moves under `_absolute/`. Each file gets its recorded observation time as its
 * modification time, which is what an input without times of its own is dated by.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { MAPPING_INPUT_KIND, type RecordedRequest } from './record.js';

interface StoredInput { readonly file: string; readonly kind: string; readonly observedAt: string; readonly content: Buffer }

interface RestoredInputs {
  /** Scan result files, relative to `work`. */
  readonly files: string[];
  /** The domain list, when the run had one. */
  readonly domains: string | undefined;
  /** Whether some input had an absolute name (its display name changes). */
  readonly moved: boolean;
  /**
   * The run's --mappings folders recreated as work/_mappings/<n> with the files the run read, or
   * the recorded folder paths for runs that kept no mapping files; undefined when not restored.
   */
  readonly mappingsDirs: readonly string[] | undefined;
}

export async function restoreInputs(inputs: readonly StoredInput[], req: Pick<RecordedRequest, 'domains' | 'mappingsDirs'>, work: string,
  opts: { readonly mappings: boolean }): Promise<RestoredInputs> {
  const files: string[] = [];
  let domains: string | undefined;
  let moved = false;
  const mappingsDirs = req.mappingsDirs.map((_, i) => join(work, '_mappings', String(i)));
  if (opts.mappings) for (const dir of mappingsDirs) await mkdir(dir, { recursive: true });
  let mappingsMissing = req.mappingsDirs.length > 0;
  for (const input of inputs) {
    if (input.kind === MAPPING_INPUT_KIND) {
      if (!opts.mappings) continue;
      const i = req.mappingsDirs.findIndex((d) => !relative(d, input.file).startsWith('..') && !isAbsolute(relative(d, input.file)));
      if (i < 0) continue;
      await put(join(mappingsDirs[i]!, relative(req.mappingsDirs[i]!, input.file)), input.content);
      mappingsMissing = false;
      continue;
    }
    const rel = isAbsolute(input.file) ? join('_absolute', input.file) : input.file;
    moved ||= isAbsolute(input.file);
    const abs = join(work, rel);
    await put(abs, input.content);
    const t = new Date(input.observedAt);
    await utimes(abs, t, t);
    if (input.kind === 'domain-list-csv' && req.domains !== null) domains = rel;
    else files.push(rel);
  }
  // Runs recorded before mapping files were kept with the run only have the folders' paths.
  const restoredMappings = !opts.mappings ? undefined : mappingsMissing ? [...req.mappingsDirs] : mappingsDirs;
  return { files, domains, moved, mappingsDirs: restoredMappings };
}

async function put(path: string, content: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
