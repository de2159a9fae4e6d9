/**
 * YAML data files read the way a user can fix them: bounded size and aliases, and every refusal as
 * `file:line:column: path: what was found; what is allowed` — a syntax error, an alias bomb, or a
 * zod issue placed back on the YAML node it came from. Shared by every loader of YAML data
 * (mapping files, exceptions); callers add their own readings of an issue through `explain`.
 */
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { z } from 'zod';
import { ReportError, type ErrorCode } from './errors.js';
import { YAML } from './messages.js';
import { FileRefusedError, readBoundedSync } from './fs-guard.js';
import { toJsBounded, YamlAliasLimitError } from './yaml-bounded.js';

/** A parsed YAML file: its plain data, and a way to turn a path inside it into `file:line:column`. */
export interface YamlFile {
  readonly file: string;
  readonly data: unknown;
  /** Line and column of the node at `path` (or of the nearest parent that exists; of `key` inside it if given). */
  position(path: readonly PropertyKey[], key?: string): Position | undefined;
  /** `file:line:column` of `position(path, key)`, or just `file`. */
  at(path: readonly PropertyKey[], key?: string): string;
}

interface Position {
  line: number;
  column: number;
}

interface ReadYamlOptions {
  /** What the file is, for the size-cap message ("mapping file", "exceptions file"). */
  readonly option: string;
  readonly maxBytes: number;
  /** The code of the ReportError for an unreadable file, bad YAML or an alias bomb. */
  readonly code: ErrorCode;
}

/** Reads and parses a YAML file (bounded size, bounded aliases); every refusal names file:line:column. */
export function readYamlDocument(file: string, opts: ReadYamlOptions): YamlFile {
  let text: string;
  try {
    text = readBoundedSync(file, { option: opts.option, maxBytes: opts.maxBytes }).toString('utf8');
  } catch (err) {
    if (err instanceof FileRefusedError) throw new ReportError(opts.code, { file, reason: err.reason }, err.message, { cause: err });
    throw new ReportError(opts.code, { file }, YAML.unreadable(file, err instanceof Error ? err.message : String(err)), { cause: err });
  }
  return parseYamlDocument(file, text, opts.code);
}

/** Parses YAML text already in hand (a file's content kept in the evidence store), named `file` in messages. */
export function parseYamlDocument(file: string, text: string, code: ErrorCode): YamlFile {
  const opts = { code };
  const lineCounter = new LineCounter();
  // Duplicate keys are a YAML error (uniqueKeys defaults to true), so they surface here with a position.
  const doc = parseDocument(text, { lineCounter });
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    const pos = syntaxError.linePos?.[0];
    const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
    const message = syntaxError.message.split('\n')[0] ?? syntaxError.message;
    throw new ReportError(opts.code, { file, line: pos?.line, column: pos?.col },
      YAML.notYaml(where, message), { cause: syntaxError });
  }
  let data: unknown;
  try {
    data = toJsBounded(doc, lineCounter);
  } catch (err) {
    if (!(err instanceof YamlAliasLimitError)) throw err;
    const where = err.line === undefined ? file : `${file}:${err.line}:${err.column}`;
    throw new ReportError(opts.code, { file, line: err.line, column: err.column }, YAML.limit(where, err.message), { cause: err });
  }
  const position = (path: readonly PropertyKey[], key?: string): Position | undefined => locate(doc, lineCounter, path, key);
  return {
    file,
    data,
    position,
    at(path, key) {
      const pos = position(path, key);
      return pos === undefined ? file : `${file}:${pos.line}:${pos.column}`;
    },
  };
}

function locate(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], key?: string): Position | undefined {
  // A missing key has no node of its own, so fall back to the nearest parent that exists.
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (!isNode(node)) continue;
    let offset = node.range?.[0];
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      const keyOffset = pair !== undefined && isNode(pair.key) ? pair.key.range?.[0] : undefined;
      if (keyOffset !== undefined) offset = keyOffset;
    }
    if (offset === undefined) continue;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  }
  return undefined;
}

/** A caller's own reading of one issue: a different code and wording, or a hint added to ours. */
export interface IssueExplanation {
  readonly code?: ErrorCode;
  readonly allowed?: readonly string[];
  readonly detail?: string;
  /** Appended to the generic detail. */
  readonly suffix?: string;
}

interface ValidateYamlOptions {
  /** The ReportError code (an explanation may override it for the first issue). */
  readonly code: ErrorCode;
  /** How many issues the message lists (the error's data carries all). */
  readonly maxListed?: number;
  /** Issues the schema cannot raise (e.g. ids checked against a registry). */
  readonly extraIssues?: (root: z.ZodType, data: unknown) => z.core.$ZodIssue[];
  readonly explain?: (issue: z.core.$ZodIssue, root: z.ZodType) => IssueExplanation | undefined;
}

/**
 * Validates parsed YAML against a schema. Every issue becomes one line
 * `file:line:column: path: what was found; what is allowed`, in file order, in one ReportError.
 */
