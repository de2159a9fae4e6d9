/**
 * Every export of src/ is there for another file of the product: each one must be imported by some
 * other file of src/ or by bin/ (the published entry point). An export only tests import is an
 * internal that the tests reach into instead of the production path, or code that nothing runs; an
 * export nothing imports at all is dead or should be private to its file. bench/ and test/ do not
 * count as users.
 *
 * The sources are parsed by the TypeScript compiler (the `typescript/unstable` API of the typescript
 * dev dependency, which runs its own tsgo binary; an upgrade that changes the API fails here loudly)
 * and read syntactically: named, default, namespace and type imports; `export … from` and
 * `export *` chains through barrel files; dynamic `import()` read through the names the code takes
 * from it. An export re-exported by a barrel counts as used only when something imports it through
 * the barrel. A type named in the signature of a used export is part of that export's contract.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import {
  isAwaitExpression, isBindingElement, isCallExpression, isConditionalExpression, isExportAssignment, isExportDeclaration, isIdentifier,
  isImportDeclaration, isImportTypeNode, isLiteralTypeNode, isNamedExports, isNamedImports, isNamespaceImport, isObjectBindingPattern,
  isParenthesizedExpression, isPropertyAccessExpression, isQualifiedName, isStringLiteral, isVariableDeclaration, isVariableStatement,
  ModifierFlags, SyntaxKind, type Node, type SourceFile,
} from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Allowed { readonly file: string; readonly names: readonly string[]; readonly why: string }

/**
 * Exports no other file of src/ imports, kept on purpose, each group with its reason. Keep it short:
 * the production path is the rule, an internal that deserves a test of its own the exception. A
 * type named in the signature of a used export needs no entry (see unusedExports).
 */
