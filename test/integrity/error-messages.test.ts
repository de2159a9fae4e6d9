/**
 * One error model: the prose a user reads lives in one messages module per layer (src/<layer>/
 * messages.ts, src/messages.ts for the root utilities). This test parses every file under src/
 * and fails when, outside those modules, an error the CLI prints (ReportError, or the
 * FileRefusedError whose message it passes on) is given a string or template literal as its message — directly, or through a
 * throw helper of the same file that passes one of its parameters on as the message.
 *
 * A literal handed to a helper counts only when it reads as prose (it has a space): option names
 * and codes such as '--out' or 'ENOSPC' are data.
 *
 * Other user-facing prose that is not an error is held to the same rule, each kind by its shape:
 * - a check of `tlsproof store verify` (an object with `ok` and `detail`) given its detail inline;
 * - an input problem (an object with `code` and `message`) given its message inline, directly or
 *   through a function or method of the file that passes its parameter on as the message: the
 *   per-row problems the report's appendix and the terminal list;
 * - a line written to the terminal's stdout (`io.stdout(…)`) with words of its own in it, or pushed
 *   onto the lines of a listing the command line prints (`out.push(…)` under cli/);
 * - prose returned by a function of the file whose result is spliced into a messages function
 *   (the words of fs-guard's describeKind, "a FIFO (named pipe)", once were).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseSync, Visitor } from 'vite';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/**
 * The errors whose message the CLI prints, and which argument it is: ReportError, and
 * FileRefusedError, whose message a ReportError passes on.
 */
const MESSAGE_ARG: Readonly<Record<string, number>> = { ReportError: 2, FileRefusedError: 3 };
const isErrorClass = (name: string): boolean => Object.hasOwn(MESSAGE_ARG, name);

/**
 * Files that still write their prose inline, each for a reason given here. The list must stay
 * exact: a file that no longer offends must leave it, so it can only shrink.
 */
const KNOWN_INLINE: Readonly<Record<string, string>> = {
};

/**
 * The listings the diff command and the exceptions check print (a comparison, the findings an
 * exception matched) are still laid out with their words inline; moving them is the
 * next step.
 */
const LISTING = 'listing lines not yet moved to cli/messages.ts';

/** The same, for the other kinds of prose (keyed `rule file`); it too can only shrink. */
const KNOWN_INLINE_PROSE: Readonly<Record<string, string>> = {
  'listing cli/commands/diff.ts': LISTING,
  'listing cli/commands/exceptions.ts': LISTING,
};

// The parser's ESTree nodes, as loosely as this test reads them.
interface Node { readonly type: string; readonly start: number; readonly end: number; readonly [key: string]: unknown }
const loose = (n: unknown): Node => n as Node;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * A layer's messages module: `messages.ts` in its folder. The pipeline, a layer of one file at the
 * root beside the root utilities (whose prose is src/messages.ts), keeps its own in pipeline-messages.ts.
 */
export function isMessagesModule(rel: string): boolean {
  return basename(rel) === 'messages.ts' || rel === 'pipeline-messages.ts';
}

/** Unwraps parentheses and type assertions, which do not change what the value is. */
function bare(node: Node): Node {
  let n = node;
  while (['ParenthesizedExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression'].includes(n.type)) {
    n = n['expression'] as Node;
  }
  return n;
}

/**
 * The string or template literals the expression evaluates to, through concatenation and `?:`/`??`
 * but not into a call's arguments (a call to a messages function is the allowed form).
 */
function literalsIn(node: Node | undefined): Node[] {
  if (node === undefined || node === null) return [];
  const n = bare(node);
  switch (n.type) {
    case 'Literal': return typeof n['value'] === 'string' ? [n] : [];
    case 'TemplateLiteral': case 'TaggedTemplateExpression': return [n];
    case 'BinaryExpression': case 'LogicalExpression': return [...literalsIn(n['left'] as Node), ...literalsIn(n['right'] as Node)];
    case 'ConditionalExpression': return [...literalsIn(n['consequent'] as Node), ...literalsIn(n['alternate'] as Node)];
    default: return [];
  }
}