export function validateYaml<S extends z.ZodType>(yaml: YamlFile, schema: S, opts: ValidateYamlOptions): z.output<S> {
  const result = schema.safeParse(yaml.data);
  const issues = [...(result.success ? [] : result.error.issues), ...(opts.extraIssues?.(schema, yaml.data) ?? [])];
  if (result.success && issues.length === 0) return result.data;

  // zod reports unknown keys after the fields of the same object; list problems in file order instead.
  const described = issues.map((issue) => describeIssue(yaml, schema, issue, opts)).sort(compareIssues);
  const first = described[0];
  const max = opts.maxListed ?? 10;
  const lines = described.slice(0, max).map((d) => d.text);
  if (described.length > max) lines.push(YAML.moreIssues(described.length - max, yaml.file));
  throw new ReportError(first?.code ?? opts.code, {
    file: yaml.file,
    path: first?.path,
    found: first?.found,
    allowed: first?.allowed,
    issues: described.map(({ path, found, allowed, detail }) => ({ path, found, allowed, detail })),
  }, lines.join('\n'));
}

interface DescribedIssue {
  path: string;
  found: string;
  allowed: readonly string[];
  detail: string;
  code: ErrorCode;
  position: Position | undefined;
  /** `file:line:column: path: detail` */
  text: string;
}

function compareIssues(a: DescribedIssue, b: DescribedIssue): number {
  const line = (a.position?.line ?? 0) - (b.position?.line ?? 0);
  return line !== 0 ? line : (a.position?.column ?? 0) - (b.position?.column ?? 0);
}

function describeIssue(yaml: YamlFile, root: z.ZodType, issue: z.core.$ZodIssue, opts: ValidateYamlOptions): DescribedIssue {
  const path = formatPath(issue.path);
  const value = valueAt(yaml.data, issue.path);
  const found = formatValue(value);
  let allowed: readonly string[] = [];
  let detail: string;
  let key: string | undefined;

  switch (issue.code) {
    case 'unrecognized_keys': {
      allowed = keysOf(schemaAt(root, issue.path));
      key = issue.keys[0];
      detail = YAML.unknownKeys(issue.keys, describeKeys(schemaAt(root, issue.path)));
      break;
    }
    case 'invalid_value': {
      allowed = issue.values.map((v) => String(v));
      const last = issue.path.at(-1);
      // A required enum key that is left out arrives here, not as a missing key.
      detail = value === undefined && typeof last === 'string'
        ? YAML.missingEnumKey(last, allowed)
        : YAML.notAllowed(found, allowed);
      break;
    }
    case 'invalid_type': {
      const parentPath = issue.path.slice(0, -1);
      const last = issue.path.at(-1);
      if (value === undefined && typeof last === 'string') {
        const parent = schemaAt(root, parentPath);
        allowed = keysOf(parent);
        detail = YAML.missingKey(last, issue.expected, formatPath(parentPath), describeKeys(parent));
      } else {
        allowed = [issue.expected];
        const here = schemaAt(root, issue.path);
        const hint = issue.expected === 'string' && typeof value === 'number' ? YAML.quoteIt(value)
          : here instanceof z.ZodObject ? YAML.keysHint(describeKeys(here)) : '';
        detail = YAML.wrongType(issue.expected, found, hint);
      }
      break;
    }
    default:
      detail = YAML.other(issue.message, found);
  }
  const own = opts.explain?.(issue, root);
  if (own?.detail !== undefined) detail = own.detail;
  if (own?.suffix !== undefined) detail += own.suffix;
  if (own?.allowed !== undefined) allowed = own.allowed;
  const position = yaml.position(issue.path, key);
  const where = position === undefined ? yaml.file : `${yaml.file}:${position.line}:${position.column}`;
  return { path, found, allowed, detail, code: own?.code ?? opts.code, position, text: YAML.issue(where, path, detail) };
}

/** `controls[3].checks[0].check`; `(top level)` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? YAML.topLevel() : out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const seg of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, seg)) return undefined;
    current = Reflect.get(current, seg);
  }
  return current;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The schema at `path`, with optional/default wrappers removed; undefined where the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(root);
  for (const seg of path) {
    if (current instanceof z.ZodObject && typeof seg === 'string') current = asClassic(current.shape[seg]);
    else if (current instanceof z.ZodArray && typeof seg === 'number') current = asClassic(current.element);
    else if (current instanceof z.ZodRecord && typeof seg === 'string') current = asClassic(current.valueType);
    else return undefined;
    if (current === undefined) return undefined;
    current = unwrap(current);
  }
  return current;
}

function asClassic(schema: unknown): z.ZodType | undefined {
  return schema instanceof z.ZodType ? schema : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
      const inner = asClassic(current.unwrap());
      if (inner === undefined) return current;
      current = inner;
    } else {
      return current;
    }
  }
}

function keysOf(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** `id, title, … (required); obligation, … (optional)` */
function describeKeys(schema: z.ZodType | undefined): string {
  if (!(schema instanceof z.ZodObject)) return YAML.anyKeys();
  const required: string[] = [];
  const optional: string[] = [];
  for (const [name, field] of Object.entries(schema.shape)) {
    // A field that accepts `undefined` may be left out of the file.
    (asClassic(field)?.safeParse(undefined).success === true ? optional : required).push(name);
  }
  const parts = [`${required.join(', ')} (required)`];
  if (optional.length > 0) parts.push(`${optional.join(', ')} (optional)`);
  return parts.join('; ');
}

/** The candidate nearest to `input` by edit distance, if it is close enough to be a typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 4)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