const ALLOWED: readonly Allowed[] = [
  // Grammars and small rules with many edge cases, tested by tables; their callers only add I/O.
  { file: 'cli/commands/scan.ts', names: ['parseDuration'], why: '`10s`, `500ms`, `2m` for the scan timeouts' },
  { file: 'scan/policy.ts', names: ['parseMtaStsTxt', 'parseMtaStsPolicy', 'parseTlsRptTxt'], why: 'RFC 8461/8460 record and policy grammars; the lab tier reaches them through real DNS and HTTPS' },
  { file: 'ingest/qualys-csv.ts', names: ['parseQualysDate'], why: 'the date formats Qualys prints, impossible dates included' },
  { file: 'ingest/testssl-csv.ts', names: ['parseTestsslDate'], why: 'testssl.sh dates without a zone' },
  { file: 'map/select.ts', names: ['parseFrameworkRef'], why: '`hipaa@2013` references' },
  { file: 'map/exceptions.ts', names: ['globMatches'], why: 'the `*`/`?` host patterns of exceptions.yaml' },
  { file: 'map/exceptions-file.ts', names: ['addMonths'], why: 'month arithmetic at month ends (31 Jan + 1 month)' },
  { file: 'history/exceptions.ts', names: ['lapsedOn'], why: 'an exception applies through its expiry date: the boundary days' },
  { file: 'map/scope.ts', names: ['assetMatcher'], why: 'closest listed parent domain, IDN spellings meeting' },
  { file: 'map/evaluate.ts', names: ['decides'], why: 'the verdict rule: only a full link in the control\'s own terms decides a technical control' },
  { file: 'map/evidence.ts', names: ['evaluateEvidenceProperty'], why: 'each evidence property judged on a table of hand-made facts' },
  { file: 'scan/hello.ts', names: ['bitLength'], why: 'key sizes from big-endian bytes, leading zero bytes included' },
  { file: 'scan/progress.ts', names: ['formatProgress'], why: 'the progress line without a terminal' },
  { file: 'report/oscal/render.ts', names: ['objectiveId', 'objectiveStatus'], why: 'the control-status to OSCAL objective-state table and the objective ids, apart from a whole document' },
  { file: 'evidence/tsa.ts', names: ['timestampRequest', 'tokenFromResponse'], why: 'RFC 3161 request and response, driven by hand with `openssl ts` to prove a token over other data is refused' },
  // The text behind an output whose production wrapper only encodes it or picks the file.
  { file: 'report/html/render.ts', names: ['renderHtml'], why: 'htmlRenderer.render only encodes this text to bytes' },
  { file: 'report/oscal/render.ts', names: ['renderOscal'], why: 'the OSCAL document as JSON, before the renderer serialises it' },
  { file: 'config/load.ts', names: ['parseReportConfig', 'loadReportConfig'], why: 'the config language from text or a file; resolveReportConfig only adds the ./report.config.yaml lookup' },
  // Published contracts and tables that tests hold equal to what the product does.
  { file: 'report/csv/render.ts', names: ['FINDINGS_HEADER', 'CONTROLS_HEADER'], why: 'the published CSV columns' },
  { file: 'model/history.ts', names: ['PeriodComparisonSchema'], why: 'the published shape of `diff --json`, which the CLI tests parse their output with' },
  { file: 'report/scan-context.ts', names: ['SCAN_LIMITATIONS', 'TESTSSL_TIME_ZONE_CAVEAT'], why: 'sentences every report must carry, checked in the scan context the report is built from' },
  { file: 'ingest/testssl-csv.ts', names: ['TESTSSL_UNJUDGED_VULNS', 'parseVulnerability'], why: 'kept equal to the vulnerabilities no check reads; the renegotiation check tests read testssl\'s words through the ingester\'s own reading' },
  { file: 'model/fact-coverage.ts', names: ['SOURCE_FACTS'], why: 'which facts each source can state, compared with what each ingester produces' },
  { file: 'model/observation.ts', names: ['factsPresent'], why: 'an observation\'s facts as table paths, for the fact-corpus tests' },
  { file: 'checks/shared/message.ts', names: ['templatePlaceholders'], why: 'the message placeholder grammar: the registry test proves every message\'s placeholders are filled' },
  { file: 'ingest/index.ts', names: ['ingesters'], why: 'the input-format registry, which the fixture test walks' },
  { file: 'report/formats/index.ts', names: ['outputFormats'], why: 'the output-format registry, which the registry test walks' },
  { file: 'scan/suites.ts', names: ['SUITES'], why: 'the cipher-suite table, its codes checked unique' },
  { file: 'report/html/config-view.ts', names: ['CONFIG_VIEW_FIELDS'], why: 'the @config fields described for template authors, held equal to the view, the shipped templates and the README' },
  { file: 'report/pdf/sections/exception-register.ts', names: ['approvalCell'], why: 'the register\'s approval cell and its colour per state, read without a PDF: the colour is what an auditor reads as expired' },
  { file: 'report/framework-names.ts', names: ['hasShortName'], why: 'every built-in framework has a written short name (frameworkShortName silently falls back to the title or id)' },
  { file: 'yaml-bounded.ts', names: ['MAX_YAML_ALIASES'], why: 'the hostile-YAML test checks the refusal names the limit' },
  { file: 'report/pdf/font-fallback.ts', names: ['FALLBACK_FONT_SEARCH'], why: 'the order fonts are searched in (Chinese before Korean), which decides the glyphs drawn' },
  { file: 'report/pdf/pdfkit-internals.ts', names: ['PDFKIT_VERSION_CHECKED', 'checkPdfkitInternals'], why: 'the adapter\'s self-check, which fails loudly when pdfkit changes the internals we use' },
  { file: 'map/schema.ts', names: ['PUBLISHED_SCHEMAS', 'jsonSchemaFor', 'jsonSchemaText'], why: 'the generator of the committed JSON Schemas: the integrity tests compare, and with -u rewrite, them' },
  // Seams that tests and benchmarks drive; the product goes through a caller that also writes files.
  { file: 'pipeline.ts', names: ['recordRun'], why: 'compare and record without writing outputs, for the store and history tests\' many runs' },
  { file: 'store/record.ts', names: ['buildRunRecord'], why: 'the crash test\'s child records a run built here and is killed at a named stage' },
  { file: 'ingest/tlsproof-results.ts', names: ['readTlsproofResults', 'readTlsproofResultsDetailed'], why: 'the scan tests read back what the scan wrote, and whether it finished (ingest() does not say); `report` reads the file through the tlsproof-jsonl ingester' },
];

