/**
 * The real process behind CliIo. Standard output and error are written synchronously on their file
 * descriptors, so a failed write (a full device, a closed pipe) throws where it happens and the CLI
 * reports it with its exit code, instead of surfacing later as an unhandled stream error.
 */
import { writeSync } from 'node:fs';
import type { CliIo } from './io.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to `fd`, waiting out EAGAIN (a non-blocking pipe whose reader is behind). */
function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let off = 0; off < bytes.byteLength;) {
    try {
      off += writeSync(fd, bytes, off, bytes.byteLength - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

export function processIo(): CliIo {
  return {
    stdout: (s) => writeAllSync(1, s),
    // An error message that cannot be shown has nowhere else to go; the exit code still tells.
    stderr: (s) => { try { writeAllSync(2, s); } catch { /* stderr closed or full */ } },
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
  };
}
