/**
 * Loads the compliance mapping files: `<dir>/<framework-id>/<version>.yaml` from the built-in
 * `mappings/` folder and from any user folders, plus the built-in `scope.yaml` and
 * `unmapped.yaml`. Everything is validated at load (zod strict schemas, then the rules a schema
 * cannot state: path = id/version, unique control ids, no duplicate files), and every refusal is a
 * ReportError whose message says where (file:line:column and the path inside the file), what was
 * found, and what is allowed.
 *
 * Synchronous fs on purpose: a handful of small files read once at startup.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { CAPS, FileRefusedError, readBoundedSync } from '../fs-guard.js';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { toJsBounded, YamlAliasLimitError } from '../yaml-bounded.js';
import { z } from 'zod';
import { CHECK_IDS } from '../checks/ids.js';
import { findPackageRoot } from '../package-root.js';
import { ReportError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { CheckLinkSchema, ControlSchema, GradingFileSchema, MappingFileSchema, ScopeRulesSchema } from '../model/framework.js';
import type { Control, GradingRule, LoadedFramework, MappingFile, ScopeRules } from '../model/framework.js';

export const UNMAPPED_FORMAT = 'tlsproof-unmapped/v1' as const;

/** `mappings/unmapped.yaml`: checks no shipped framework maps, each with the reason why. */
export const UnmappedFileSchema = z.strictObject({
  schema: z.literal(UNMAPPED_FORMAT),
  checks: z.array(z.strictObject({
    // The same enum instance as in mapping files, so an unknown id here is reported the same way.
    check: CheckLinkSchema.shape.check,
    reason: z.string().min(10),
  })),
});
export type UnmappedCheck = z.infer<typeof UnmappedFileSchema>['checks'][number];

export interface LoadMappingsOptions {
  /** The shipped `mappings/` folder (see builtInMappingsDir); also the only source of scope and unmapped lists. */
  builtInDir: string;
  /**
   * Extra folders laid out like `mappings/`. A user file with the same framework id and version
   * as a built-in replaces it; the same id and version in two user folders is an error.
   */
  userDirs?: readonly string[];
}

export interface LoadedMappings {
  /**
   * Every loaded framework version, sorted by framework id, then oldest to newest version date.
   * Several versions of one id may be loaded (a user folder may add one); src/map/select.ts picks
   * which one a report uses.
   */
  frameworks: LoadedFramework[];
  scope: ScopeRules;
  unmapped: UnmappedCheck[];
  /** Rules that keep grading fair to mail (mappings/grading.yaml). */
  grading: GradingRule[];
}

const SCOPE_FILE = 'scope.yaml';
const UNMAPPED_FILE = 'unmapped.yaml';
const GRADING_FILE = 'grading.yaml';
/** Data files at the top of the built-in folder; anything else there must be a framework folder. */
const TOP_LEVEL_FILES: readonly string[] = [SCOPE_FILE, UNMAPPED_FILE, GRADING_FILE];
/** Holds the generated JSON Schema, not mappings. */
const SCHEMA_FOLDER = 'schema';
/** Most issues a single error message lists; the rest are counted. */
const MAX_LISTED_ISSUES = 10;

/**
 * The package's own `mappings/` folder. Walks up from this module to the folder holding
 * package.json, so it works from `src/map/load.ts` (vitest) and from `dist/src/map/load.js`.
 * `moduleUrl` exists for tests; callers leave it out.
 */
export function builtInMappingsDir(moduleUrl: string = import.meta.url): string {
  const start = dirname(fileURLToPath(moduleUrl));
  const root = findPackageRoot(start);
  if (root === undefined) {
    throw new ReportError('mapping-invalid', { start },
      `Cannot find the built-in mappings: no tlsproof package.json in ${start} or any folder above it.`);
  }
  return join(root.dir, 'mappings');
}

