/**
 * What is at a store path, before SQLite sees it. SQLite would block on a FIFO, read a device
 * forever, fail obscurely on a folder or a symlink loop, and silently create a fresh database in a
 * zero-byte file — wiping, in effect, a store that was truncated. Each of these is refused here
 * with what was found and what to do; the file is never opened for writing when refused.
 */
import { accessSync, constants, lstatSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { describeKind } from '../fs-guard.js';
import { StoreError } from './errors.js';

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

const LEAVE = 'Give --store a path to a store file, or --no-store to make the report without the store.';

function unusable(path: string, what: string, todo: string = LEAVE): StoreError {
  return new StoreError('store-unusable', { path }, `The evidence store path "${path}" ${what}; nothing was read or written. ${todo}`);
}

/** A store file that exists but holds nothing: a truncated store, never a new one. */
function emptyStoreError(path: string): StoreError {
  return new StoreError('store-corrupt', { path },
    `The evidence store "${path}" is an empty file (0 bytes): a store truncated to nothing, or a file made by hand. tlsproof does not write into it, ` +
    'so a truncated store is never silently replaced by a new one. Run "tlsproof store verify" on it, restore the store from a backup, ' +
    'or delete the empty file to start a new store there.');
}

/**
 * `missing` when nothing is at `path` (a new store may be created there), `file` for a regular
 * file worth opening (following symlinks). Throws a StoreError for everything else. `write` also
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
    if (code === 'EACCES') throw unusable(path, 'cannot be looked at (permission denied on a folder above it)', 'Give --store a path you can read and write.');
    throw err;
  }
  if (info.isSymbolicLink()) {
    try {
      info = statSync(path);
    } catch (err) {
      const code = errno(err);
      if (code === 'ELOOP') throw unusable(path, 'is a symbolic link that loops (it leads back to itself)', 'Fix or remove the link, or give --store another path.');
      if (code === 'ENOENT') throw unusable(path, 'is a symbolic link to a file that does not exist', 'Point the link at the store, or give --store the store file itself.');
      throw err;
    }
  }
  if (info.isDirectory()) {
    throw unusable(path, 'is a folder, not a store file', `Give --store the store file inside it (for example --store ${path.replace(/\/+$/, '')}/evidence.db).`);
  }
  if (!info.isFile()) throw unusable(path, `is ${describeKind(info)}, not a file (SQLite would block on it or read it forever)`);
  if (info.size === 0) throw emptyStoreError(path);
  if (mode === 'write') {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch {
      throw unusable(path, 'is read-only for this user', 'Make it writable (chmod u+w), compare without recording with --store-read-only, or use --no-store.');
    }
    checkFolder(path);
  }
  return 'file';
}

function refuseParent(path: string): never {
  throw unusable(path, 'has a file where a folder should be (a part of the path above the store is not a folder)');
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
    throw unusable(path, `is in a folder this user cannot write (${dir}); SQLite needs to create its -wal and -shm files beside the store`,
      'Make the folder writable, compare without recording with --store-read-only, or use --no-store.');
  }
}
