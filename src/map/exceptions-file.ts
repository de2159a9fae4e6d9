/**
 * Loads the exception register (exceptions.yaml): parse the YAML (bounded, through the reader the
 * mapping files use), validate it against ExceptionsFileSchema, then check the rules a schema cannot
 * state: ids are unique, every control named exists in the loaded mappings, and each exception
 * expires after its approval and no later than the maximum duration allows. Every refusal lists
 * all the problems of the file, each as file:line:column, the path inside the file, what is wrong
 * and what to do.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CAPS, FileRefusedError, readBounded } from '../fs-guard.js';
import { ReportError } from '../errors.js';
import { MAP } from './messages.js';
import { closest, formatPath, parseYamlDocument, validateYaml, type YamlFile } from '../yaml-document.js';
import { unknownCheckExplanation, unknownCheckIssues } from './load.js';
import {
  DEFAULT_EXCEPTION_MAX_MONTHS, ExceptionsFileSchema, type ExceptionEntry, type LoadedExceptionEntry,
} from '../model/exceptions.js';

/** The register a report run uses by default: this file next to the report.config.yaml in use. */
export const DEFAULT_EXCEPTIONS_FILE = 'exceptions.yaml';

/** What `templates init` writes; never loaded by default, so no example accepts a real risk. */
export const EXAMPLE_EXCEPTIONS_FILE = 'exceptions.example.yaml';


/** The controls an exception may name: those of the mapping files the run loaded. */
interface KnownFramework {
  readonly framework: { readonly id: string; readonly version: string };
  readonly controls: readonly { readonly id: string }[];
}

export interface ExceptionRules {
  /** Longest approval-to-expiry span in months (report.config.yaml exceptions.maxMonths). */
  readonly maxMonths?: number | undefined;
  readonly frameworks: readonly KnownFramework[];
}

export interface LoadedExceptions {
  /** The path as the run named it (for the report and messages). */
  readonly file: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
  /** The file's content: the evidence store keeps it so a regenerated report uses the register of its time. */
  readonly text: string;
  readonly maxMonths: number;
  readonly entries: LoadedExceptionEntry[];
}

/**
 * The exceptions file a report run uses: `explicit` when given (relative to cwd), else
 * exceptions.yaml next to the config file in use when present, else none. The example file is
 * never chosen by default.
 */
export function exceptionsPathFor(explicit: string | undefined, configFile: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  if (configFile === undefined) return undefined;
  const beside = path.join(path.dirname(path.resolve(cwd, configFile)), DEFAULT_EXCEPTIONS_FILE);
  return existsSync(beside) ? beside : undefined;
}

/** Reads and validates an exceptions file; `name` is how messages and the report call it (default: `file`). */
export async function loadExceptions(file: string, rules: ExceptionRules, name: string = file): Promise<LoadedExceptions> {
  let bytes: Buffer;
  try {
    bytes = await readBounded(file, { option: '--exceptions', maxBytes: CAPS.config });
  } catch (err) {
    if (err instanceof FileRefusedError) throw new ReportError('exceptions-invalid', { file, reason: err.reason }, err.message, { cause: err });
    throw new ReportError('exceptions-invalid', { file },
      MAP.exceptionsUnreadable(name, err instanceof Error ? err.message : String(err)), { cause: err });
  }
  return parseExceptions(bytes.toString('utf8'), name, rules, createHash('sha256').update(bytes).digest('hex'));
}

