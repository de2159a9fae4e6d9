/**
 * The ingest layer's prose for inputs it cannot use at all: which input (as the user gave it, or
 * the file), what tlsproof found there, and what to give instead. Problems with single rows are
 * not errors: they go into the report's appendix with their own text, next to the reader.
 */

export const INGEST = {
  noGlobMatch: (input: string) =>
    `No file matches "${input}". Check the pattern, or quote it so your shell does not expand it first.`,
  notFound: (input: string) =>
    `Input "${input}" does not exist. Give a scan result file (CSV, XML or JSON), a folder of them, or a glob such as "scans/*.csv".`,
  notFileOrFolder: (input: string, kind: string) =>
    `Input "${input}" is ${kind}, not a file or a folder; tlsproof reads only files saved on disk (a pipe or device could hang the run). Save the scan results to a file and give that path.`,
  emptyFolder: (input: string) =>
    `Folder "${input}" holds no scan results (.csv files, or .xml / .json / .nessus scanner exports).`,
  unreadable: (file: string, detail: string) => `Cannot read "${file}": ${detail}`,
  // ── What the start of an unrecognised file looks like, in a few words the user can act on ──
  seenBlank: () => 'The file is empty or blank.',
  seenXml: (root: string) => `It is XML with root element <${root}>.`,
  /** `keys` are the first keys found, already quoted. */
  seenJson: (keys: readonly string[]) => `It is JSON${keys.length ? ` with keys ${keys.join(', ')}` : ''}.`,
  seenQualysTitle: () =>
    'It starts like a Qualys report with its title lines above the column header: delete the lines above the "IP","DNS",…,"QID" header row, or export the report as XML.',
  /** `separator` is set when the line reads as one column that another separator would split. */
  seenFirstLine: (first: string, separator: '|' | ':' | undefined) =>
    `Its first line is ${first || '(empty)'}.${separator === undefined ? ''
      : ` It reads as a single column: is it separated by "${separator}"? tlsproof reads comma-, semicolon- and tab-separated files.`}`,

  /** `seen` says what the start of the file looks like; `formats` is the list of readable formats. */
  unrecognised: (file: string, seen: string, formats: string) =>
    `"${file}" is not a format tlsproof reads. ${seen}\n` +
    `tlsproof reads:\n${formats}\n` +
    `If it is one of these, name it with --input-format (e.g. --input-format nessus-csv) to see what does not match.`,
  /** Why a forced format does not fit: the syntax it reads against what the file looks like. */
  forcedWrongSyntax: (forced: string, expected: string, seen: string) =>
    `${forced} reads ${expected.toUpperCase()}, and ${seen.charAt(0).toLowerCase()}${seen.slice(1)}`,
  /** Why a forced CSV format does not fit: the header problem its reader found. */
  forcedWrongHeader: (line: number, problem: string) => `line ${line}: ${problem}.`,
  /** `detected` is what tlsproof would read the file as, when that is another format. */
  forcedMismatch: (file: string, forced: string, why: string, detected: { id: string; describe: string } | undefined, formats: string) =>
    `--input-format ${forced}: "${file}" cannot be read as ${forced}: ${why}\n` +
    (detected !== undefined
      ? `tlsproof recognises it as ${detected.id} (${detected.describe}): leave out --input-format to read each file as what it is.`
      : `Leave out --input-format to let tlsproof detect the format, or name the format this file is in. tlsproof reads:\n${formats}`),
  formatUnknown: (format: string, allowed: readonly string[]) => `Input format "${format}" is not one of ${allowed.join(', ')}.`,
} as const;