/** Loads, validates and merges every mapping file; throws ReportError on the first bad file. */
export function loadMappings(options: LoadMappingsOptions): LoadedMappings {
  // Grading rules first: mapping files refer to them by id.
  const grading = readGrading(join(options.builtInDir, GRADING_FILE));
  const ruleIds = grading.map((r) => r.id);
  const byKey = new Map<string, LoadedFramework>();
  for (const fw of readMappingDir(options.builtInDir, true, ruleIds)) byKey.set(frameworkKey(fw), fw);
  for (const dir of options.userDirs ?? []) {
    for (const fw of readMappingDir(dir, false, ruleIds)) {
      const key = frameworkKey(fw);
      const existing = byKey.get(key);
      if (existing !== undefined && !existing.builtIn) {
        throw new ReportError('mapping-duplicate', { file: fw.path, other: existing.path, framework: key },
          `${fw.path}: framework "${fw.framework.id}" version "${fw.framework.version}" is already defined by ` +
          `${existing.path}; keep one of the two files (a user file may replace a built-in, not another user file).`);
      }
      // A user file replaces the built-in of the same id and version.
      byKey.set(key, fw);
    }
  }
  const frameworks = [...byKey.values()].sort(compareFrameworks);
  refuseAmbiguousVersions(frameworks);
  let scope = readScope(join(options.builtInDir, SCOPE_FILE), frameworks);
  for (const dir of options.userDirs ?? []) scope = withUserScope(scope, join(dir, SCOPE_FILE), frameworks);
  const unmapped = readUnmapped(join(options.builtInDir, UNMAPPED_FILE));
  return { frameworks, scope, unmapped, grading };
}

/** Two versions of one framework with the same date would make "the newest" a coin toss. */
function refuseAmbiguousVersions(frameworks: readonly LoadedFramework[]): void {
  for (let i = 1; i < frameworks.length; i++) {
    const a = frameworks[i - 1]!;
    const b = frameworks[i]!;
    if (a.framework.id === b.framework.id && a.framework.versionDate === b.framework.versionDate) {
      throw new ReportError('mapping-duplicate', { file: b.path, other: a.path, path: 'framework.versionDate', found: b.framework.versionDate },
        `${b.path}: framework.versionDate: "${b.framework.versionDate}" is also the date of version "${a.framework.version}" ` +
        `(${a.path}); give each version of "${b.framework.id}" its own date so the newest can be told apart.`);
    }
  }
}

function frameworkKey(fw: MappingFile): string {
  return `${fw.framework.id}@${fw.framework.version}`;
}

function compareFrameworks(a: LoadedFramework, b: LoadedFramework): number {
  return compareStrings(a.framework.id, b.framework.id) || compareStrings(a.framework.versionDate, b.framework.versionDate)
    || compareStrings(a.framework.version, b.framework.version);
}

function compareStrings(a: string, b: string): number {
  // Plain code-unit order: the same on every machine, unlike localeCompare.
  return a < b ? -1 : a > b ? 1 : 0;
}

function readMappingDir(dir: string, builtIn: boolean, ruleIds: readonly string[]): LoadedFramework[] {
  if (!isDirectory(dir)) {
    throw new ReportError('mapping-invalid', { dir },
      `Mapping folder ${dir} does not exist or is not a folder; it must hold <framework-id>/<version>.yaml files.`);
  }
  const loaded: LoadedFramework[] = [];
  for (const name of sortedEntries(dir)) {
    const path = join(dir, name);
    if (isDirectory(path)) {
      if (name === SCHEMA_FOLDER || name.startsWith('.')) continue;
      for (const file of sortedEntries(path)) {
        const filePath = join(path, file);
        if (file.endsWith('.yaml')) loaded.push(readFrameworkFile(filePath, name, basename(file, '.yaml'), builtIn, ruleIds));
        else if (file.endsWith('.yml')) throw misplacedFile(filePath, `rename it to ${basename(file, '.yml')}.yaml`);
      }
    } else if ((name.endsWith('.yaml') || name.endsWith('.yml')) && !TOP_LEVEL_FILES.includes(name)) {
      // A stray top-level file would otherwise be ignored without a word.
      throw misplacedFile(path, `move it to ${join(dir, '<framework-id>', '<version>.yaml')}`);
    }
  }
  return loaded;
}

function misplacedFile(file: string, fix: string): ReportError {
  return new ReportError('mapping-invalid', { file },
    `${file}: not loaded; mapping files must be named <framework-id>/<version>.yaml — ${fix}.`);
}

