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
import { CAPS } from '../fs-guard.js';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CHECK_IDS, isCheckId } from '../checks/index.js';
import { findPackageRoot } from '../package-root.js';
import { ReportError, type ErrorCode } from '../errors.js';
import { MAP } from './messages.js';
import { closest, formatPath, readYamlDocument, schemaAt, validateYaml, type IssueExplanation, type YamlFile } from '../yaml-document.js';
import { CheckLinkSchema, ControlSchema, GradingFileSchema, MappingFileSchema, ScopeRulesSchema } from '../model/framework.js';
import type { Control, GradingRule, LoadedFramework, MappingFile, ScopeRules } from '../model/framework.js';

const UNMAPPED_FORMAT = 'tlsproof-unmapped/v1' as const;

/** `mappings/unmapped.yaml`: checks no shipped framework maps, each with the reason why. */
const UnmappedFileSchema = z.strictObject({
  schema: z.literal(UNMAPPED_FORMAT),
  checks: z.array(z.strictObject({
    // The same enum instance as in mapping files, so an unknown id here is reported the same way.
    check: CheckLinkSchema.shape.check,
    reason: z.string().min(10),
  })),
});
type UnmappedCheck = z.infer<typeof UnmappedFileSchema>['checks'][number];

interface LoadMappingsOptions {
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
      MAP.noPackageRoot(start));
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
          MAP.duplicateFramework(fw.path, fw.framework.id, fw.framework.version, existing.path));
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
        MAP.sameVersionDate(b.path, b.framework.versionDate, a.framework.version, a.path, b.framework.id));
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
      MAP.notAFolder(dir));
  }
  const loaded: LoadedFramework[] = [];
  for (const name of sortedEntries(dir)) {
    const path = join(dir, name);
    if (isDirectory(path)) {
      if (name === SCHEMA_FOLDER || name.startsWith('.')) continue;
      for (const file of sortedEntries(path)) {
        const filePath = join(path, file);
        if (file.endsWith('.yaml')) loaded.push(readFrameworkFile(filePath, name, basename(file, '.yaml'), builtIn, ruleIds));
        else if (file.endsWith('.yml')) throw misplacedFile(filePath, MAP.misplacedYml(basename(file, '.yml')));
      }
    } else if ((name.endsWith('.yaml') || name.endsWith('.yml')) && !TOP_LEVEL_FILES.includes(name)) {
      // A stray top-level file would otherwise be ignored without a word.
      throw misplacedFile(path, MAP.misplacedTopLevel(join(dir, '<framework-id>', '<version>.yaml')));
    }
  }
  return loaded;
}

function misplacedFile(file: string, fix: string): ReportError {
  return new ReportError('mapping-invalid', { file },
    MAP.misplacedFile(file, fix));
}

function readFrameworkFile(file: string, folder: string, fileVersion: string, builtIn: boolean, ruleIds: readonly string[]): LoadedFramework {
  const yaml = readYaml(file);
  const mapping = validate(yaml, MappingFileSchema);
  const { framework, controls } = mapping;

  if (framework.id !== folder) {
    throw new ReportError('mapping-invalid', { file, path: 'framework.id', found: framework.id, allowed: [folder] },
      MAP.idNotFolder(yaml.at(['framework', 'id']), framework.id, folder, join('<dir>', framework.id, `${fileVersion}.yaml`)));
  }
  if (framework.version !== fileVersion) {
    throw new ReportError('mapping-invalid', { file, path: 'framework.version', found: framework.version, allowed: [fileVersion] },
      MAP.versionNotFileName(yaml.at(['framework', 'version']), framework.version, fileVersion));
  }

  const firstIndexOfControl = new Map<string, number>();
  controls.forEach((control, i) => {
    const first = firstIndexOfControl.get(control.id);
    if (first !== undefined) {
      throw new ReportError('mapping-duplicate', { file, path: `controls[${i}].id`, found: control.id },
        MAP.duplicateControl(yaml.at(['controls', i, 'id']), i, control.id, first, yaml.at(['controls', first, 'id'])));
    }
    firstIndexOfControl.set(control.id, i);

    if (control.kind !== 'definition' && control.checks.length === 0 && control.evidence.length === 0) {
      throw new ReportError('mapping-invalid', { file, path: `controls[${i}]`, found: control.id, allowed: ['checks', 'evidence'] },
        MAP.controlLinksNothing(yaml.at(['controls', i]), i, control.id));
    }
    refuseUngradable(yaml, control, i);
    if (framework.relevance === 'evidence' && control.checks.length > 0) {
      throw new ReportError('mapping-invalid', { file, path: `controls[${i}].checks`, found: control.checks[0]?.check, allowed: ['evidence'] },
        MAP.evidenceFrameworkLinksChecks(yaml.at(['controls', i, 'checks']), i));
    }
    refuseRepeats(yaml, control.checks.map((l) => l.check), ['controls', i, 'checks'], 'check');
    refuseRepeats(yaml, control.evidence.map((l) => l.property), ['controls', i, 'evidence'], 'property');
    control.checks.forEach((link, j) => {
      if (link.grading !== undefined && !ruleIds.includes(link.grading)) {
        const path = `controls[${i}].checks[${j}].grading`;
        throw new ReportError('mapping-invalid', { file, path, found: link.grading, allowed: ruleIds },
          MAP.unknownGradingRule(yaml.at(['controls', i, 'checks', j, 'grading']), path, link.grading, ruleIds));
      }
    });
  });

  return { ...mapping, path: file, builtIn };
}

