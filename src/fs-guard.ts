/**
 * Reading user-named files safely. A FIFO blocks the reader until something writes to it, and a
 * device such as /dev/zero never ends: either would hang a run or fill memory. Every file tlsproof
 * reads because the user named it (inputs, configs, logos, fonts, mappings, templates, CA files)
 * is opened here: without blocking, checked to be a regular file on the open descriptor (so a
 * swap between check and read cannot slip a FIFO in), and read up to a cap that depends on what
 * the file is. Messages say which option, which path, what was found and what to do.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FILE_KIND, FILES } from './messages.js';

/** What a file is for: decides the cap and the wording. */
export interface FileRole {
  /** The option or config key that named the file, e.g. `--config`, `logo`, `input`. */
  readonly option: string;
  /** Largest size accepted, in bytes. */
  readonly maxBytes: number;
}

const MiB = 1024 * 1024;

/** Caps per kind of file: far above any real file of that kind, far below what hurts a machine. */
export const CAPS = {
  /** Scanner exports are streamed, so only the disk bounds them; this stops a runaway file. */
  input: 4096 * MiB,
  config: 1 * MiB,
  mapping: 8 * MiB,
  template: 4 * MiB,
  logo: 2 * MiB,
  font: 64 * MiB,
  caFile: 16 * MiB,
} as const;

type RefusalReason = 'not-regular' | 'too-large';

/** A user-named file that tlsproof will not read; the caller wraps it in its own error code. */
export class FileRefusedError extends Error {
  readonly reason: RefusalReason;
  readonly path: string;
  readonly option: string;

  constructor(reason: RefusalReason, path: string, option: string, message: string) {
    super(message);
    this.name = 'FileRefusedError';
    this.reason = reason;
    this.path = path;
    this.option = option;
  }
}

/** "a FIFO (named pipe)", "a character device"…: what the user gave instead of a file. */
export function describeKind(info: Stats): string {
  if (info.isFile()) return FILE_KIND.file;
  if (info.isDirectory()) return FILE_KIND.folder;
  if (info.isFIFO()) return FILE_KIND.fifo;
  if (info.isCharacterDevice()) return FILE_KIND.characterDevice;
  if (info.isBlockDevice()) return FILE_KIND.blockDevice;
  if (info.isSocket()) return FILE_KIND.socket;
  return FILE_KIND.other;
}

/** Human size of a cap: "4 MiB", "512 KiB". */
function formatCap(bytes: number): string {
  if (bytes % MiB === 0) return FILES.mebibytes(bytes / MiB);
  if (bytes % 1024 === 0) return FILES.kibibytes(bytes / 1024);
  return FILES.bytes(bytes);
}

function notRegular(path: string, role: FileRole, info: Stats, folderAllowed: boolean): FileRefusedError {
  return new FileRefusedError('not-regular', path, role.option, FILES.notRegular(role.option, path, describeKind(info), folderAllowed));
}

function tooLarge(path: string, role: FileRole, size: number | undefined): FileRefusedError {
  return new FileRefusedError('too-large', path, role.option, FILES.tooLarge(role.option, path, size, formatCap(role.maxBytes)));
}

// O_NONBLOCK makes open() return at once on a FIFO with no writer, so the fstat below can refuse it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for streaming after checking, on the open descriptor, that it is a regular file no
 * larger than the role's cap. The caller closes the handle (its read stream does so by default);
 * `tooLarge` builds the error for a file that grows past the cap while it is read.
 */
export async function openRegular(path: string, role: FileRole): Promise<{ handle: FileHandle; size: number; tooLarge: () => FileRefusedError }> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(path, role, info, false);
    if (info.size > role.maxBytes) throw tooLarge(path, role, info.size);
    return { handle, size: info.size, tooLarge: () => tooLarge(path, role, undefined) };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Reads a whole regular file of at most `role.maxBytes` bytes. */
export async function readBounded(path: string, role: FileRole): Promise<Buffer> {
  const fh = await open(path, OPEN_FLAGS);
  try {
    const info = await fh.stat();
    if (!info.isFile()) throw notRegular(path, role, info, false);
    if (info.size > role.maxBytes) throw tooLarge(path, role, info.size);
    // Read to the cap plus one byte rather than trusting the size: the file may grow meanwhile.
    const buf = Buffer.alloc(Math.min(role.maxBytes + 1, Math.max(info.size + 1, 64 * 1024)));
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        if (used > role.maxBytes) throw tooLarge(path, role, undefined);
        return readRest(fh, buf, used, path, role);
      }
      const { bytesRead } = await fh.read(buf, used, buf.length - used, null);
      if (bytesRead === 0) break;
      used += bytesRead;
    }
    if (used > role.maxBytes) throw tooLarge(path, role, undefined);
    return buf.subarray(0, used);
  } finally {
    await fh.close();
  }
}

async function readRest(fh: FileHandle, start: Buffer, used: number, path: string, role: FileRole): Promise<Buffer> {
  const chunks = [start.subarray(0, used)];
  let total = used;
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > role.maxBytes) throw tooLarge(path, role, undefined);
    chunks.push(Buffer.from(chunk.subarray(0, bytesRead)));
  }
  return Buffer.concat(chunks, total);
}

/** Synchronous readBounded. */
export function readBoundedSync(path: string, role: FileRole): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notRegular(path, role, info, false);
    if (info.size > role.maxBytes) throw tooLarge(path, role, info.size);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(Math.min(role.maxBytes + 1, Math.max(info.size + 1, 64 * 1024)));
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > role.maxBytes) throw tooLarge(path, role, undefined);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