function readFrameworkFile(file: string, folder: string, fileVersion: string, builtIn: boolean, ruleIds: readonly string[]): LoadedFramework {
  const yaml = readYaml(file);
  const mapping = validate(yaml, MappingFileSchema);
  const { framework, controls } = mapping;

  if (framework.id !== folder) {
    throw new ReportError('mapping-invalid', { file, path: 'framework.id', found: framework.id, allowed: [folder] },
      `${yaml.at(['framework', 'id'])}: framework.id: "${framework.id}" does not match its folder; allowed: "${folder}" ` +
      `(or move the file to ${join('<dir>', framework.id, `${fileVersion}.yaml`)}).`);
  }
  if (framework.version !== fileVersion) {
    throw new ReportError('mapping-invalid', { file, path: 'framework.version', found: framework.version, allowed: [fileVersion] },
      `${yaml.at(['framework', 'version'])}: framework.version: "${framework.version}" does not match the file name; ` +
      `allowed: "${fileVersion}" (or rename the file to ${framework.version}.yaml).`);
  }

  const firstIndexOfControl = new Map<string, number>();
  controls.forEach((control, i) => {
    const first = firstIndexOfControl.get(control.id);
    if (first !== undefined) {
      throw new ReportError('mapping-duplicate', { file, path: `controls[${i}].id`, found: control.id },
        `${yaml.at(['controls', i, 'id'])}: controls[${i}].id: control id "${control.id}" is already used by ` +
        `controls[${first}] (${yaml.at(['controls', first, 'id'])}); control ids must be unique within a framework.`);
    }
    firstIndexOfControl.set(control.id, i);

    if (control.kind !== 'definition' && control.checks.length === 0 && control.evidence.length === 0) {
      throw new ReportError('mapping-invalid', { file, path: `controls[${i}]`, found: control.id, allowed: ['checks', 'evidence'] },
        `${yaml.at(['controls', i])}: controls[${i}]: control "${control.id}" links no evidence; list at least one ` +
        `check under checks: or one report property under evidence: (or leave the control out).`);
    }
    refuseUngradable(yaml, control, i);
    if (framework.relevance === 'evidence' && control.checks.length > 0) {
      throw new ReportError('mapping-invalid', { file, path: `controls[${i}].checks`, found: control.checks[0]?.check, allowed: ['evidence'] },
        `${yaml.at(['controls', i, 'checks'])}: controls[${i}].checks: framework.relevance is "evidence", so its controls ` +
        `link report properties under evidence: only; move the checks to another framework or change relevance to "direct" or "supporting".`);
    }
    refuseRepeats(yaml, control.checks.map((l) => l.check), ['controls', i, 'checks'], 'check', 'link each check once per control');
    refuseRepeats(yaml, control.evidence.map((l) => l.property), ['controls', i, 'evidence'], 'property', 'link each property once per control');
    control.checks.forEach((link, j) => {
      if (link.grading !== undefined && !ruleIds.includes(link.grading)) {
        const path = `controls[${i}].checks[${j}].grading`;
        throw new ReportError('mapping-invalid', { file, path, found: link.grading, allowed: ruleIds },
          `${yaml.at(['controls', i, 'checks', j, 'grading'])}: ${path}: unknown grading rule "${link.grading}"; ` +
          `allowed: ${ruleIds.join(', ') || '(none: mappings/grading.yaml defines no rules)'}.`);
      }
    });
  });

  return { ...mapping, path: file, builtIn };
}

/** Rationales of supporting links start with this, so a reader sees the coverage in the text too. */
export const INDIRECT_PREFIX = 'Indirect evidence';

/**
 * The verdict rules a schema cannot state (mappings/README.md, "Verdict rules"): a definition
 * links nothing, so it cannot be graded; a process control links no check with `coverage: full`,
 * so no single failing check can decide a control a TLS scan cannot decide; a technical control
 * links at least one check; `coverage: indirect` and an "Indirect evidence" rationale go together.
 */
