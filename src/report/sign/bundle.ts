/**
 * Gathers what a report run used into an evidence bundle (src/evidence/bundle.ts): the reports
 * it writes, every input file as read, and the mapping files behind the verdicts. An input
 * that changed on disk since it was read is refused: the bundle must hold what the report says.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { buildBundle, bundlePath, type BundleFile } from '../../evidence/bundle.js';
import { ReportError } from '../../errors.js';
import { REPORT } from '../messages.js';
import type { ReportModel } from '../../model/report-model.js';
import type { PdfSigning } from '../types.js';

interface BundleRequest {
  readonly model: ReportModel;
  /** The reports this run writes, by file name, with their bytes. */
  readonly reports: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  /** Input files as ingest read them: path as given, and their SHA-256 then. */
  readonly inputs: readonly { readonly file: string; readonly sha256: string }[];
  /** Mapping files the run loaded (absolute), and the built-in mappings folder to name them from. */
  readonly mappings: readonly string[];
  readonly builtInMappingsDir: string;
  readonly cwd: string;
  readonly signing?: PdfSigning | undefined;
  /** The exceptions file the report applied, as read (or as the store kept it, when regenerating). */
  readonly exceptions?: { readonly file: string; readonly text: string } | undefined;
}

export async function evidenceBundle(req: BundleRequest): Promise<Uint8Array> {
  const files: BundleFile[] = [];
  for (const r of req.reports) files.push({ path: bundlePath('reports', basename(r.name)), role: 'report', bytes: r.bytes });
  for (const input of req.inputs) {
    const bytes = await readFile(resolve(req.cwd, input.file));
    if (createHash('sha256').update(bytes).digest('hex') !== input.sha256) {
      throw new ReportError('bundle-invalid', {}, REPORT.inputChangedForBundle(input.file));
    }
    files.push({ path: bundlePath('inputs', isAbsolute(input.file) ? relative('/', input.file) : input.file), role: 'input', bytes });
  }
  for (const m of [...new Set(req.mappings)]) {
    const rel = relative(req.builtInMappingsDir, m);
    const path = rel.startsWith('..') || isAbsolute(rel) ? bundlePath('mappings/user', relative('/', m)) : bundlePath('mappings/built-in', rel);
    files.push({ path, role: 'mapping', bytes: await readFile(m) });
  }
  if (req.exceptions !== undefined) {
    files.push({ path: bundlePath('exceptions', basename(req.exceptions.file)), role: 'exceptions', bytes: new TextEncoder().encode(req.exceptions.text) });
  }
  return buildBundle(files, {
    tool: `${req.model.tool.name} ${req.model.tool.version}`, reportId: req.model.report.id, generatedAt: req.model.report.generatedAt,
    ...(req.signing !== undefined ? { signing: { credentials: req.signing.credentials, cms: { signingTime: req.signing.signingTime, timestamp: req.signing.timestamp } } } : {}),
  });
}

/** The built-in rule files every run reads besides the framework files. */
export function builtInRuleFiles(dir: string): string[] {
  return [join(dir, 'grading.yaml'), join(dir, 'scope.yaml')];
}