/** Rationales of supporting links start with this, so a reader sees the coverage in the text too. */
const INDIRECT_PREFIX = 'Indirect evidence';

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
        MAP.definitionLinks(yaml.at(['controls', i, key]), path, control.id, key));
    }
  }
  if (control.kind === 'process') {
    const j = control.checks.findIndex((l) => l.coverage === 'full');
    if (j >= 0) {
      const path = `controls[${i}].checks[${j}].coverage`;
      throw new ReportError('mapping-invalid', { file, path, found: 'full', allowed: ['partial', 'indirect'] },
        MAP.processFullCoverage(yaml.at(['controls', i, 'checks', j, 'coverage']), path, control.id, control.checks[j]!.check));
    }
  }
  if (control.kind === 'technical' && control.checks.length === 0) {
    const path = `controls[${i}].kind`;
    throw new ReportError('mapping-invalid', { file, path, found: 'technical', allowed: ['process', 'definition'] },
      MAP.technicalWithoutCheck(yaml.at(['controls', i, 'kind']), path, control.id));
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
      MAP.indirectMismatch(yaml.at(['controls', i, key, j, 'coverage']), path, INDIRECT_PREFIX, prefixed, coverage));
  }
}

/** `values` are the linked ids of one control, in file order; the second of a pair is refused. */
function refuseRepeats(yaml: YamlFile, values: readonly string[], at: readonly (string | number)[], key: 'check' | 'property' | 'id'): void {
  const first = new Map<string, number>();
  values.forEach((value, j) => {
    const seen = first.get(value);
    const path = `${formatPath(at)}[${j}].${key}`;
    if (seen !== undefined) {
      throw new ReportError('mapping-duplicate', { file: yaml.file, path, found: value },
        MAP.repeated(yaml.at([...at, j, key]), path, value, `${formatPath(at)}[${seen}]`, key));
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
        MAP.unknownScopeFramework(yaml.at(['defaultFrameworks', i]), path, id, known));
    }
  });
  for (const [dataClass, rule] of Object.entries(scope.dataClasses)) {
    rule.frameworks.forEach((id, i) => {
      if (!known.includes(id)) {
        const path = `dataClasses.${dataClass}.frameworks[${i}]`;
        throw new ReportError('mapping-invalid', { file, path, found: id, allowed: known },
          MAP.unknownScopeFramework(yaml.at(['dataClasses', dataClass, 'frameworks', i]), path, id, known));
      }
    });
  }
}

function readGrading(file: string): GradingRule[] {
  const yaml = readYaml(file);
  const { rules } = validate(yaml, GradingFileSchema);
  refuseRepeats(yaml, rules.map((r) => r.id), ['rules'], 'id');
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
        MAP.unmappedTwice(yaml.at(['checks', i, 'check']), i, check, first));
    }
    firstIndex.set(check, i);
  });
  return checks;
}

/** Validates a mapping data file: the schema, then check ids against the registry. */
function validate<S extends z.ZodType>(yaml: YamlFile, schema: S): z.output<S> {
  return validateYaml(yaml, schema, {
    code: 'mapping-invalid',
    maxListed: MAX_LISTED_ISSUES,
    extraIssues: unknownCheckIssues,
    explain(issue, root) {
      const unknown = unknownCheckExplanation(issue, root, 'mapping-unknown-check');
      if (unknown !== undefined) return unknown;
      // Format v1 before the catalogue release had interpretation on the control; it now sits on each link.
      if (issue.code === 'unrecognized_keys' && issue.keys.includes('interpretation') && schemaAt(root, issue.path) === ControlSchema) {
        return { suffix: MAP.interpretationMoved() };
      }
      return undefined;
    },
  });
}

/** The wording for a check id the registry does not know: the valid ids and the closest one. */
export function unknownCheckExplanation(issue: z.core.$ZodIssue, root: z.ZodType, code: ErrorCode): IssueExplanation | undefined {
  if (issue.code !== 'invalid_value' || schemaAt(root, issue.path) !== CheckLinkSchema.shape.check) return undefined;
  const value = issue.input;
  const suggestion = typeof value === 'string' ? closest(value, CHECK_IDS) : undefined;
  return { code, allowed: CHECK_IDS, detail: MAP.unknownCheck(JSON.stringify(value), suggestion, CHECK_IDS) };
}

/**
 * The model takes any string as a check id (it does not list the checks); the check registry
 * decides. Every value the schema places at a check-id field is looked up, and an unknown one
 * becomes the same issue zod raises for a value outside an enum, so it reads like every other.
 */
export function unknownCheckIssues(root: z.ZodType, data: unknown): z.core.$ZodIssue[] {
  const found: z.core.$ZodIssue[] = [];
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (typeof value === 'string') {
      if (!isCheckId(value) && schemaAt(root, path) === CheckLinkSchema.shape.check) {
        found.push({ code: 'invalid_value', values: [...CHECK_IDS], path, input: value, message: MAP.unknownCheckId() });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(data, []);
  return found;
}

function readYaml(file: string): YamlFile {
  return readYamlDocument(file, { option: 'mapping file', maxBytes: CAPS.mapping, code: 'mapping-invalid' });
}

function isDirectory(path: string): boolean {
  // statSync follows symlinks, so a linked user folder counts as a folder.
  return existsSync(path) && statSync(path).isDirectory();
}

function sortedEntries(dir: string): string[] {
  return readdirSync(dir).sort(compareStrings);
}