/** A node as a program the visitor can walk (it walks programs only). */
function wrap(node: Node): never {
  const statement = node.type === 'BlockStatement' ? node : { type: 'ExpressionStatement', expression: node };
  return { type: 'Program', body: [statement], sourceType: 'module', hashbang: null, comments: [], directives: [], start: 0, end: 0 } as never;
}

/** Identifiers mentioned anywhere inside an expression. */
function identifiersIn(node: Node): Set<string> {
  const names = new Set<string>();
  new Visitor({ Identifier(id) { names.add(id.name); } }).visit(wrap(node));
  return names;
}

function paramName(p: Node): string | undefined {
  if (p.type === 'Identifier') return p['name'] as string;
  if (p.type === 'AssignmentPattern') return paramName(p['left'] as Node);
  if (p.type === 'TSParameterProperty') return paramName(p['parameter'] as Node);
  return undefined;
}

function errorConstructions(body: Node): Node[] {
  const found: Node[] = [];
  new Visitor({
    NewExpression(n) {
      if (n.callee.type === 'Identifier' && isErrorClass(n.callee.name)) found.push(loose(n));
    },
  }).visit(wrap(body));
  return found;
}

/** Parameter indexes that end up in an error's message, per function name; `exported` holds the exported ones. */
function helpersOf(program: unknown): { all: Map<string, number[]>; exported: Map<string, number[]> } {
  const exported = new Set<string>();
  const helpers = new Map<string, number[]>();
  const noteHelper = (name: string | undefined, fn: Node): void => {
    if (name === undefined) return;
    const params = (fn['params'] as Node[]).map(paramName);
    // A message built in a local first (`const text = \`${file}: ${message}\``) still comes from the parameter.
    const locals = new Map<string, Set<string>>();
    new Visitor({
      VariableDeclarator(d) {
        if (d.id.type === 'Identifier' && d.init !== null) locals.set(d.id.name, identifiersIn(loose(d.init)));
      },
    }).visit(wrap(fn['body'] as Node));
    const indexes = new Set<number>();
    for (const ctor of errorConstructions(fn['body'] as Node)) {
      const message = (ctor['arguments'] as Node[])[MESSAGE_ARG[(ctor['callee'] as Node)['name'] as string]!];
      if (message === undefined) continue;
      const used = identifiersIn(message);
      for (const name of [...used]) for (const inner of locals.get(name) ?? []) used.add(inner);
      params.forEach((p, i) => { if (p !== undefined && used.has(p)) indexes.add(i); });
    }
    if (indexes.size > 0) helpers.set(name, [...indexes]);
  };
  new Visitor({
    ExportNamedDeclaration(n) { if (n.declaration?.type === 'FunctionDeclaration' && n.declaration.id) exported.add(n.declaration.id.name); },
    FunctionDeclaration(n) { noteHelper(n.id?.name, loose(n)); },
    VariableDeclarator(n) {
      if (n.init !== null && (n.init.type === 'ArrowFunctionExpression' || n.init.type === 'FunctionExpression') && n.id.type === 'Identifier') {
        noteHelper(n.id.name, loose(n.init));
      }
    },
  }).visit(program as never);
  return { all: helpers, exported: new Map([...helpers].filter(([name]) => exported.has(name))) };
}

export type Rule = 'error' | 'check-detail' | 'input-problem' | 'stdout' | 'listing' | 'returned-words';
export interface Offence { readonly rule: Rule; readonly file: string; readonly line: number; readonly text: string }

