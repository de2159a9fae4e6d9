/**
 * The up-front check of every place a run will write, made before any input is read or any server
 * probed: a folder that is a file, a name longer than a file system allows, a folder nobody may
 * write, a store path that is a folder. A run that could not write its outputs must fail in the
 * first second, not after a scan, and never with half its files written.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { ReportError } from '../errors.js';
import { describeKind } from '../fs-guard.js';
import { LOCATION } from './messages.js';

/** Longest single name (bytes) on Linux file systems (ext4, xfs, btrfs, tmpfs). */
const NAME_MAX = 255;
/** Longest path (bytes) the kernel accepts. */
const PATH_MAX = 4096;
/** Room kept for the names tlsproof puts inside an output folder (e.g. tlsproof-2026-07-01..2026-09-30-findings.csv). */
const NAME_ROOM = 96;

function refuse(option: string, path: string, message: string, code: string): never {
  throw new ReportError('output-unwritable', { option, path, code }, message);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined; // a file further up: found while walking up
    if (code === 'ENAMETOOLONG' || code === 'ELOOP' || code === 'EACCES') return undefined;
    throw err;
  }
}

function checkNames(option: string, path: string, room: number): void {
  for (const part of path.split(sep)) {
    const bytes = Buffer.byteLength(part);
    if (bytes > NAME_MAX) refuse(option, path, LOCATION.nameTooLong(option, path, part, bytes), 'ENAMETOOLONG');
  }
  const bytes = Buffer.byteLength(path) + room;
  if (bytes >= PATH_MAX) refuse(option, path, LOCATION.pathTooLong(option, path, bytes - room), 'ENAMETOOLONG');
}

/** The nearest folder that exists at or above `path`; refuses when that is a file. */
function nearestFolder(option: string, path: string): string {
  let at = path;
  for (;;) {
    const info = statOrUndefined(at);
    if (info !== undefined) {
      if (!info.isDirectory()) refuse(option, path, LOCATION.notFolder(option, path, at), 'ENOTDIR');
      return at;
    }
    const up = dirname(at);
    if (up === at) return at;
    at = up;
  }
}

function checkWritable(option: string, path: string, folder: string, mode = constants.W_OK | constants.X_OK): void {
  try {
    accessSync(folder, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EACCES';
    refuse(option, path, LOCATION.notWritable(option, path, folder, code), code);
  }
}

/**
 * `dir` is, or can become, a folder this process may write files into. Absolute path expected.
 */
export function checkOutputFolder(dir: string, option: string): void {
  const path = resolve(dir);
  checkNames(option, path, NAME_ROOM);
  checkWritable(option, path, nearestFolder(option, path));
}

/**
 * `file` can be written (replaced whole) by this process: nothing but a regular file has its name,
 * and it and its folder are, or can become, writable (the folder too when the file exists: the
 * store keeps its journal beside it, and other outputs are replaced by a rename within the folder).
 */
export function checkOutputFile(file: string, option: string): void {
  const path = resolve(file);
  checkNames(option, path, 16);
  const info = statOrUndefined(path);
  if (info !== undefined && !info.isFile()) refuse(option, path, LOCATION.notFile(option, path, describeKind(info)), info.isDirectory() ? 'EISDIR' : 'EEXIST');
  if (info !== undefined) checkWritable(option, path, path, constants.W_OK);
  checkWritable(option, path, nearestFolder(option, dirname(path)));
}
