/**
 * Loads report.config.yaml: parse the YAML, validate it against ReportConfigFileSchema, read the
 * logo, resolve paths against the config file's folder and syntax-check the text blocks. Every
 * error is a ReportError that names the file and the key path ("report.config.yaml: colours.accent:
 * must be a colour written as #rrggbb").
 */
import Handlebars from 'handlebars';
import { existsSync } from 'node:fs';
import { CAPS, FileRefusedError, readBounded } from '../fs-guard.js';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { toJsBounded, YamlAliasLimitError } from '../yaml-bounded.js';
import type { z } from 'zod';
import { ReportError } from '../errors.js';
import { CONFIG } from './messages.js';
import { monthNumber } from '../model/period.js';
import { parseSvg, SvgParseError } from './svg.js';
import {
  ReportConfigFileSchema, SECTION_IDS, TEXT_BLOCK_IDS,
  type LogoMime, type ReportConfig, type ReportConfigFile,
} from './schema.js';

/** The file `--config` defaults to, looked up in the working directory. */
const DEFAULT_CONFIG_FILE = 'report.config.yaml';

/** Largest logo accepted; a cover logo is a few kilobytes, this catches a wrong file. */
/** Config with no file: built-in look, every section. */
export const EMPTY_CONFIG: ReportConfig = { source: 'built-in defaults', colours: {}, font: {}, text: {}, signOff: {}, remediationDeadlines: {} };

function configError(file: string, where: string | null, message: string, cause?: unknown): ReportError {
  // 'usage': a bad config is the user's input, reported without a stack trace (exit 2).
  return new ReportError('usage', { file, path: where }, CONFIG.at(file, where, message), cause === undefined ? undefined : { cause });
}

function issuePath(p: readonly PropertyKey[]): string {
  if (p.length === 0) return '(top level)';
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return CONFIG.unknownKeys(issue.keys);
  if (issue.code === 'invalid_value' && issue.path.at(-2) === 'sections') return CONFIG.notASection(SECTION_IDS);
  return issue.message;
}

