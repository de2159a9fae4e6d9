/**
 * All-or-nothing output files. Each output is written whole to a temporary file in its own folder
 * and flushed to disk; only when every output is ready are they renamed to their names, one rename
 * each (atomic on POSIX file systems). A file of the same name from an earlier run is kept aside (a
 * hard link) until the caller calls finish(), so rollback() can put it back when a later step, such
 * as recording the run in the evidence store, fails. Any failure becomes a ReportError that names
 * the final path and the system's reason.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync, copyFileSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ReportError } from '../errors.js';
import { streamFailedMessage, writeFailedMessage } from './messages.js';

/** A file-system step of writing outputs, for fault-injection tests. */
type OutputStep = 'mkdir' | 'open' | 'write' | 'fsync' | 'rename';

export interface OutputHooks {
  /**
   * Called before each step on each output; a test throws an errno error here (ENOSPC, EFBIG…) to
   * stand in for a full disk where it cannot make one.
   */
  readonly beforeStep?: (step: OutputStep, target: string) => void;
}

/** Anything that can be written: bytes, text, or a producer that calls `write` for each piece (a streamed export). */
type OutputContent = Uint8Array | string | ((write: (chunk: Uint8Array | string) => void) => void);

interface Staged {
  readonly target: string;
  readonly option: string;
  readonly temp: string;
  backup?: string;
  renamed: boolean;
}

const hiddenName = (suffix: string): string => `.tlsproof-${randomBytes(6).toString('hex')}.${suffix}`;

/** The errno code of a file-system error, if it has one. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** Errors only writing can cause; others count only when they name a path under `dir`. */
const WRITE_ONLY_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EIO']);

/** Whether `err` is a file-system failure of writing into `dir` (and not, say, of reading an input or reaching a server). */
export function isWriteFailure(err: unknown, dir: string): boolean {
  const code = errnoCode(err);
  if (code === undefined) return false;
  if (WRITE_ONLY_CODES.has(code)) return true;
  const path = (err as NodeJS.ErrnoException).path;
  return typeof path === 'string' && (path === dir || path.startsWith(`${dir}/`));
}

/** A file-system error while writing `path` → the user-facing error (a ReportError passes through). */
export function outputError(err: unknown, path: string, option: string, kept?: string): ReportError {
  if (err instanceof ReportError) return err;
  const code = errnoCode(err);
  return new ReportError('output-unwritable', { path, option, code: code ?? null },
    writeFailedMessage(path, option, code, err instanceof Error ? err.message : String(err), kept), { cause: err });
}

/** A failure writing to standard output (`--out -`): what reached it is incomplete. */
export function streamError(err: unknown): ReportError {
  if (err instanceof ReportError) return err;
  const code = errnoCode(err);
  return new ReportError('output-unwritable', { path: '-', option: '--out -', code: code ?? null },
    streamFailedMessage(code, err instanceof Error ? err.message : String(err)), { cause: err });
}

export class OutputSet {
  private readonly staged: Staged[] = [];
  /** Folders this set created, deepest last, removed again on rollback when empty. */
  private readonly createdDirs: string[] = [];
  private readonly hooks: OutputHooks;

  constructor(hooks: OutputHooks = {}) {
    this.hooks = hooks;
  }

  private step(step: OutputStep, target: string): void {
    this.hooks.beforeStep?.(step, target);
  }

  /** Final paths of the staged outputs, in the order they were staged. */
  get targets(): string[] {
    return this.staged.map((s) => s.target);
  }

  /** Writes `content` to a temporary file beside `target`, flushed to disk. `option` names the path in messages (--out, --scan-out). */
  stage(target: string, option: string, content: OutputContent): void {
    try {
      const dir = dirname(target);
      this.step('mkdir', target);
      const created = mkdirSync(dir, { recursive: true });
      if (created !== undefined) {
        // mkdirSync returns the first folder it made; every folder from there down to `dir` is new.
        for (let d = dir; d.length >= created.length; d = dirname(d)) this.createdDirs.push(d);
      }
      this.step('open', target);
      const temp = join(dir, hiddenName('tmp'));
      const fd = openSync(temp, 'wx', 0o666);
      this.staged.push({ target, option, temp, renamed: false });
      try {
        const write = (chunk: Uint8Array | string): void => {
          this.step('write', target);
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
          for (let off = 0; off < bytes.byteLength;) off += writeSync(fd, bytes, off, bytes.byteLength - off);
        };
        if (typeof content === 'function') content(write);
        else write(content);
        this.step('fsync', target);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      throw outputError(err, target, option);
    }
  }

  /**
   * Renames every staged file to its name. A file already there is kept aside until finish() (or
   * put back by rollback()). Returns the final paths.
   */
  commit(): string[] {
    for (const s of this.staged) {
      try {
        const backup = join(dirname(s.target), hiddenName('previous'));
        try {
          linkSync(s.target, backup);
          s.backup = backup;
        } catch (err) {
          const code = errnoCode(err);
          if (code === 'EPERM' || code === 'EXDEV' || code === 'ENOTSUP' || code === 'EMLINK') {
            // File systems without hard links: a copy does the same job.
            copyFileSync(s.target, backup);
            s.backup = backup;
          } else if (code !== 'ENOENT') {
            throw err;
          }
        }
        this.step('rename', s.target);
        renameSync(s.temp, s.target);
        s.renamed = true;
      } catch (err) {
        throw outputError(err, s.target, s.option);
      }
    }
    // The renames themselves reach the disk only when each folder is flushed.
    for (const dir of new Set(this.staged.map((s) => dirname(s.target)))) syncFolder(dir);
    return this.targets;
  }

  /** Drops the files kept aside: the new outputs stand. */
  finish(): void {
    for (const s of this.staged) if (s.backup !== undefined) quietly(() => unlinkSync(s.backup!));
  }

  /**
   * Undoes everything: temporary files removed, renamed outputs removed or replaced by the file
   * that had the name before, folders this set created removed when empty. Never throws.
   */
  rollback(): void {
    for (const s of [...this.staged].reverse()) {
      if (s.renamed) {
        if (s.backup !== undefined) quietly(() => renameSync(s.backup!, s.target));
        else quietly(() => unlinkSync(s.target));
      } else {
        quietly(() => unlinkSync(s.temp));
        if (s.backup !== undefined) quietly(() => unlinkSync(s.backup!));
      }
    }
    for (const d of [...this.createdDirs].sort((a, b) => b.length - a.length)) quietly(() => rmdirSync(d));
    this.staged.length = 0;
  }
}

function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // Best effort: rollback runs after an error that is already being reported.
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a folder; the renames are still done.
  }
}