function refuseUngradable(yaml: YamlFile, control: Control, i: number): void {
  const file = yaml.file;
  if (control.kind === 'definition') {
    const key = control.checks.length > 0 ? 'checks' : control.evidence.length > 0 ? 'evidence' : undefined;
    if (key !== undefined) {
      const path = `controls[${i}].${key}`;
      throw new ReportError('mapping-invalid', { file, path, found: control.id, allowed: ['technical', 'process'] },
        `${yaml.at(['controls', i, key])}: ${path}: control "${control.id}" is kind "definition", which is never graded, ` +
        `so it may not link ${key}; link them from the control that uses the definition, or change kind to "technical" or "process".`);
    }
  }
  if (control.kind === 'process') {
    const j = control.checks.findIndex((l) => l.coverage === 'full');
    if (j >= 0) {
      const path = `controls[${i}].checks[${j}].coverage`;
      throw new ReportError('mapping-invalid', { file, path, found: 'full', allowed: ['partial', 'indirect'] },
        `${yaml.at(['controls', i, 'checks', j, 'coverage'])}: ${path}: control "${control.id}" is kind "process", which a TLS ` +
        `observation cannot decide, so check "${control.checks[j]!.check}" may not be linked with coverage full; ` +
        `use partial or indirect, or change kind to "technical" if a TLS observation can decide the control.`);
    }
  }
  if (control.kind === 'technical' && control.checks.length === 0) {
    const path = `controls[${i}].kind`;
    throw new ReportError('mapping-invalid', { file, path, found: 'technical', allowed: ['process', 'definition'] },
      `${yaml.at(['controls', i, 'kind'])}: ${path}: control "${control.id}" is kind "technical" but links no check, so no TLS ` +
      `observation can decide it; link the checks that decide it, or change kind to "process".`);
  }
  const links: { key: 'checks' | 'evidence'; j: number; coverage: string; rationale: string }[] = [
    ...control.checks.map((l, j) => ({ key: 'checks' as const, j, coverage: l.coverage, rationale: l.rationale })),
    ...control.evidence.map((l, j) => ({ key: 'evidence' as const, j, coverage: l.coverage, rationale: l.rationale })),
  ];
  for (const { key, j, coverage, rationale } of links) {
    const prefixed = rationale.startsWith(INDIRECT_PREFIX);
    if (prefixed === (coverage === 'indirect')) continue;
    const path = `controls[${i}].${key}[${j}].coverage`;
    throw new ReportError('mapping-invalid', { file, path, found: coverage, allowed: prefixed ? ['indirect'] : ['full', 'partial'] },
      `${yaml.at(['controls', i, key, j, 'coverage'])}: ${path}: ` + (prefixed
        ? `the rationale starts "${INDIRECT_PREFIX}" but coverage is ${coverage}; set coverage: indirect (it can then warn, never fail or pass the control).`
        : `coverage is indirect but the rationale does not start "${INDIRECT_PREFIX}"; start it so, or use coverage: partial.`));
  }
}

/** `values` are the linked ids of one control, in file order; the second of a pair is refused. */
function refuseRepeats(yaml: YamlFile, values: readonly string[], at: readonly (string | number)[], key: string, fix: string): void {
  const first = new Map<string, number>();
  values.forEach((value, j) => {
    const seen = first.get(value);
    const path = `${formatPath(at)}[${j}].${key}`;
    if (seen !== undefined) {
      throw new ReportError('mapping-duplicate', { file: yaml.file, path, found: value },
        `${yaml.at([...at, j, key])}: ${path}: "${value}" is already linked at ${formatPath(at)}[${seen}]; ${fix}.`);
    }
    first.set(value, j);
  });
}

/** A user folder's scope.yaml may leave out defaultFrameworks: it adds or replaces data classes. */
const UserScopeRulesSchema = ScopeRulesSchema.extend({ defaultFrameworks: ScopeRulesSchema.shape.defaultFrameworks.optional() });

/**
 * Merges a --mappings folder's scope.yaml (when it has one) into the rules: its data classes are
 * added, replacing a built-in class of the same name (case-insensitive); its defaultFrameworks,
 * when given, replace the built-in defaults.
 */
function withUserScope(scope: ScopeRules, file: string, frameworks: readonly LoadedFramework[]): ScopeRules {
  if (!existsSync(file)) return scope;
  const yaml = readYaml(file);
  const user = validate(yaml, UserScopeRulesSchema);
  checkScopeFrameworks(yaml, file, user, frameworks);
  const names = new Set(Object.keys(user.dataClasses).map((n) => n.toLowerCase()));
  const kept = Object.entries(scope.dataClasses).filter(([name]) => !names.has(name.toLowerCase()));
  return {
    schema: scope.schema,
    defaultFrameworks: user.defaultFrameworks ?? scope.defaultFrameworks,
    dataClasses: Object.fromEntries([...kept, ...Object.entries(user.dataClasses)]),
  };
}

function readScope(file: string, frameworks: readonly LoadedFramework[]): ScopeRules {
  const yaml = readYaml(file);
  const scope = validate(yaml, ScopeRulesSchema);
  checkScopeFrameworks(yaml, file, scope, frameworks);
  return scope;
}

