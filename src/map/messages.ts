/**
 * The mapping layer's prose, in one place: every refusal of a mapping file, scope or grading file,
 * exceptions register or --frameworks choice says where (file:line:column and the path inside the
 * file, or the option), what was found, and what is allowed or what to do. Callers pass the
 * location already formatted (`at`, from YamlFile.at) and the values; the wording lives here.
 */

const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

export const MAP = {
  // ── Finding the mapping files ──
  noPackageRoot: (start: string) =>
    `Cannot find the built-in mappings: no tlsproof package.json in ${start} or any folder above it.`,
  notAFolder: (dir: string) =>
    `Mapping folder ${dir} does not exist or is not a folder; it must hold <framework-id>/<version>.yaml files.`,
  /** `fix` comes from misplacedYml or misplacedTopLevel. */
  misplacedFile: (file: string, fix: string) =>
    `${file}: not loaded; mapping files must be named <framework-id>/<version>.yaml — ${fix}.`,
  misplacedYml: (stem: string) => `rename it to ${stem}.yaml`,
  misplacedTopLevel: (wanted: string) => `move it to ${wanted}`,
  duplicateFramework: (path: string, id: string, version: string, existing: string) =>
    `${path}: framework "${id}" version "${version}" is already defined by ` +
    `${existing}; keep one of the two files (a user file may replace a built-in, not another user file).`,
  sameVersionDate: (path: string, date: string, otherVersion: string, otherPath: string, id: string) =>
    `${path}: framework.versionDate: "${date}" is also the date of version "${otherVersion}" ` +
    `(${otherPath}); give each version of "${id}" its own date so the newest can be told apart.`,

  // ── One mapping file ──
  idNotFolder: (at: string, id: string, folder: string, moveTo: string) =>
    `${at}: framework.id: "${id}" does not match its folder; allowed: "${folder}" ` +
    `(or move the file to ${moveTo}).`,
  versionNotFileName: (at: string, version: string, fileVersion: string) =>
    `${at}: framework.version: "${version}" does not match the file name; ` +
    `allowed: "${fileVersion}" (or rename the file to ${version}.yaml).`,
  duplicateControl: (at: string, i: number, id: string, first: number, firstAt: string) =>
    `${at}: controls[${i}].id: control id "${id}" is already used by ` +
    `controls[${first}] (${firstAt}); control ids must be unique within a framework.`,
  controlLinksNothing: (at: string, i: number, id: string) =>
    `${at}: controls[${i}]: control "${id}" links no evidence; list at least one ` +
    `check under checks: or one report property under evidence: (or leave the control out).`,
  evidenceFrameworkLinksChecks: (at: string, i: number) =>
    `${at}: controls[${i}].checks: framework.relevance is "evidence", so its controls ` +
    `link report properties under evidence: only; move the checks to another framework or change relevance to "direct" or "supporting".`,
  unknownGradingRule: (at: string, path: string, rule: string, ruleIds: readonly string[]) =>
    `${at}: ${path}: unknown grading rule "${rule}"; ` +
    `allowed: ${ruleIds.join(', ') || '(none: mappings/grading.yaml defines no rules)'}.`,
  definitionLinks: (at: string, path: string, id: string, key: string) =>
    `${at}: ${path}: control "${id}" is kind "definition", which is never graded, ` +
    `so it may not link ${key}; link them from the control that uses the definition, or change kind to "technical" or "process".`,
  processFullCoverage: (at: string, path: string, id: string, check: string) =>
    `${at}: ${path}: control "${id}" is kind "process", which a TLS ` +
    `observation cannot decide, so check "${check}" may not be linked with coverage full; ` +
    `use partial or indirect, or change kind to "technical" if a TLS observation can decide the control.`,
  technicalWithoutCheck: (at: string, path: string, id: string) =>
    `${at}: ${path}: control "${id}" is kind "technical" but links no check, so no TLS ` +
    `observation can decide it; link the checks that decide it, or change kind to "process".`,
  indirectMismatch: (at: string, path: string, prefix: string, prefixed: boolean, coverage: string) =>
    `${at}: ${path}: ` + (prefixed
      ? `the rationale starts "${prefix}" but coverage is ${coverage}; set coverage: indirect (it can then warn, never fail or pass the control).`
      : `coverage is indirect but the rationale does not start "${prefix}"; start it so, or use coverage: partial.`),
  /** A second link to the same check or property of one control, or a second rule with one id. */
  repeated: (at: string, path: string, value: string, firstPath: string, key: 'check' | 'property' | 'id') =>
    `${at}: ${path}: "${value}" is already linked at ${firstPath}; ${
      key === 'check' ? 'link each check once per control' : key === 'property' ? 'link each property once per control' : 'give each rule its own id'}.`,
  unknownScopeFramework: (at: string, path: string, id: string, known: readonly string[]) =>
    `${at}: ${path}: unknown framework "${id}"; allowed: ${known.join(', ')}.`,
  unmappedTwice: (at: string, i: number, check: string, first: number) =>
    `${at}: checks[${i}].check: "${check}" is already listed at checks[${first}]; list each check once.`,

  /** Added to zod's "unknown key" when a v1 file still sets interpretation on the control. */
  interpretationMoved: () => ' (interpretation is now set on each link under checks: or evidence:, where the reading is ours)',
  /** `value` is the id as written (JSON-quoted); `suggestion` the closest known id, if any. */
  unknownCheck: (value: string, suggestion: string | undefined, ids: readonly string[]) =>
    `unknown check id ${value}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; valid check ids: ${ids.join(', ')}`,

  // ── --frameworks ──
  twoVersions: (id: string, a: string, b: string) =>
    `--frameworks asks for two versions of "${id}" (${a} and ${b}); ` +
    'a report uses one version of each framework, so run one report per version.',
  unknownFrameworks: (refs: readonly string[], context: string, available: readonly string[], versions: readonly string[]) =>
    `Unknown framework${refs.length > 1 ? 's' : ''} ${refs.map((u) => `"${u}"`).join(', ')} in ${context}. ` +
    `Available: ${available.join(', ')} (or one version as id@version: ${versions.join(', ')}).`,

  // ── Exceptions register ──
  exceptionsUnreadable: (name: string, detail: string) =>
    `${name}: cannot read the exceptions file (${detail}); check the path given to --exceptions.`,
  exceptionsEmpty: (file: string) =>
    `${file}: the file is empty; start it with "schema: tlsproof-exceptions/v1" and an "exceptions:" list (tlsproof templates init writes an example).`,
  /** One problem of the register: `at` is file:line:column, `path` the path inside the file. */
  exceptionProblem: (at: string, path: string, message: string) => `${at}: ${path}: ${message}`,
  exceptionIdTwice: (id: string, first: number, firstAt: string) =>
    `id "${id}" is already used by exceptions[${first}] (${firstAt}); give each exception its own id.`,
  expiresBeforeApproval: (expires: string, approvedOn: string) =>
    `expires ${expires} is before approvedOn ${approvedOn}; an exception must expire after it is approved.`,
  expiresTooLate: (expires: string, maxMonths: number, approvedOn: string, latest: string) =>
    `expires ${expires} is more than ${maxMonths} month${maxMonths === 1 ? '' : 's'} after approvedOn ` +
    `${approvedOn} (latest allowed: ${latest}); an exception is a time-boxed decision: set an earlier expiry and renew it ` +
    'with a new approval when it runs out (the maximum is exceptions.maxMonths in report.config.yaml).',
  exceptionUnknownFramework: (id: string, guess: string | undefined, known: readonly string[]) =>
    `unknown framework "${id}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; known frameworks: ${known.join(', ')}.`,
  exceptionNoVersion: (id: string, version: string | undefined, loaded: readonly string[]) =>
    `framework "${id}" has no version "${version}"; loaded versions: ${loaded.join(', ')} (or leave out @version).`,
  exceptionNoControl: (id: string, controlId: string, guess: string | undefined) =>
    `framework "${id}" has no control "${controlId}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; ` +
    `list its controls with: tlsproof controls ${id}.`,
  exceptionsRefused: (file: string, problems: readonly string[]) =>
    `${file}: the exception register is refused (${problems.length} ${plural(problems.length, 'problem')}); fix ${problems.length === 1 ? 'it' : 'them'} and run again:\n  ${problems.join('\n  ')}`,

  /** A check link to no check tlsproof has: the zod issue the prose engine turns into "allowed values". */
  unknownCheckId: () => 'unknown check id',

  // ── The domain list's scope columns (input problems, not errors: the row keeps its other frameworks) ──
  unknownFrameworkInList: (id: string, domain: string, known: readonly string[]) =>
    `framework "${id}" for ${domain} is not one of ${known.join(', ')}; ` +
    'to add one, put <framework-id>/<version>.yaml in a folder and pass it with --mappings DIR',
  unknownDataClass: (dataClass: string, domain: string, known: readonly string[]) =>
    `data class "${dataClass}" for ${domain} has no scope rule; known classes: ${known.join(', ')}; ` +
    `to add one, write a scope.yaml with "schema: tlsproof-scope/v1" and a dataClasses entry "${dataClass}" (its description and frameworks) ` +
    'in a folder and pass that folder with --mappings DIR',
} as const;