const ALLOWED_KEYS: ReadonlyMap<string, string> = new Map(ALLOWED.flatMap((a) => a.names.map((n) => [`${a.file}:${n}`, a.why] as const)));

/** One export of one file, by the name other files import it under. */
interface ExportEntry {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  /** An interface or type alias: the contract of the exports whose signatures name it. */
  readonly isType?: boolean;
  /** Names the declaration's signature refers to as types (function and method bodies left out). */
  readonly refs?: readonly string[];
  /** Set for `export { a as name } from './x.js'`: the file and name it forwards to. */
  readonly forwards?: { readonly file: string; readonly name: string };
}

/** What one file imports from another: a name, or every export (`*`) when the code takes the whole module. */
interface Use { readonly from: string; readonly file: string; readonly name: string }

interface ModuleFacts {
  readonly exports: ExportEntry[];
  /** `export * from './x.js'` targets. */
  readonly stars: string[];
  /** Type names in the signatures of the file's private top-level declarations, by name. */
  readonly privateRefs: Map<string, readonly string[]>;
  readonly uses: Use[];
  /** Module references the reader cannot follow to names; each fails the test rather than guess. */
  readonly unreadable: string[];
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  node.forEachChild((child) => { walk(child, visit); return undefined; });
}

/** Type names a declaration's signature uses: type references, `extends`/`implements` and `typeof` targets, outside any body. */
function signatureRefs(decl: Node): string[] {
  const refs: string[] = [];
  const visit = (n: Node): void => {
    if (n.kind === SyntaxKind.Block) return;
    const name = n.kind === SyntaxKind.TypeReference ? (n as Node & { readonly typeName: Node }).typeName
      : n.kind === SyntaxKind.ExpressionWithTypeArguments ? (n as Node & { readonly expression: Node }).expression
        : n.kind === SyntaxKind.TypeQuery ? (n as Node & { readonly exprName: Node }).exprName : undefined;
    if (name !== undefined && isIdentifier(name)) refs.push(name.text);
    n.forEachChild((c) => { visit(c); return undefined; });
  };
  visit(decl);
  return refs;
}

function lineOf(sf: SourceFile, node: Node): number {
  return sf.text.slice(0, node.getStart(sf)).split('\n').length;
}

