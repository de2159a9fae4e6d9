/**
 * The prose of every output failure, in one place: which path, what the system said (in words and
 * by its code), that nothing was kept, and what to do. Callers pass the option that named the path
 * so the advice names it too.
 */

/** What an errno code means for a file tlsproof was writing. */
const WHY: Readonly<Record<string, string>> = {
  ENOSPC: 'the file system is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be larger than this process may write (the file-size limit, ulimit -f) or the file system allows',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (permissions, or the file or folder is immutable)',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is longer than the file system allows (255 bytes per name, 4096 per path)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'something else already has that name',
  EIO: 'the device reported an input/output error',
  EPIPE: 'the reader of standard output closed it before everything was written',
  ELOOP: 'the path has too many symbolic links (a loop)',
  EMFILE: 'too many files are open',
  ENXIO: 'there is no device behind the path',
};

/** What to do about it, by errno code. */
function advice(code: string, option: string): string {
  switch (code) {
    case 'ENOSPC': case 'EDQUOT': return `free some space, or give ${option} a place on another file system`;
    case 'EFBIG': return `raise the file-size limit (ulimit -f unlimited), or give ${option} a place on another file system`;
    case 'EACCES': case 'EPERM': return `give ${option} a place you may write, or change its permissions`;
    case 'EROFS': return `give ${option} a place on a writable file system`;
    case 'ENAMETOOLONG': return `give ${option} a shorter path`;
    case 'ENOTDIR': return `give ${option} a path whose folders are folders`;
    case 'EISDIR': return `give ${option} a file name, not a folder`;
    case 'EPIPE': return 'read the whole output, or write it to a file with --out FILE';
    default: return `check ${option} and run again`;
  }
}

function whyWriteFailed(code: string | undefined, fallback: string): string {
  return (code !== undefined ? WHY[code] : undefined) ?? fallback;
}

/**
 * "Cannot write /x/report.pdf: the file system is full (ENOSPC). Nothing was written or recorded;
 * free some space, or give --out a place on another file system."
 */
export function writeFailedMessage(path: string, option: string, code: string | undefined, detail: string, kept?: string): string {
  const why = whyWriteFailed(code, detail);
  return `Cannot write ${path}: ${why}${code !== undefined ? ` (${code})` : ''}. ` +
    `Nothing was written or recorded${kept !== undefined ? ` (${kept})` : ''}; ${advice(code ?? '', option)}.`;
}

/** `--out -`: standard output cannot be taken back, so the message says what the reader holds. */
export function streamFailedMessage(code: string | undefined, detail: string): string {
  return `Cannot write to standard output: ${whyWriteFailed(code, detail)}${code !== undefined ? ` (${code})` : ''}. ` +
    `What reached it is incomplete and nothing was recorded; ${code === 'EPIPE' ? advice(code, '--out') : 'write to a file (--out) instead'}.`;
}

/** Refusals of the up-front check, before any work is done. */
export const LOCATION = {
  notFolder: (option: string, path: string, file: string) =>
    `${option} ${path}: ${file === path ? 'it is' : `${file} is`} a file, not a folder. Nothing was done; give ${option} a folder (it is created when missing).`,
  notFile: (option: string, path: string, kind: string) =>
    `${option} ${path} is ${kind}, not a regular file. Nothing was done; give ${option} a file path.`,
  nameTooLong: (option: string, path: string, part: string, bytes: number) =>
    `${option} ${path}: the name "${part.length > 40 ? `${part.slice(0, 37)}…` : part}" is ${bytes} bytes, longer than the 255 bytes a file system allows for one name (ENAMETOOLONG). Nothing was done; give ${option} a shorter path.`,
  pathTooLong: (option: string, path: string, bytes: number) =>
    `${option} ${path.slice(0, 60)}…: the path is ${bytes} bytes, longer than the 4096 bytes a file system allows (ENAMETOOLONG). Nothing was done; give ${option} a shorter path.`,
  notWritable: (option: string, path: string, folder: string, code: string) =>
    `${option} ${path}: cannot write to ${folder}: ${whyWriteFailed(code, code)} (${code}). Nothing was done; ${advice(code, option)}.`,
} as const;

/**
 * `--out -` with formats standard output cannot take: it takes one file, of a format that allows it.
 * "--out - (standard output) works only with --format json; give --out DIR to write html,pdf."
 */
export function streamFormatsMessage(given: readonly string[], allowed: readonly string[]): string {
  return `--out - (standard output) works only with --format ${allowed.join(' or ')}; give --out DIR to write ${given.join(',')}.`;
}
