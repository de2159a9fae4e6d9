/**
 * The HTML renderer: ReportModel → one self-contained HTML file (stylesheet and script inlined,
 * no external resources, a Content-Security-Policy that allows only the inlined script's hash).
 *
 * Templates are Handlebars files under `templates/html/` (see TEMPLATE_FILES). `opts.templatesDir`
 * may override any of them by relative path; anything else in that folder is an error, and so is
 * a file that resolves outside it. Templates are compiled in strict mode with escaping on, and
 * every template error names the file and line it comes from. The built-in set is compiled once
 * per process; an override set is read and compiled on each render so edits show up.
 */
import Handlebars from 'handlebars';
import { existsSync } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../../package-root.js';
import { CAPS, FileRefusedError, readBounded } from '../../fs-guard.js';
import { ReportError } from '../../errors.js';
import { REPORT } from '../messages.js';
import type { ReportModel } from '../../model/report-model.js';
import type { RenderOptions, Renderer } from '../types.js';
import type { ReportConfig } from '../../config/schema.js';
import { applyConfig, configOrDefault } from '../config.js';
import { registerHelpers } from './helpers.js';
import { PARTIAL_NAMES, SECTION_PARTIALS } from './sections.js';
import { indexModel } from './lookups.js';
import { inlineAssets } from './csp.js';
import { configView } from './config-view.js';

/** Every built-in file, by the relative path an override must use. */
export const TEMPLATE_FILES: readonly string[] = [
  'report.hbs', 'report.css', 'report.js', ...PARTIAL_NAMES.map((n) => `partials/${n}.hbs`),
];

type HandlebarsInstance = ReturnType<typeof Handlebars.create>;
type Template = Handlebars.TemplateDelegate<ReportModel>;

interface TemplateFile {
  /** Relative path, one of TEMPLATE_FILES. */
  readonly name: string;
  /** Where it was read from, as shown in error messages. */
  readonly origin: string;
  readonly source: string;
}

interface CompiledReport {
  render(model: ReportModel, config: ReportConfig): string;
}

/**
 * The package's `templates/html` folder, in the tlsproof package folder above `from`
 * (src/package-root.ts), so it works from src/ (vitest) and from dist/src/ (the built CLI).
 */
export function builtinTemplatesDir(from: string = fileURLToPath(import.meta.url)): string {
  const root = findPackageRoot(path.dirname(from));
  const templates = root === undefined ? undefined : path.join(root.dir, 'templates', 'html');
  if (templates === undefined || !existsSync(templates)) {
    throw new ReportError('template-error', { from }, REPORT.noBuiltInTemplates(from));
  }
  return templates;
}

function errorLocation(err: unknown): { line?: number; column?: number } {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as { lineNumber?: unknown; column?: unknown; message?: unknown };
  if (typeof e.lineNumber === 'number') {
    // Handlebars columns are 0-based; editors count from 1.
    return typeof e.column === 'number' ? { line: e.lineNumber, column: e.column + 1 } : { line: e.lineNumber };
  }
  const m = typeof e.message === 'string' ? /on line (\d+)/.exec(e.message) : null;
  return m?.[1] ? { line: Number(m[1]) } : {};
}

function templateError(file: TemplateFile, err: unknown): ReportError {
  if (err instanceof ReportError && err.code === 'template-error') return err;
  const { line, column } = errorLocation(err);
  const raw = err instanceof Error ? err.message : String(err);
  const reason = raw
    .replace(/ - \d+:\d+$/, '')
    .replace(/ not defined in \[object Object\]$/, ' is not a field here (templates are strict: every field must exist in the ReportModel)');
  const where = [file.origin, line, column].filter((x) => x !== undefined).join(':');
  return new ReportError('template-error', { file: file.name, path: file.origin, line: line ?? null, column: column ?? null },
    REPORT.templateFault(where, reason), { cause: err });
}

/** Attributes any error raised while `fn` runs to `file`, unless an inner partial already claimed it. */
function attributed(file: TemplateFile, fn: Template): Template {
  return (context, options) => {
    try {
      const out = fn(context, options);
      // Handlebars builds output by `+=`, so a partial's result is a rope of hundreds of tiny
      // strings. Reading a character makes V8 flatten it into one; without this, thousands of
      // endpoint ropes stay live until the end and garbage collection took ~60 % of a large
      // render and grew faster than the endpoint count.
      out.charCodeAt(0);
      return out;
    } catch (err) {
      throw templateError(file, err);
    }
  };
}

function compile(hb: HandlebarsInstance, file: TemplateFile): Template {
  try {
    // Parse now so syntax errors surface at load time, not halfway through a render.
    hb.parse(file.source);
  } catch (err) {
    throw templateError(file, err);
  }
  // preventIndent: an indented `{{> partial}}` would otherwise re-indent every output line,
  // including evidence excerpts inside <pre>.
  return attributed(file, hb.compile<ReportModel>(file.source, { strict: true, preventIndent: true }));
}

/**
 * The stylesheet with its escapes decoded as the browser's CSS tokenizer decodes them
 * (`@\69mport` is `@import`, `u\72l(` is `url(`), so the self-contained check cannot be dodged
 * by spelling a keyword with escapes. (A comment cannot split a
 * keyword, so comments need no decoding.)
 */
function cssForCheck(source: string): string {
  return source.replace(/\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([^\n\r\f0-9a-fA-F]))/g, (_m, hex: string | undefined, ch: string | undefined) => {
    if (hex === undefined) return ch ?? '';
    const cp = Number.parseInt(hex, 16);
    return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
  });
}

