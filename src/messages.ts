/**
 * The prose of the root utilities every layer shares: refusals of a user-named file (fs-guard.ts)
 * and of a YAML data file (mapping files,
 * exceptions registers), one line per problem, `file:line:column: path: what was found; what is
 * allowed`. Each layer's own readings of an issue live in its messages module (map/messages.ts).
 */

/** Refusals of a user-named file before it is read (fs-guard.ts): which option, which path, what is there. */
export const FILES = {
  notRegular: (option: string, path: string, kind: string, folderAllowed: boolean) =>
    `${option} ${path} is ${kind}, not ${folderAllowed ? 'a regular file or a folder' : 'a regular file'}; tlsproof reads only files saved on disk (a pipe or device could hang the run). Save the content to a file and give that path.`,
  /** `size` is undefined when the file grew past the cap while it was read. */
  tooLarge: (option: string, path: string, size: number | undefined, cap: string) =>
    `${option} ${path} ${size === undefined ? 'is larger than' : `is ${size} bytes, more than`} the ${cap} tlsproof reads for this kind of file; check that it is the right file.`,
  /** A cap as tooLarge names it. */
  mebibytes: (n: number) => `${n} MiB`,
  kibibytes: (n: number) => `${n} KiB`,
  bytes: (n: number) => `${n} bytes`,
} as const;

/** What is at a path the user named, as the refusals above and in each layer name it ("is a FIFO (named pipe), not …"). */
export const FILE_KIND = {
  file: 'a regular file',
  folder: 'a folder',
  fifo: 'a FIFO (named pipe)',
  characterDevice: 'a character device',
  blockDevice: 'a block device',
  socket: 'a socket',
  other: 'not a regular file',
} as const;

export const YAML = {
  unreadable: (file: string, detail: string) => `${file}: cannot read the file (${detail}).`,
  notYaml: (where: string, detail: string) => `${where}: not valid YAML: ${detail}`,
  /** An alias bomb or other limit of the bounded reader, at file:line:column when known. */
  limit: (where: string, detail: string) => `${where}: ${detail}`,
  /** One problem of the validated data: `where` is file:line:column, `path` the path inside the file. */
  issue: (where: string, path: string, detail: string) => `${where}: ${path}: ${detail}`,
  moreIssues: (count: number, file: string) => `…and ${count} more problems in ${file}`,
  /** The path of a problem at the root of the document. */
  topLevel: () => '(top level)',
  /** The allowed keys where the schema allows any. */
  anyKeys: () => '(any)',

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