/** Validates exceptions-file text; `file` names it in messages. */
export function parseExceptions(text: string, file: string, rules: ExceptionRules, sha256?: string): LoadedExceptions {
  const yaml = parseYamlDocument(file, text, 'exceptions-invalid');
  if (yaml.data === null || yaml.data === undefined) {
    throw new ReportError('exceptions-invalid', { file },
      MAP.exceptionsEmpty(file));
  }
  const parsed = validateYaml(yaml, ExceptionsFileSchema, {
    code: 'exceptions-invalid', extraIssues: unknownCheckIssues,
    explain: (issue, root) => unknownCheckExplanation(issue, root, 'exceptions-invalid'),
  });
  const maxMonths = rules.maxMonths ?? DEFAULT_EXCEPTION_MAX_MONTHS;
  const problems: { line: number; column: number; text: string }[] = [];
  const refuse = (at: readonly (string | number)[], message: string): void => {
    const pos = yaml.position(at);
    problems.push({ line: pos?.line ?? 0, column: pos?.column ?? 0, text: MAP.exceptionProblem(yaml.at(at), formatPath(at), message) });
  };

  const firstById = new Map<string, number>();
  parsed.exceptions.forEach((entry, i) => {
    const seen = firstById.get(entry.id);
    if (seen !== undefined) {
      refuse(['exceptions', i, 'id'], MAP.exceptionIdTwice(entry.id, seen, yaml.at(['exceptions', seen, 'id'])));
    } else {
      firstById.set(entry.id, i);
    }
    (entry.match.controls ?? []).forEach((ref, j) => {
      const problem = unknownControl(ref, rules.frameworks);
      if (problem !== undefined) refuse(['exceptions', i, 'match', 'controls', j], problem);
    });
    checkDuration(entry, i, maxMonths, refuse);
  });
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ReportError('exceptions-invalid', { file, issues: problems.map((p) => p.text) },
      MAP.exceptionsRefused(file, problems.map((p) => p.text)));
  }
  const entries = parsed.exceptions.map((entry, i): LoadedExceptionEntry => ({ ...entry, line: lineOf(yaml, i) }));
  return { file, sha256: sha256 ?? createHash('sha256').update(text).digest('hex'), text, maxMonths, entries };
}

function lineOf(yaml: YamlFile, i: number): number {
  return yaml.position(['exceptions', i])?.line ?? 0;
}

function checkDuration(entry: ExceptionEntry, i: number, maxMonths: number,
  refuse: (at: readonly (string | number)[], message: string) => void): void {
  if (entry.expires < entry.approvedOn) {
    refuse(['exceptions', i, 'expires'], MAP.expiresBeforeApproval(entry.expires, entry.approvedOn));
    return;
  }
  const latest = addMonths(entry.approvedOn, maxMonths);
  if (entry.expires > latest) {
    refuse(['exceptions', i, 'expires'], MAP.expiresTooLate(entry.expires, maxMonths, entry.approvedOn, latest));
  }
}

/** yyyy-mm-dd plus whole months; a day the target month lacks becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Splits `framework[@version]:control` (the control id may itself hold colons). */
function parseControlRef(ref: string): { frameworkId: string; version: string | undefined; controlId: string } {
  const colon = ref.indexOf(':');
  const head = ref.slice(0, colon);
  const at = head.indexOf('@');
  return {
    frameworkId: at < 0 ? head : head.slice(0, at),
    version: at < 0 ? undefined : head.slice(at + 1),
    controlId: ref.slice(colon + 1).trim(),
  };
}

/** Why `ref` names no loaded control, or undefined when it does. */
function unknownControl(ref: string, frameworks: readonly KnownFramework[]): string | undefined {
  const { frameworkId, version, controlId } = parseControlRef(ref);
  const ids = [...new Set(frameworks.map((f) => f.framework.id))];
  const versions = frameworks.filter((f) => f.framework.id === frameworkId);
  if (versions.length === 0) {
    const guess = closest(frameworkId, ids);
    return MAP.exceptionUnknownFramework(frameworkId, guess, ids);
  }
  const pool = version === undefined ? versions : versions.filter((f) => f.framework.version === version);
  if (pool.length === 0) {
    return MAP.exceptionNoVersion(frameworkId, version, versions.map((f) => f.framework.version));
  }
  const controls = [...new Set(pool.flatMap((f) => f.controls.map((c) => c.id)))];
  if (controls.includes(controlId)) return undefined;
  const guess = closest(controlId, controls);
  return MAP.exceptionNoControl(frameworkId, controlId, guess);
}