/** Static text with words in it: a literal, or the fixed parts of a template, that has letters. */
function hasWords(lit: Node, text: string): boolean {
  if (lit.type === 'Literal') return /[A-Za-z]{2}/.test(lit['value'] as string);
  if (lit.type === 'TemplateLiteral') {
    const fixed = (lit['quasis'] as Node[]).map((q) => (q['value'] as { raw: string }).raw).join(' ');
    if (/[A-Za-z]{2}/.test(fixed)) return true;
    // Words chosen inside the template (`${ok ? 'ok' : 'FAIL'}`) are words too.
    return (lit['expressions'] as Node[]).some((e) => literalsIn(e).some((l) => hasWords(l, text)));
  }
  return /[A-Za-z]{2}/.test(text.slice(lit.start, lit.end));
}

/** The value of an object literal's property `key` (written `key: value` or as shorthand), if it has one. */
function property(obj: Node, key: string): Node | undefined {
  for (const p of obj['properties'] as Node[]) {
    if (p.type !== 'Property') continue;
    const k = p['key'] as Node;
    if ((k.type === 'Identifier' && k['name'] === key) || (k.type === 'Literal' && k['value'] === key)) return p['value'] as Node;
  }
  return undefined;
}

/** Local names bound by `import … from '…/messages.js'` (or pipeline-messages.js). */
function messagesImports(program: unknown): Set<string> {
  const names = new Set<string>();
  new Visitor({
    ImportDeclaration(d) {
      if (!/(^|\/|-)messages\.js$/.test(d.source.value)) return;
      for (const s of d.specifiers) names.add(s.local.name);
    },
  }).visit(program as never);
  return names;
}