function checkScopeFrameworks(yaml: YamlFile, file: string, scope: z.output<typeof UserScopeRulesSchema>, frameworks: readonly LoadedFramework[]): void {
  const known = [...new Set(frameworks.map((fw) => fw.framework.id))];
  (scope.defaultFrameworks ?? []).forEach((id, i) => {
    if (!known.includes(id)) {
      const path = `defaultFrameworks[${i}]`;
      throw new ReportError('mapping-invalid', { file, path, found: id, allowed: known },
        `${yaml.at(['defaultFrameworks', i])}: ${path}: unknown framework "${id}"; allowed: ${known.join(', ')}.`);
    }
  });
  for (const [dataClass, rule] of Object.entries(scope.dataClasses)) {
    rule.frameworks.forEach((id, i) => {
      if (!known.includes(id)) {
        const path = `dataClasses.${dataClass}.frameworks[${i}]`;
        throw new ReportError('mapping-invalid', { file, path, found: id, allowed: known },
          `${yaml.at(['dataClasses', dataClass, 'frameworks', i])}: ${path}: unknown framework "${id}"; ` +
          `allowed: ${known.join(', ')}.`);
      }
    });
  }
}

function readGrading(file: string): GradingRule[] {
  const yaml = readYaml(file);
  const { rules } = validate(yaml, GradingFileSchema);
  refuseRepeats(yaml, rules.map((r) => r.id), ['rules'], 'id', 'give each rule its own id');
  return rules;
}

function readUnmapped(file: string): UnmappedCheck[] {
  const yaml = readYaml(file);
  const { checks } = validate(yaml, UnmappedFileSchema);
  const firstIndex = new Map<string, number>();
  checks.forEach(({ check }, i) => {
    const first = firstIndex.get(check);
    if (first !== undefined) {
      throw new ReportError('mapping-duplicate', { file, path: `checks[${i}].check`, found: check },
        `${yaml.at(['checks', i, 'check'])}: checks[${i}].check: "${check}" is already listed at checks[${first}]; list each check once.`);
    }
    firstIndex.set(check, i);
  });
  return checks;
}

/** A parsed YAML file: its plain data, and a way to turn a path inside it into `file:line:column`. */
export interface YamlFile {
  readonly file: string;
  readonly data: unknown;
  /** Line and column of the node at `path` (or of the nearest parent that exists; of `key` inside it if given). */
  position(path: readonly PropertyKey[], key?: string): Position | undefined;
  /** `file:line:column` of `position(path, key)`, or just `file`. */
  at(path: readonly PropertyKey[], key?: string): string;
}

export interface Position {
  line: number;
  column: number;
}

function readYaml(file: string): YamlFile {
  let text: string;
  try {
    text = readBoundedSync(file, { option: 'mapping file', maxBytes: CAPS.mapping }).toString('utf8');
  } catch (err) {
    if (err instanceof FileRefusedError) throw new ReportError('mapping-invalid', { file, reason: err.reason }, err.message, { cause: err });
    throw new ReportError('mapping-invalid', { file }, `${file}: cannot read the file (${errorText(err)}).`, { cause: err });
  }
  return yamlFromText(file, text);
}

/**
 * Parses YAML text into a YamlFile; a syntax error or an alias bomb is a ReportError with
 * file:line:column (`code` says whose file it is: the exceptions loader shares this).
 */
