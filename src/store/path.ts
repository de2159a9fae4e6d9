/**
 * What is at a store path, before SQLite sees it. SQLite would block on a FIFO, read a device
 * forever, fail obscurely on a folder or a symlink loop, and silently create a fresh database in a
 * zero-byte file — wiping, in effect, a store that was truncated. Each of these is refused here
 * with what was found and what to do; the file is never opened for writing when refused.
 */
import { accessSync, constants, lstatSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { describeKind } from '../fs-guard.js';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

function unusable(path: string, message: string): ReportError {
  return new ReportError('store-unusable', { path }, message);
}

/** A store file that exists but holds nothing: a truncated store, never a new one. */
function emptyStoreError(path: string): ReportError {
  return new ReportError('store-corrupt', { path }, STORE.empty(path));
}

/**
 * `missing` when nothing is at `path` (a new store may be created there), `file` for a regular
 * file worth opening (following symlinks). Throws a ReportError for everything else. `write` also
 * checks that the file and its folder are writable: SQLite keeps its -wal and -shm files beside
 * the store, and a store it cannot write fails half way instead of up front.
 */
export function examineStorePath(path: string, mode: 'read' | 'write'): 'missing' | 'file' {
  let info: Stats;
  try {
    info = lstatSync(path);
  } catch (err) {
    const code = errno(err);
    if (code === 'ENOENT') {
      if (mode === 'write') checkFolder(path);
      return 'missing';
    }
    if (code === 'ENOTDIR') return refuseParent(path);
    if (code === 'EACCES') throw unusable(path, STORE.pathHidden(path));
    throw err;
  }
  if (info.isSymbolicLink()) {
    try {
      info = statSync(path);
    } catch (err) {
      const code = errno(err);
      if (code === 'ELOOP') throw unusable(path, STORE.linkLoops(path));
      if (code === 'ENOENT') throw unusable(path, STORE.linkDangling(path));
      throw err;
    }
  }
  if (info.isDirectory()) {
    throw unusable(path, STORE.isFolder(path));
  }
  if (!info.isFile()) throw unusable(path, STORE.notAFile(path, describeKind(info)));
  if (info.size === 0) throw emptyStoreError(path);
  if (mode === 'write') {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch {
      throw unusable(path, STORE.readOnly(path));
    }
    checkFolder(path);
  }
  return 'file';
}

function refuseParent(path: string): never {
  throw unusable(path, STORE.parentNotFolder(path));
}

/** The store's folder must exist (or be creatable) and be writable. */
function checkFolder(path: string): void {
  let dir = dirname(path);
  // The nearest existing folder decides: tlsproof creates the missing ones below it.
  for (;;) {
    try {
      const s = statSync(dir);
      if (!s.isDirectory()) refuseParent(path);
      break;
    } catch (err) {
      if (errno(err) === 'ENOTDIR') refuseParent(path);
      if (errno(err) !== 'ENOENT' || dirname(dir) === dir) throw err;
      dir = dirname(dir);
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw unusable(path, STORE.folderNotWritable(path, dir));
  }
}
