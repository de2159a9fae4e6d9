/**
 * The prose of the root utilities every layer shares: refusals of a YAML data file (mapping files,
 * exceptions registers), one line per problem, `file:line:column: path: what was found; what is
 * allowed`. Each layer's own readings of an issue live in its messages module (map/messages.ts).
 */

export const YAML = {
  unreadable: (file: string, detail: string) => `${file}: cannot read the file (${detail}).`,
  notYaml: (where: string, detail: string) => `${where}: not valid YAML: ${detail}`,
  /** An alias bomb or other limit of the bounded reader, at file:line:column when known. */
  limit: (where: string, detail: string) => `${where}: ${detail}`,
  /** One problem of the validated data: `where` is file:line:column, `path` the path inside the file. */
  issue: (where: string, path: string, detail: string) => `${where}: ${path}: ${detail}`,
  moreIssues: (count: number, file: string) => `…and ${count} more problems in ${file}`,

  // ── What one issue says ──
  unknownKeys: (keys: readonly string[], allowedKeys: string) =>
    `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}; allowed keys: ${allowedKeys}`,
  missingEnumKey: (key: string, allowed: readonly string[]) => `required key "${key}" is missing; allowed values: ${allowed.join(', ')}`,
  notAllowed: (found: string, allowed: readonly string[]) => `${found} is not allowed; allowed values: ${allowed.join(', ')}`,
  missingKey: (key: string, expected: string, parentPath: string, allowedKeys: string) =>
    `required key "${key}" is missing (expected ${expected}); allowed keys at ${parentPath}: ${allowedKeys}`,
  /** `hint` comes from quoteIt or keysHint, or is empty. */
  wrongType: (expected: string, found: string, hint: string) => `expected ${expected}, found ${found}${hint}`,
  /** An unquoted 2013 or 4.0 in YAML is a number; the fix is almost always to quote it. */
  quoteIt: (value: number) => ` (quote it: "${String(value)}")`,
  keysHint: (allowedKeys: string) => `; keys: ${allowedKeys}`,
  other: (detail: string, found: string) => `${detail}; found ${found}`,
} as const;