/** Where `file` is, or the default config in `cwd` if present; undefined when neither applies. */
function configPathFor(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  const fallback = path.join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

/**
 * The config a report run uses: `--config FILE` when given (an error if unreadable), else
 * ./report.config.yaml when present, else undefined (built-in defaults).
 */
export async function resolveReportConfig(explicit: string | undefined, cwd: string): Promise<ReportConfig | undefined> {
  const file = configPathFor(explicit, cwd);
  return file === undefined ? undefined : loadReportConfig(file);
}

/** Parses and validates config text; `file` is used for messages and to resolve relative paths. */
export async function parseReportConfig(text: string, file: string): Promise<ReportConfig> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) throw configError(file, null, CONFIG.notYaml(yamlError.message), yamlError);
  let raw: unknown;
  try {
    raw = toJsBounded(doc, lineCounter) ?? {};
  } catch (err) {
    if (!(err instanceof YamlAliasLimitError)) throw err;
    const where = err.line === undefined ? file : `${file}:${err.line}:${err.column}`;
    throw new ReportError('usage', { file, line: err.line, column: err.column }, CONFIG.yamlLimit(where, err.message), { cause: err });
  }
  const parsed = ReportConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${issuePath(i.path)}: ${issueMessage(i)}`);
    const first = parsed.error.issues[0];
    throw new ReportError('usage', { file, path: first === undefined ? null : issuePath(first.path), issues: lines },
      CONFIG.invalid(file, lines));
  }
  return resolveConfig(parsed.data, file);
}

/** Reads, validates and resolves a report.config.yaml. */
export async function loadReportConfig(file: string): Promise<ReportConfig> {
  let text: string;
  try {
    text = (await readBounded(file, { option: '--config', maxBytes: CAPS.config })).toString('utf8');
  } catch (err) {
    if (err instanceof FileRefusedError) throw new ReportError('usage', { file, path: null, reason: err.reason }, err.message, { cause: err });
    throw configError(file, null, CONFIG.unreadable(), err);
  }
  return parseReportConfig(text, file);
}

/** `obj` without its undefined values (zod's optional keys read `T | undefined`). */
function defined<T extends object>(obj: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: { [K in keyof T]?: Exclude<T[K], undefined> } = {};
  if (obj === undefined) return out;
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) Object.assign(out, { [k]: v });
  return out;
}

function sniffImage(bytes: Uint8Array): LogoMime | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const head = new TextDecoder().decode(bytes.subarray(0, 1024));
  if (/<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return undefined;
}

/** The absolute path of a font the config names, after checking it is a single TrueType/OpenType font. */
async function fontFile(file: string, base: string, rel: string, key: string): Promise<string> {
  const fontPath = path.resolve(base, rel);
  let bytes: Buffer;
  try {
    bytes = await readBounded(fontPath, { option: `font file ${key}`, maxBytes: CAPS.font });
  } catch (err) {
    if (err instanceof FileRefusedError) throw configError(file, key, err.message, err);
    throw configError(file, key, CONFIG.fontUnreadable(fontPath), err);
  }
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  if (tag === 'ttcf') throw configError(file, key, CONFIG.fontCollection(fontPath));
  if (!(tag === '\u0000\u0001\u0000\u0000' || tag === 'true' || tag === 'OTTO')) {
    throw configError(file, key, CONFIG.notAFont(fontPath));
  }
  // The right first bytes are not enough: a damaged font passes them and then crashes the PDF
  // renderer mid-report. Load it the way the renderer will, and measure a few glyphs.
  try {
    const { default: PDFDocument } = await import('pdfkit');
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.registerFont('config-font-check', bytes);
    probe.font('config-font-check').widthOfString('Ag 1');
  } catch (err) {
    throw configError(file, key, CONFIG.fontBroken(fontPath, err instanceof Error ? err.message : String(err)), err);
  }
  return fontPath;
}

async function resolveConfig(c: ReportConfigFile, file: string): Promise<ReportConfig> {
  const base = path.dirname(path.resolve(file));
  let logo: ReportConfig['logo'];
  if (c.logo !== undefined) {
    const logoFile = path.resolve(base, c.logo);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readBounded(logoFile, { option: 'logo file', maxBytes: CAPS.logo }));
    } catch (err) {
      if (err instanceof FileRefusedError) throw configError(file, 'logo', err.message, err);
      throw configError(file, 'logo', CONFIG.logoUnreadable(logoFile), err);
    }
    const mime = sniffImage(bytes);
    if (mime === undefined) throw configError(file, 'logo', CONFIG.logoNotImage(logoFile));
    if (mime === 'image/svg+xml') {
      // Checked here, before any scanning, so a broken logo fails fast with its line and column.
      try {
        parseSvg(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch (err) {
        const why = err instanceof SvgParseError ? err.message : CONFIG.notUtf8();
        throw configError(file, 'logo', CONFIG.logoBadSvg(logoFile, why), err);
      }
    }
    logo = { file: logoFile, mime, bytes };
  }
  const font: { regular?: string; bold?: string; mono?: string; fallback?: string[]; family?: string } = {};
  if (c.font?.family !== undefined) font.family = c.font.family;
  for (const key of ['regular', 'bold', 'mono'] as const) {
    const rel = c.font?.[key];
    if (rel !== undefined) font[key] = await fontFile(file, base, rel, `font.${key}`);
  }
  const fallback = c.font?.fallback;
  if (fallback !== undefined) {
    const list = typeof fallback === 'string' ? [fallback] : fallback;
    font.fallback = await Promise.all(list.map((rel, i) => fontFile(file, base, rel, typeof fallback === 'string' ? 'font.fallback' : `font.fallback[${i}]`)));
  }
  let templatesDir: string | undefined;
  if (c.templates !== undefined) templatesDir = path.resolve(base, c.templates);
  for (const id of TEXT_BLOCK_IDS) {
    const source = c.text?.[id];
    if (source === undefined) continue;
    try {
      Handlebars.parse(source);
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
      throw configError(file, `text.${id}`, CONFIG.textNotTemplate(msg), err);
    }
  }
  return {
    source: file,
    ...(c.organisation !== undefined ? { organisation: c.organisation } : {}),
    ...(c.title !== undefined ? { title: c.title } : {}),
    ...(logo !== undefined ? { logo } : {}),
    colours: defined(c.colours),
    font,
    ...(c.classification !== undefined ? { classification: c.classification } : {}),
    ...(templatesDir !== undefined ? { templatesDir } : {}),
    ...(c.sections !== undefined ? { sections: c.sections } : {}),
    text: defined(c.text),
    signOff: Object.fromEntries(Object.entries(defined(c.signOff)).map(([role, p]) => [role, defined(p)])),
    remediationDeadlines: defined(c.remediationDeadlines),
    ...(c.fiscalYearStart !== undefined ? { fiscalYearStartMonth: monthNumber(c.fiscalYearStart)! } : {}),
    ...(c.vantagePoint !== undefined ? { vantagePoint: defined(c.vantagePoint) } : {}),
    ...(c.senderReports?.failureRateThreshold !== undefined ? { senderFailureRateThreshold: c.senderReports.failureRateThreshold } : {}),
    ...(c.exceptions?.maxMonths !== undefined ? { exceptionMaxMonths: c.exceptions.maxMonths } : {}),
  };
}