/** Every place in one source text where prose is written outside a messages module. */
export function offences(rel: string, text: string, shared: ReadonlyMap<string, number[]> = new Map()): Offence[] {
  if (isMessagesModule(rel)) return [];
  const program = parseSync(rel, text, { lang: 'ts', sourceType: 'module' }).program;
  const lineOf = (pos: number): number => text.slice(0, pos).split('\n').length;
  const out: Offence[] = [];
  const report = (n: Node, what: string, rule: Rule = 'error'): void => {
    out.push({ rule, file: rel, line: lineOf(n.start), text: `${what}: ${text.slice(n.start, Math.min(n.end, n.start + 60))}` });
  };
  const wordsIn = (n: Node | undefined): Node[] => literalsIn(n).filter((l) => hasWords(l, text));
  // An input problem: `code` and `message` (a reader's own failure record has no more; the context adds the rest).
  const problemMessage = (obj: Node): Node | undefined =>
    property(obj, 'code') !== undefined ? property(obj, 'message') : undefined;

  // Problem helpers: functions and methods of this file whose parameter becomes a problem's message (`this.fail(code, message)`).
  const problemHelpers = new Map<string, number[]>();
  const noteProblemHelper = (name: string | undefined, fn: Node): void => {
    if (name === undefined || fn['body'] === null || fn['body'] === undefined) return;
    const params = (fn['params'] as Node[]).map(paramName);
    const indexes = new Set<number>();
    new Visitor({
      ObjectExpression(o) {
        const message = problemMessage(loose(o));
        if (message === undefined) return;
        const used = identifiersIn(message);
        params.forEach((p, i) => { if (p !== undefined && used.has(p)) indexes.add(i); });
      },
    }).visit(wrap(fn['body'] as Node));
    if (indexes.size > 0) problemHelpers.set(name, [...indexes]);
  };
  new Visitor({
    FunctionDeclaration(n) { noteProblemHelper(n.id?.name, loose(n)); },
    MethodDefinition(m) { if (m.key.type === 'Identifier') noteProblemHelper(m.key.name, loose(m.value)); },
    VariableDeclarator(d) {
      if (d.id.type === 'Identifier' && d.init !== null && (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression')) {
        noteProblemHelper(d.id.name, loose(d.init));
      }
    },
  }).visit(program);

  // Functions of this file whose result a messages function is given (`FILES.notRegular(…, describeKind(info))`).
  const fromMessages = messagesImports(program);
  const spliced = new Set<string>();
  new Visitor({
    CallExpression(n) {
      const callee = loose(n.callee);
      if (callee.type !== 'MemberExpression') return;
      const object = callee['object'] as Node;
      if (object.type !== 'Identifier' || !fromMessages.has(object['name'] as string)) return;
      for (const a of n.arguments) {
        const arg = bare(loose(a));
        if (arg.type === 'CallExpression' && (arg['callee'] as Node).type === 'Identifier') spliced.add((arg['callee'] as Node)['name'] as string);
      }
    },
  }).visit(program);
  const returnsOf = (fn: Node): Node[] => {
    const body = fn['body'] as Node;
    if (body.type !== 'BlockStatement') return [body];
    const found: Node[] = [];
    new Visitor({ ReturnStatement(r) { if (r.argument !== null) found.push(loose(r.argument)); } }).visit(wrap(body));
    return found;
  };
  const judgeSpliced = (name: string | undefined, fn: Node): void => {
    if (name === undefined || !spliced.has(name)) return;
    for (const r of returnsOf(fn)) for (const lit of wordsIn(r)) report(lit, `words returned by ${name}`, 'returned-words');
  };

  // What each variable of the file starts as (names are few and plain enough that scope can be ignored).
  const initOf = new Map<string, Node>();
  new Visitor({
    VariableDeclarator(d) { if (d.id.type === 'Identifier' && d.init !== null) initOf.set(d.id.name, loose(d.init)); },
  }).visit(program);

  // Throw helpers: functions of this file, or exported by another, whose error message is built from one of their parameters.
  const helpers = new Map([...shared, ...helpersOf(program).all]);

  new Visitor({
    NewExpression(n) {
      if (n.callee.type !== 'Identifier' || !isErrorClass(n.callee.name)) return;
      const message = loose(n.arguments[MESSAGE_ARG[n.callee.name]!]);
      // A message first kept in a variable of this file is judged by what the variable holds.
      const held = message !== undefined && message.type === 'Identifier' ? initOf.get(message['name'] as string) : undefined;
      for (const lit of literalsIn(held ?? message)) report(lit, `new ${n.callee.name} message`);
    },
    FunctionDeclaration(n) { judgeSpliced(n.id?.name, loose(n)); },
    VariableDeclarator(d) {
      if (d.id.type === 'Identifier' && d.init !== null && (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression')) {
        judgeSpliced(d.id.name, loose(d.init));
      }
    },
    ObjectExpression(o) {
      const obj = loose(o);
      const detail = property(obj, 'detail');
      if (detail !== undefined && property(obj, 'ok') !== undefined) {
        for (const lit of wordsIn(detail)) report(lit, 'check detail', 'check-detail');
      }
      for (const lit of wordsIn(problemMessage(obj))) report(lit, 'input problem message', 'input-problem');
    },
    CallExpression(n) {
      const callee = loose(n.callee);
      if (callee.type === 'MemberExpression' && (callee['property'] as Node)['name'] === 'stdout') {
        for (const lit of wordsIn(loose(n.arguments[0]))) report(lit, 'stdout line', 'stdout');
      }
      // The command line's listings (controls, explain, history show) gather their lines in an array before printing it.
      if (rel.startsWith('cli/') && callee.type === 'MemberExpression' && (callee['property'] as Node)['name'] === 'push') {
        for (const a of n.arguments) for (const lit of wordsIn(loose(a))) report(lit, 'listing line', 'listing');
      }
      // A problem helper called by name, or as a method of this (`this.fail('doctype', 'the file declares …')`).
      const helperName = callee.type === 'Identifier' ? callee['name'] as string
        : callee.type === 'MemberExpression' && (callee['object'] as Node).type === 'ThisExpression' ? (callee['property'] as Node)['name'] as string : undefined;
      for (const i of (helperName === undefined ? undefined : problemHelpers.get(helperName)) ?? []) {
        for (const lit of wordsIn(loose(n.arguments[i]))) report(lit, `problem message passed to ${helperName!}`, 'input-problem');
      }
      const name = n.callee.type === 'Identifier' ? n.callee.name : undefined;
      const indexes = name === undefined ? undefined : helpers.get(name);
      if (indexes === undefined) return;
      for (const i of indexes) {
        for (const lit of literalsIn(loose(n.arguments[i]))) {
          const value = lit.type === 'Literal' ? (lit['value'] as string) : text.slice(lit.start, lit.end);
          if (/\s/.test(value)) report(lit, `prose passed to ${name!}`);
        }
      }
    },
  }).visit(program);
  return out;
}

const FILES = sourceFiles(SRC).map((path) => relative(SRC, path));
const SOURCES = new Map(FILES.map((rel) => [rel, readFileSync(join(SRC, rel), 'utf8')]));
/** Throw helpers other files may call (e.g. output/staged.ts outputError, whose `kept` joins the message). */
const SHARED = new Map(FILES.flatMap((rel) => [...helpersOf(parseSync(rel, SOURCES.get(rel)!, { lang: 'ts', sourceType: 'module' }).program).exported]));
const ALL = FILES.flatMap((rel) => offences(rel, SOURCES.get(rel)!, SHARED));

describe('error prose lives in one messages module per layer', () => {
  it('reads the errors it judges', () => {
    // A parser or visitor that stopped finding constructions would make the rule pass vacuously.
    const constructions = FILES.reduce((n, rel) => n + (readFileSync(join(SRC, rel), 'utf8').match(/new (Report|FileRefused)Error\(/g)?.length ?? 0), 0);
    expect(constructions).toBeGreaterThan(100);
    expect(FILES.filter(isMessagesModule).length).toBeGreaterThan(5);
  });

  it('no error outside a messages module writes its own prose', () => {
    const unexplained = ALL.filter((o) => o.rule === 'error' && KNOWN_INLINE[o.file] === undefined).map((o) => `${o.file}:${o.line} ${o.text}`);
    expect(unexplained).toEqual([]);
  });

  it('no verify check, input problem, stdout line or spliced word outside a messages module writes its own prose', () => {
    const unexplained = ALL.filter((o) => o.rule !== 'error' && KNOWN_INLINE_PROSE[`${o.rule} ${o.file}`] === undefined)
      .map((o) => `${o.rule} ${o.file}:${o.line} ${o.text}`);
    expect(unexplained).toEqual([]);
  });

  it('every file listed as still inline still is (the lists only shrink)', () => {
    const stillInline = new Set(ALL.filter((o) => o.rule === 'error').map((o) => o.file));
    expect(Object.keys(KNOWN_INLINE).filter((f) => !stillInline.has(f))).toEqual([]);
    const stillProse = new Set(ALL.filter((o) => o.rule !== 'error').map((o) => `${o.rule} ${o.file}`));
    expect(Object.keys(KNOWN_INLINE_PROSE).filter((k) => !stillProse.has(k))).toEqual([]);
  });

  it('the rule catches each form of inline prose', () => {
    const src = [
      "import { MSG } from './messages.js';",
      "throw new ReportError('usage', {}, 'plain');",
      'throw new ReportError(\'usage\', {}, `template ${x}`);',
      "throw new ReportError('store-busy', {}, a + ' joined');",
      "throw new ReportError('usage', {}, ok ? 'one' : MSG.two());",
      "function fail(file: string, why: string): never { throw new ReportError('usage', { file }, MSG.wrap(file, why)); }",
      "fail(f, 'cannot be read');",
      "fail(f, '--out');",
      "throw new ReportError('usage', {}, MSG.fine(`${x} as data`));",
      'throw new ReportError(\'usage\', {}, err.message);',
      "const wrapped = (file: string, message: string) => { const text = `${file}: ${message}`; return new ReportError('usage', { file }, text); };",
      "throw wrapped(f, `${f} is not a font`);",
      "throw wrapped(f, MSG.notAFont(f));",
      "throw new FileRefusedError('too-large', p, '--out', `${p} is too large`);",
      "throw new FileRefusedError('too-large', p, '--out', FILES.tooLarge('--out', p, 9, '1 MiB'));",
    ].join('\n');
    expect(offences('x/thing.ts', src).map((o) => o.line)).toEqual([2, 3, 4, 5, 7, 11, 12, 14]);
    expect(offences('x/messages.ts', src)).toEqual([]);
  });

  it('the rules catch each kind of other inline prose', () => {
    const src = [
      "import { VERIFY } from './messages.js';",
      "checks.push({ id: 'file', ok: false, detail: 'The file is empty.' });",
      'checks.push({ id: \'file\', ok, detail: ok ? VERIFY.fine() : `run ${n}: broken` });',
      "checks.push({ id: 'file', ok: true, detail: VERIFY.isSqlite() });",
      "ctx.problem({ line, code: 'missing-host', effect: 'row-skipped', message: 'the \"Host\" field is empty' });",
      'ctx.problem({ code: \'no-records\', effect: \'file-skipped\', message: raw === \'\' ? PROBLEM.empty() : `port "${raw}" is not a number` });',
      "ctx.problem({ line, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.fieldEmpty('Host') });",
      "const other = { id: 'x', message: 'not a problem: it has no code' };",
      'io.stdout(`Wrote ${w}\\n`);',
      "io.stdout(ok ? 'The store is intact.\\n' : OUT.problems());",
      'io.stdout(`  ${ok ? \'ok  \' : \'FAIL\'}  ${id}\\n`);',
      'io.stdout(`${JSON.stringify(result, null, 2)}\\n`);',
      'io.stdout(OUT.wrote(w));',
      "function kind(info: Stats): string { if (info.isFIFO()) return 'a FIFO (named pipe)'; return FILE_KIND.other; }",
      "const size = (n: number) => `${n} bytes`;",
      "throw new FileRefusedError('not-regular', p, o, VERIFY.notRegular(o, p, kind(info), size(9)));",
      "function unused(): string { return 'words nobody splices'; }",
      "class R { fail(code: string, message: string) { this.ctx.problem({ line: 1, code, effect: 'row-skipped', message }); } }",
      "this.fail('doctype', 'the file declares a DOCTYPE');",
      "this.fail('doctype', PROBLEM.doctype());",
      "const failure = { code: truncated ? 'truncated' : 'malformed-xml', message: `the file ends${where}` };",
      "out.push('', `Linked from ${n} controls:`);",
      "out.push('', OUT.linked(n), `  ${id}`);",
    ].join('\n');
    const found = offences('x/thing.ts', src).map((o) => `${o.rule} ${o.line}`);
    expect(found).toEqual(['check-detail 2', 'check-detail 3', 'input-problem 5', 'input-problem 6', 'stdout 9', 'stdout 10', 'stdout 11',
      'returned-words 14', 'returned-words 15', 'input-problem 19', 'input-problem 21']);
    expect(offences('x/messages.ts', src)).toEqual([]);
    expect(offences('cli/commands/thing.ts', src).filter((o) => o.rule === 'listing').map((o) => o.line)).toEqual([22]);
  });

  it('follows a throw helper exported by another file', () => {
    const helper = "export function fail(err: unknown, path: string, kept?: string) { return new ReportError('usage', { path }, MSG.failed(path, kept)); }";
    const shared = helpersOf(parseSync('x/helper.ts', helper, { lang: 'ts', sourceType: 'module' }).program).exported;
    expect([...shared]).toEqual([['fail', [1, 2]]]);
    const caller = "throw fail(err, dir, `what is kept in ${dir}`);\nthrow fail(err, dir, MSG.kept(dir));";
    expect(offences('x/caller.ts', caller, shared).map((o) => o.line)).toEqual([1]);
    expect(SHARED.has('outputError')).toBe(true);
  });
});