/** The src/-relative path a module specifier points at, or undefined for packages and node: builtins. */
function target(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const abs = normalize(join(ROOT, dirname(fromFile), spec)).replace(/\.js$/, '.ts');
  // bin/ runs the compiled program: dist/src/x.js is src/x.ts.
  return relative(ROOT, abs).replace(/^dist\/src\//, 'src/');
}

/** Names taken from identifier `ns` (a namespace import or a variable holding `await import()`), or `*` when it escapes. */
function namesTakenFrom(sf: SourceFile, ns: string, declaration: Node): string[] {
  const names: string[] = [];
  walk(sf, (n) => {
    if (!isIdentifier(n) || n.text !== ns || n === declaration) return;
    const p = n.parent;
    if (isPropertyAccessExpression(p) && p.expression === n) names.push(p.name.text);
    else if (isQualifiedName(p) && p.left === n) names.push(p.right.text);
    else names.push('*');
  });
  return names;
}

/** Names taken from one dynamic `import('./x.js')` call, or undefined when the code does something this reader cannot follow. */
function dynamicNames(sf: SourceFile, call: Node): string[] | undefined {
  let n: Node = call;
  if (isAwaitExpression(n.parent)) n = n.parent;
  while (isParenthesizedExpression(n.parent) || isConditionalExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (isPropertyAccessExpression(p) && p.expression === n) return [p.name.text];
  if (isVariableDeclaration(p) && p.initializer === n) {
    if (isObjectBindingPattern(p.name)) {
      return p.name.elements.map((e) => {
        if (!isBindingElement(e) || e.dotDotDotToken !== undefined) return '*';
        const key = e.propertyName ?? e.name;
        return key !== undefined && isIdentifier(key) ? key.text : '*';
      });
    }
    if (isIdentifier(p.name)) return namesTakenFrom(sf, p.name.text, p.name);
  }
  return undefined;
}

function read(sf: SourceFile, file: string): ModuleFacts {
  const facts: ModuleFacts = { exports: [], stars: [], privateRefs: new Map(), uses: [], unreadable: [] };
  const at = (node: Node): string => `${file}:${lineOf(sf, node)}`;
  const resolved = (node: Node, spec: Node): string | undefined => {
    if (!isStringLiteral(spec)) { facts.unreadable.push(`${at(node)}: a module specifier that is not a string literal`); return undefined; }
    return target(file, spec.text);
  };
  const use = (to: string, name: string): void => { facts.uses.push({ from: file, file: to, name }); };

  for (const st of sf.statements) {
    const declared = (st as Node & { readonly name?: Node }).name;
    if (declared !== undefined && isIdentifier(declared)) facts.privateRefs.set(declared.text, signatureRefs(st));
    if (isImportDeclaration(st)) {
      const to = resolved(st, st.moduleSpecifier);
      const clause = st.importClause;
      if (to === undefined || clause === undefined) continue;
      if (clause.name !== undefined) use(to, 'default');
      const bindings = clause.namedBindings;
      if (bindings === undefined) continue;
      if (isNamespaceImport(bindings)) for (const name of namesTakenFrom(sf, bindings.name.text, bindings.name)) use(to, name);
      else if (isNamedImports(bindings)) for (const el of bindings.elements) use(to, (el.propertyName ?? el.name).text);
    } else if (isExportDeclaration(st)) {
      const to = st.moduleSpecifier === undefined ? undefined : resolved(st, st.moduleSpecifier);
      const clause = st.exportClause;
      if (clause === undefined) { if (to !== undefined) facts.stars.push(to); continue; }
      if (!isNamedExports(clause)) {
        // `export * as ns from`: the namespace is one export that forwards the whole module.
        if (to !== undefined) facts.exports.push({ file, name: clause.name.text, line: lineOf(sf, st), forwards: { file: to, name: '*' } });
        continue;
      }
      for (const el of clause.elements) {
        const name = el.name.text;
        const local = (el.propertyName ?? el.name).text;
        const forwards = st.moduleSpecifier === undefined ? undefined : (to === undefined ? undefined : { file: to, name: local });
        if (st.moduleSpecifier !== undefined && to === undefined) continue; // a package's export passed on: not ours to judge
        facts.exports.push(forwards === undefined ? { file, name, line: lineOf(sf, el) } : { file, name, line: lineOf(sf, el), forwards });
      }
    } else if (isExportAssignment(st)) {
      facts.exports.push({ file, name: 'default', line: lineOf(sf, st) });
    } else if ('modifierFlags' in st && ((st.modifierFlags as ModifierFlags) & ModifierFlags.Export) !== 0) {
      const flags = st.modifierFlags as ModifierFlags;
      if ((flags & ModifierFlags.Default) !== 0) { facts.exports.push({ file, name: 'default', line: lineOf(sf, st) }); continue; }
      const refs = signatureRefs(st);
      if (isVariableStatement(st)) {
        for (const decl of st.declarationList.declarations) {
          walk(decl.name, (n) => { if (isIdentifier(n) && (n.parent === decl || isBindingElement(n.parent) && n.parent.name === n)) facts.exports.push({ file, name: n.text, line: lineOf(sf, n), refs }); });
        }
      } else {
        const name = (st as Node & { readonly name?: Node }).name;
        const isType = st.kind === SyntaxKind.InterfaceDeclaration || st.kind === SyntaxKind.TypeAliasDeclaration;
        if (name !== undefined && isIdentifier(name)) facts.exports.push({ file, name: name.text, line: lineOf(sf, st), isType, refs });
        else facts.unreadable.push(`${at(st)}: an exported ${SyntaxKind[st.kind]} without a plain name`);
      }
    }
  }

  // Dynamic imports and `import('./x.js').T` types can sit anywhere in the file.
  walk(sf, (n) => {
    if (isCallExpression(n) && n.expression.kind === SyntaxKind.ImportKeyword) {
      const spec = n.arguments[0];
      const to = spec === undefined ? undefined : resolved(n, spec);
      if (to === undefined) return;
      const names = dynamicNames(sf, n);
      if (names === undefined) facts.unreadable.push(`${at(n)}: import('${relative('src', to)}') used in a way this test cannot follow; take names by destructuring or property access`);
      else for (const name of names) use(to, name);
    } else if (isImportTypeNode(n) && isLiteralTypeNode(n.argument) && isStringLiteral(n.argument.literal)) {
      const to = target(file, n.argument.literal.text);
      if (to === undefined) return;
      let q = n.qualifier;
      while (q !== undefined && isQualifiedName(q)) q = q.left;
      use(to, q !== undefined && isIdentifier(q) ? q.text : '*');
    }
  });
  return facts;
}

/**
 * Every export of src/ that no other file of src/ or bin/ imports, as `<file>:<name>` (line), except
 * types in the signature of an export that is imported.
 */
function unusedExports(modules: ReadonlyMap<string, ModuleFacts>): { unused: Map<string, number>; problems: string[] } {
  const problems: string[] = [];
  const used = new Set<string>();
  const key = (file: string, name: string): string => `${file}:${name}`;

  /** Marks `name` of `file` used, following forwards and `export *` to the declaration. */
  const mark = (file: string, name: string, by: string, seen = new Set<string>()): void => {
    if (seen.has(key(file, name))) return;
    seen.add(key(file, name));
    const mod = modules.get(file);
    if (mod === undefined) { problems.push(`${by} imports ${file}, which is not a source file`); return; }
    if (name === '*') {
      for (const e of mod.exports) mark(file, e.name, by, seen);
      for (const star of mod.stars) mark(star, '*', by, seen);
      return;
    }
    const own = mod.exports.find((e) => e.name === name);
    if (own !== undefined) {
      used.add(key(file, name));
      if (own.forwards !== undefined) mark(own.forwards.file, own.forwards.name, by, seen);
      return;
    }
    for (const star of mod.stars) {
      const before = used.size;
      mark(star, name, by, seen);
      if (used.size > before) return;
    }
    problems.push(`${by} imports ${name} from ${file}, which does not export it`);
  };

  for (const mod of modules.values()) for (const u of mod.uses) if (u.file !== u.from) mark(u.file, u.name, u.from);

  // A type the signature of a used export names (directly or through the file's private types) is
  // part of that export's contract: callers, tests included, may name it, so it stays exported
  // though no other file of src/ imports it.
  for (const [file, mod] of modules) {
    const types = new Map(mod.exports.filter((e) => e.isType === true).map((e) => [e.name, e]));
    const queue = mod.exports.filter((e) => used.has(key(file, e.name))).map((e) => e.refs ?? []);
    const seen = new Set<string>();
    for (let refs = queue.pop(); refs !== undefined; refs = queue.pop()) {
      for (const ref of refs) {
        if (seen.has(ref)) continue;
        seen.add(ref);
        const type = types.get(ref);
        if (type !== undefined) { used.add(key(file, ref)); queue.push(type.refs ?? []); }
        else queue.push(mod.privateRefs.get(ref) ?? []);
      }
    }
  }

  const unused = new Map<string, number>();
  for (const [file, mod] of modules) {
    if (!file.startsWith('src/')) continue;
    for (const e of mod.exports) if (!used.has(key(file, e.name))) unused.set(`${file.slice('src/'.length)}:${e.name}`, e.line);
    problems.push(...mod.unreadable);
  }
  return { unused, problems };
}

function sourceFiles(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path, ext);
    return ext.test(e.name) ? [path] : [];
  });
}