export function yamlFromText(file: string, text: string, code: ErrorCode = 'mapping-invalid'): YamlFile {
  const lineCounter = new LineCounter();
  // Duplicate keys are a YAML error (uniqueKeys defaults to true), so they surface here with a position.
  const doc = parseDocument(text, { lineCounter });
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    const pos = syntaxError.linePos?.[0];
    const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
    const message = syntaxError.message.split('\n')[0] ?? syntaxError.message;
    throw new ReportError(code, { file, line: pos?.line, column: pos?.col },
      `${where}: not valid YAML: ${message}`, { cause: syntaxError });
  }
  let data: unknown;
  try {
    data = toJsBounded(doc, lineCounter);
  } catch (err) {
    if (!(err instanceof YamlAliasLimitError)) throw err;
    const where = err.line === undefined ? file : `${file}:${err.line}:${err.column}`;
    throw new ReportError(code, { file, line: err.line, column: err.column }, `${where}: ${err.message}`, { cause: err });
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

/**
 * Validates parsed data against a schema, turning zod issues into one ReportError whose lines each
 * say file:line:column, the path, what was found and what is allowed. `codes` name the file's kind
 * (the exceptions loader shares this).
 */
export function validate<S extends z.ZodType>(yaml: YamlFile, schema: S,
  codes: { invalid: ErrorCode; unknownCheck: ErrorCode } = { invalid: 'mapping-invalid', unknownCheck: 'mapping-unknown-check' }): z.output<S> {
  const result = schema.safeParse(yaml.data);
  if (result.success) return result.data;

  // zod reports unknown keys after the fields of the same object; list problems in file order instead.
  const described = result.error.issues.map((issue) => describeIssue(yaml, schema, issue)).sort(compareIssues);
  const first = described[0];
  const code: ErrorCode = first?.unknownCheck === true ? codes.unknownCheck : codes.invalid;
  const lines = described.slice(0, MAX_LISTED_ISSUES).map((d) => d.text);
  if (described.length > MAX_LISTED_ISSUES) lines.push(`…and ${described.length - MAX_LISTED_ISSUES} more problems in ${yaml.file}`);
  throw new ReportError(code, {
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
  unknownCheck: boolean;
  position: Position | undefined;
  /** `file:line:column: path: detail` */
  text: string;
}

function compareIssues(a: DescribedIssue, b: DescribedIssue): number {
  const line = (a.position?.line ?? 0) - (b.position?.line ?? 0);
  return line !== 0 ? line : (a.position?.column ?? 0) - (b.position?.column ?? 0);
}

function describeIssue(yaml: YamlFile, root: z.ZodType, issue: z.core.$ZodIssue): DescribedIssue {
  const path = formatPath(issue.path);
  const value = valueAt(yaml.data, issue.path);
  const found = formatValue(value);
  let allowed: readonly string[] = [];
  let detail: string;
  let unknownCheck = false;
  let key: string | undefined;

  switch (issue.code) {
    case 'unrecognized_keys': {
      allowed = keysOf(schemaAt(root, issue.path));
      key = issue.keys[0];
      const plural = issue.keys.length > 1 ? 's' : '';
      detail = `unknown key${plural} ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed keys: ${describeKeys(schemaAt(root, issue.path))}`;
      // Format v1 before the catalogue release had interpretation on the control; it now sits on each link.
      if (issue.keys.includes('interpretation') && schemaAt(root, issue.path) === ControlSchema) {
        detail += ' (interpretation is now set on each link under checks: or evidence:, where the reading is ours)';
      }
      break;
    }
    case 'invalid_value': {
      if (schemaAt(root, issue.path) === CheckLinkSchema.shape.check) {
        unknownCheck = true;
        allowed = CHECK_IDS;
        const suggestion = typeof value === 'string' ? closest(value, CHECK_IDS) : undefined;
        const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
        detail = `unknown check id ${found}${hint}; valid check ids: ${CHECK_IDS.join(', ')}`;
      } else {
        allowed = issue.values.map((v) => String(v));
        const last = issue.path.at(-1);
        // A required enum key that is left out arrives here, not as a missing key.
        detail = value === undefined && typeof last === 'string'
          ? `required key "${last}" is missing; allowed values: ${allowed.join(', ')}`
          : `${found} is not allowed; allowed values: ${allowed.join(', ')}`;
      }
      break;
    }
    case 'invalid_type': {
      const parentPath = issue.path.slice(0, -1);
      const last = issue.path.at(-1);
      if (value === undefined && typeof last === 'string') {
        const parent = schemaAt(root, parentPath);
        allowed = keysOf(parent);
        detail = `required key "${last}" is missing (expected ${issue.expected}); allowed keys at ${formatPath(parentPath)}: ${describeKeys(parent)}`;
      } else {
        allowed = [issue.expected];
        const here = schemaAt(root, issue.path);
        // An unquoted 2013 or 4.0 in YAML is a number; the fix is almost always to quote it.
        const hint = issue.expected === 'string' && typeof value === 'number' ? ` (quote it: "${String(value)}")`
          : here instanceof z.ZodObject ? `; keys: ${describeKeys(here)}` : '';
        detail = `expected ${issue.expected}, found ${found}${hint}`;
      }
      break;
    }
    default:
      detail = `${issue.message}; found ${found}`;
  }
  const position = yaml.position(issue.path, key);
  const where = position === undefined ? yaml.file : `${yaml.file}:${position.line}:${position.column}`;
  return { path, found, allowed, detail, unknownCheck, position, text: `${where}: ${path}: ${detail}` };
}

/** `controls[3].checks[0].check`; `(top level)` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(top level)' : out;
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
function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
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
  if (!(schema instanceof z.ZodObject)) return '(any)';
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

function isDirectory(path: string): boolean {
  // statSync follows symlinks, so a linked user folder counts as a folder.
  return existsSync(path) && statSync(path).isDirectory();
}

function sortedEntries(dir: string): string[] {
  return readdirSync(dir).sort(compareStrings);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