function checkAssets(css: TemplateFile, script: TemplateFile): void {
  if (/<\/style/i.test(css.source)) {
    throw new ReportError('template-error', { file: css.name, path: css.origin }, REPORT.styleEndTag(css.origin));
  }
  // The report must open without a network: the CSP would block these anyway, silently.
  if (/@import\b|url\(\s*['"]?(?!data:)|image-set\(\s*['"](?!data:)/i.test(cssForCheck(css.source))) {
    throw new ReportError('template-error', { file: css.name, path: css.origin }, REPORT.styleNotSelfContained(css.origin));
  }
  if (/<\/script/i.test(script.source)) {
    throw new ReportError('template-error', { file: script.name, path: script.origin }, REPORT.scriptEndTag(script.origin));
  }
}

function compileSet(files: ReadonlyMap<string, TemplateFile>): CompiledReport {
  const get = (name: string): TemplateFile => {
    const f = files.get(name);
    if (!f) throw new ReportError('template-error', { file: name }, REPORT.builtInMissing(name));
    return f;
  };
  const css = get('report.css');
  const script = get('report.js');
  checkAssets(css, script);
  const hb = Handlebars.create();
  registerHelpers(hb, inlineAssets(css.source, script.source));
  for (const name of PARTIAL_NAMES) hb.registerPartial(name, compile(hb, get(`partials/${name}.hbs`)));
  const main = compile(hb, get('report.hbs'));
  return { render: (model, config) => main(model, { data: { config: configView(model, config) } }) };
}

async function readBuiltins(): Promise<Map<string, TemplateFile>> {
  const dir = builtinTemplatesDir();
  const files = new Map<string, TemplateFile>();
  await Promise.all(TEMPLATE_FILES.map(async (name) => {
    const file = path.join(dir, ...name.split('/'));
    try {
      files.set(name, { name, origin: `templates/html/${name}`, source: await readFile(file, 'utf8') });
    } catch (err) {
      throw new ReportError('template-error', { file: name, path: file }, REPORT.builtInUnreadable(file), { cause: err });
    }
  }));
  return files;
}

function unknownFile(dir: string, rel: string): ReportError {
  return new ReportError('template-error', { file: rel, dir, valid: TEMPLATE_FILES },
    REPORT.unknownTemplate(dir, rel, TEMPLATE_FILES));
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Reads the override files in `dir`. Symlinks are followed only when they resolve inside the
 * folder, so an override set can never pull in a file from elsewhere on the machine.
 */
async function readOverrides(dir: string): Promise<Map<string, TemplateFile>> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new ReportError('template-error', { dir }, REPORT.templateFolderMissing(dir), { cause: err });
  }
  const found = new Map<string, TemplateFile>();
  const walk = async (relDir: string): Promise<void> => {
    const entries = (await readdir(path.join(root, relDir))).sort();
    for (const entry of entries) {
      const rel = relDir === '' ? entry : `${relDir}/${entry}`;
      const shown = path.join(dir, rel);
      let real: string;
      try {
        real = await realpath(path.join(root, rel));
      } catch (err) {
        throw new ReportError('template-error', { file: rel, dir }, REPORT.templateUnresolved(shown), { cause: err });
      }
      if (!isInside(root, real)) {
        throw new ReportError('template-error', { file: rel, dir, resolved: real },
          REPORT.templateOutside(shown, real, dir));
      }
      const info = await stat(real);
      if (info.isDirectory()) {
        if (rel !== 'partials') throw unknownFile(dir, `${rel}/`);
        await walk(rel);
      } else if (TEMPLATE_FILES.includes(rel)) {
        let source: string;
        try {
          source = (await readBounded(real, { option: '--templates file', maxBytes: CAPS.template })).toString('utf8');
        } catch (err) {
          throw new ReportError('template-error', { file: rel, dir }, err instanceof FileRefusedError ? err.message : REPORT.templateUnreadable(shown, String(err)), { cause: err });
        }
        found.set(rel, { name: rel, origin: shown, source });
      } else {
        throw unknownFile(dir, rel);
      }
    }
  };
  await walk('');
  return found;
}

let builtin: Promise<CompiledReport> | undefined;

function builtinReport(): Promise<CompiledReport> {
  if (!builtin) {
    const loading = readBuiltins().then(compileSet);
    // A failed load is not cached: the next render retries instead of replaying the error forever.
    loading.catch(() => { if (builtin === loading) builtin = undefined; });
    builtin = loading;
  }
  return builtin;
}

async function reportFor(opts: RenderOptions): Promise<CompiledReport> {
  const dir = opts.templatesDir ?? opts.config?.templatesDir;
  if (dir === undefined) return builtinReport();
  const [base, overrides] = await Promise.all([readBuiltins(), readOverrides(dir)]);
  for (const [name, file] of overrides) base.set(name, file);
  return compileSet(base);
}

/** Renders `model` to an HTML string. Same model and templates → same string. */
export async function renderHtml(model: ReportModel, opts: RenderOptions = {}): Promise<string> {
  const report = await reportFor(opts);
  const config = configOrDefault(opts.config);
  const configured = applyConfig(model, config);
  indexModel(configured);
  return report.render(configured, config);
}

export const htmlRenderer: Renderer = {
  async render(model, opts) {
    return new TextEncoder().encode(await renderHtml(model, opts));
  },
};