// A project of exactly src/ and bin/, so the compiler parses nothing else; it lives only in memory.
const CONFIG = join(ROOT, 'tsconfig.exports-integrity.json');
const api = new API({
  cwd: ROOT,
  fs: {
    readFile: (f) => (f === CONFIG
      ? JSON.stringify({ extends: './tsconfig.json', compilerOptions: { allowJs: true, noEmit: true }, include: ['src', 'bin'] })
      : undefined),
    fileExists: (f) => (f === CONFIG ? true : undefined),
  },
});
afterAll(() => api.close());

function readProject(): Map<string, ModuleFacts> {
  const project = api.updateSnapshot({ openProjects: [CONFIG] }).getProject(CONFIG);
  if (project === undefined) throw new Error(`the compiler did not open ${CONFIG}`);
  const modules = new Map<string, ModuleFacts>();
  for (const file of [...sourceFiles('src', /\.ts$/), ...sourceFiles('bin', /\.js$/)]) {
    const sf = project.program.getSourceFile(join(ROOT, file));
    if (sf === undefined) throw new Error(`the compiler did not parse ${file}`);
    modules.set(file, read(sf, file));
  }
  return modules;
}

const MODULES = readProject();
const RESULT = unusedExports(MODULES);

describe('exports of src/ are used by the product (not only by tests)', () => {
  it('reads the modules and imports it judges', () => {
    // A reader that stopped seeing imports would report everything; one that stopped seeing exports, nothing.
    expect(MODULES.size).toBeGreaterThan(200);
    const exports = [...MODULES.values()].reduce((n, m) => n + m.exports.length, 0);
    expect(exports).toBeGreaterThan(800);
    const bin = MODULES.get(join('bin', 'tlsproof.js'));
    expect(bin?.uses).toContainEqual({ from: join('bin', 'tlsproof.js'), file: 'src/cli/index.ts', name: 'main' });
    // Dynamic imports are followed to the names taken from them.
    expect(MODULES.get('src/report/formats/pdf.ts')?.uses).toContainEqual({ from: 'src/report/formats/pdf.ts', file: 'src/report/pdf/render.ts', name: 'pdfRenderer' });
  });

  it('follows barrels, `export *` and signature types the way the rule says', () => {
    const mod = (exports: ExportEntry[], uses: Use[] = [], stars: string[] = []): ModuleFacts => ({ exports, stars, privateRefs: new Map(), uses, unreadable: [] });
    const modules = new Map([
      ['src/a.ts', mod([
        { file: 'src/a.ts', name: 'used', line: 1 },
        { file: 'src/a.ts', name: 'onlyThroughBarrel', line: 2 },
        { file: 'src/a.ts', name: 'Options', line: 3, isType: true },
        { file: 'src/a.ts', name: 'run', line: 4, refs: ['Options'] },
        { file: 'src/a.ts', name: 'Unrelated', line: 5, isType: true },
      ])],
      ['src/barrel.ts', mod([{ file: 'src/barrel.ts', name: 'onlyThroughBarrel', line: 1, forwards: { file: 'src/a.ts', name: 'onlyThroughBarrel' } }], [], ['src/a.ts'])],
      ['src/b.ts', mod([], [{ from: 'src/b.ts', file: 'src/a.ts', name: 'used' }, { from: 'src/b.ts', file: 'src/barrel.ts', name: 'run' }])],
    ]);
    const result = unusedExports(modules);
    expect(result.problems).toEqual([]);
    expect([...result.unused.keys()].sort()).toEqual(['a.ts:Unrelated', 'a.ts:onlyThroughBarrel', 'barrel.ts:onlyThroughBarrel']);
  });

  it('every module reference can be followed', () => {
    expect(RESULT.problems).toEqual([]);
  });

  it('no export is unused outside its file, except the allowed ones', () => {
    const listed = [...RESULT.unused].filter(([k]) => !ALLOWED_KEYS.has(k)).map(([k, line]) => `${k} (line ${line})`);
    expect(listed).toEqual([]);
  });

  it('the allow-list names only exports that exist and are still unused', () => {
    expect([...ALLOWED_KEYS.keys()].filter((k) => !RESULT.unused.has(k))).toEqual([]);
  });
});
