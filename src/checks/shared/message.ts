/**
 * Message templates for check outcomes: `{{name}}` placeholders filled from the outcome's data
 * (ESLint `meta.messages`). Filling is strict: an unknown messageId or a placeholder without data
 * throws, so a check bug surfaces in tests instead of as a blank in an auditor's report.
 */
import type { CheckMeta } from '../types.js';

/** A template split once into literal text and placeholder names: `literals.length === keys.length + 1`. */
interface ParsedTemplate {
  readonly literals: readonly string[];
  readonly keys: readonly string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w-]*)\s*\}\}/g;
// Templates come from check metadata, so the set is small; the cap only guards ad-hoc callers.
const CACHE_LIMIT = 1000;
const parsedCache = new Map<string, ParsedTemplate>();

/**
 * Splits a template into literals and placeholder names (cached: runChecks formats one message per
 * finding on thousands of endpoints). Throws on a stray `{{` or `}}`, i.e. a malformed placeholder.
 */
function parseTemplate(template: string): ParsedTemplate {
  const cached = parsedCache.get(template);
  if (cached !== undefined) return cached;
  const literals: string[] = [];
  const keys: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const key = m[1];
    if (key === undefined) continue;
    literals.push(template.slice(last, m.index));
    keys.push(key);
    last = m.index + m[0].length;
  }
  literals.push(template.slice(last));
  for (const literal of literals) {
    if (literal.includes('{{') || literal.includes('}}')) {
      throw new Error(`Malformed placeholder in message template "${template}": use {{name}} with a letter first`);
    }
  }
  const parsed: ParsedTemplate = { literals, keys };
  if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(template, parsed);
  return parsed;
}

/** The placeholder names a template needs, in order of appearance (duplicates kept). */
export function templatePlaceholders(template: string): readonly string[] {
  return parseTemplate(template).keys;
}

/** Fills every `{{name}}` from `data`; throws when `data` lacks one. */
function formatMessage(template: string, data: Readonly<Record<string, string | number>>): string {
  const { literals, keys } = parseTemplate(template);
  let out = literals[0] ?? '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? '';
    // hasOwn, not `in` or a plain lookup: `{{constructor}}` must not resolve to Object.prototype.
    if (!Object.hasOwn(data, key)) {
      const have = Object.keys(data);
      throw new Error(
        `Message template "${template}" needs {{${key}}}, but the data has ${have.length > 0 ? have.join(', ') : 'no keys'}`,
      );
    }
    out += String(data[key]) + (literals[i + 1] ?? '');
  }
  return out;
}

/**
 * A finding's sentence: its template filled from its data, and for a check no input could measure
 * (data `notMeasuredBy`, set by the runner) the tools that could not. The runner writes every
 * message this way and the renderers rebuild it this way with dates written for readers.
 */
export function findingSentence(template: string, data: Readonly<Record<string, string | number>>): string {
  const sentence = formatMessage(template, data);
  return Object.hasOwn(data, 'notMeasuredBy') ? `${sentence} (not measured by ${data['notMeasuredBy']})` : sentence;
}

/** The template for `messageId` in a check's metadata; throws when the check does not define it. */
export function messageTemplate(meta: Pick<CheckMeta, 'id' | 'messages'>, messageId: string): string {
  const template = Object.hasOwn(meta.messages, messageId) ? meta.messages[messageId] : undefined;
  if (template === undefined) {
    throw new Error(
      `Check ${meta.id} produced messageId "${messageId}", which is not one of its messages: ${Object.keys(meta.messages).join(', ')}`,
    );
  }
  return template;
}
