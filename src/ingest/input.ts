/**
 * Opens one input file for streaming: hashes every byte as it is read, works out the text
 * encoding from the first bytes (UTF-8 with or without BOM, UTF-16 LE/BE as Excel's "Unicode
 * text" writes it, else Windows-1252 when the start is not valid UTF-8), and hands the rest of the
 * file on as UTF-8 bytes (for csv-parse) or as text (for the XML and JSON readers). The file is
 * never held in memory as a whole; only its first chunk is kept for format detection.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { CAPS, openRegular, type FileRole } from '../fs-guard.js';
import type { TextEncoding } from '../model/input-file.js';


/** How much of the file detection looks at: enough for any header row or document prologue. */
const HEAD_BYTES = 64 * 1024;

interface OpenedInput {
  readonly encoding: TextEncoding;
  /** Up to HEAD_BYTES of the file, decoded, BOM removed: for detection only. */
  readonly head: string;
  /** The first chunk exactly as on disk (up to HEAD_BYTES): for formats recognised by their bytes (gzip, e-mail). */
  readonly first: Buffer;
  /** The whole file exactly as on disk (BOM kept, nothing decoded), streamed. Iterate once (instead of bytes or text). */
  rawBytes(): AsyncIterable<Buffer>;
  /** The whole file (from the start, BOM removed) as UTF-8 bytes, streamed. Iterate once. */
  bytes(): AsyncIterable<Buffer>;
  /** The whole file (from the start, BOM removed) as text, streamed. Iterate once. */
  text(): AsyncIterable<string>;
  /**
   * Reads what the consumer left unread (so the hash covers the whole file) and returns the
   * file's SHA-256, its size, and whether bytes that are not valid UTF-8 were replaced.
   */
  finish(): Promise<InputSummary>;
  /** Closes the file without reading the rest (a refused file needs no hash). */
  abort(): void;
}

interface InputSummary {
  readonly sha256: string;
  readonly bytes: number;
  /** A UTF-8 file had invalid byte sequences after its first HEAD_BYTES (decoded as U+FFFD). */
  readonly invalidUtf8: boolean;
}

/** Decides the encoding from the first bytes of a file. */
function sniffEncoding(first: Buffer): { encoding: TextEncoding; bomLength: number } {
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return { encoding: 'utf-8-bom', bomLength: 3 };
  if (first[0] === 0xff && first[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (first[0] === 0xfe && first[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without a BOM: ASCII text then has a zero in every other byte.
  const n = Math.min(first.length, 512) & ~1;
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (first[i] === 0) evenZero++;
      if (first[i + 1] === 0) oddZero++;
    }
    const half = n / 2;
    if (oddZero > half * 0.6 && evenZero < half * 0.1) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenZero > half * 0.6 && oddZero < half * 0.1) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: validUtf8Prefix(first) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** Valid UTF-8, allowing a sequence cut off by the end of the buffer. */
function validUtf8Prefix(buf: Buffer): boolean {
  const cut = completeLength(buf);
  return isUtf8(buf.subarray(0, cut));
}

/** Length of `buf` without a trailing, incomplete UTF-8 sequence (at most 3 bytes). */
function completeLength(buf: Buffer): number {
  const len = buf.length;
  for (let back = 1; back <= Math.min(4, len); back++) {
    const b = buf[len - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? len - back : len;
  }
  return len;
}

const ICONV_NAME: Readonly<Record<Exclude<TextEncoding, 'utf-8' | 'utf-8-bom'>, string>> = {
  'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be', 'windows-1252': 'windows-1252',
};

/** How an input is named in messages, and the most tlsproof reads of one. */
const INPUT_ROLE: FileRole = { option: 'input', maxBytes: CAPS.input };

/**
 * Opens `path`, reads its first chunk and sniffs the encoding. Errors (ENOENT, EACCES) reject, and
 * so does anything but a regular file (FileRefusedError: a FIFO or a device would never end).
 */
export async function openInput(path: string, role: FileRole = INPUT_ROLE): Promise<OpenedInput> {
  const { handle, tooLarge } = await openRegular(path, role);
  const stream = handle.createReadStream({ highWaterMark: HEAD_BYTES });
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const hash = createHash('sha256');
  let size = 0;
  let done = false;
  let invalidUtf8 = false;

  const pull = async (): Promise<Buffer | undefined> => {
    if (done) return undefined;
    const r = await iterator.next();
    if (r.done) {
      done = true;
      return undefined;
    }
    hash.update(r.value);
    size += r.value.length;
    if (size > role.maxBytes) {
      done = true;
      stream.destroy();
      throw tooLarge();
    }
    return r.value;
  };

  // The first chunk is normally HEAD_BYTES long; a short read (pipes, tiny files) is fine.
  let first = (await pull()) ?? Buffer.alloc(0);
  while (first.length < 4 && !done) {
    const more = await pull();
    if (more) first = Buffer.concat([first, more]);
  }
  const { encoding, bomLength } = sniffEncoding(first);
  const firstBody = first.subarray(bomLength);
  const isUtf8Input = encoding === 'utf-8' || encoding === 'utf-8-bom';
  const head = isUtf8Input
    ? new TextDecoder('utf-8').decode(firstBody.subarray(0, completeLength(firstBody)))
    : iconv.decode(encoding === 'windows-1252' ? firstBody : firstBody.subarray(0, firstBody.length & ~1), ICONV_NAME[encoding]);
  let consumed = false;

  async function* raw(): AsyncGenerator<Buffer> {
    if (consumed) throw new Error('input already read');
    consumed = true;
    if (firstBody.length > 0) yield firstBody;
    for (let b = await pull(); b; b = await pull()) yield b;
  }

  async function* untouched(): AsyncGenerator<Buffer> {
    if (consumed) throw new Error('input already read');
    consumed = true;
    if (first.length > 0) yield first;
    for (let b = await pull(); b; b = await pull()) yield b;
  }

  async function* utf8Bytes(): AsyncGenerator<Buffer> {
    if (isUtf8Input) {
      // Check later chunks too, but only until the first bad sequence: the check is for a message.
      let carry: Buffer | undefined;
      let checked = false;
      for await (const chunk of raw()) {
        if (!checked) {
          checked = true;
        } else if (!invalidUtf8) {
          const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
          const cut = completeLength(buf);
          if (!isUtf8(buf.subarray(0, cut))) invalidUtf8 = true;
          carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : undefined;
        }
        yield chunk;
      }
      return;
    }
    const decoder = iconv.getDecoder(ICONV_NAME[encoding]);
    for await (const chunk of raw()) {
      const s = decoder.write(chunk);
      if (s) yield Buffer.from(s, 'utf8');
    }
    const tail = decoder.end();
    if (tail) yield Buffer.from(tail, 'utf8');
  }

  async function* text(): AsyncGenerator<string> {
    if (isUtf8Input) {
      const decoder = new TextDecoder('utf-8');
      for await (const chunk of utf8Bytes()) {
        const s = decoder.decode(chunk, { stream: true });
        if (s) yield s;
      }
      const tail = decoder.decode();
      if (tail) yield tail;
      return;
    }
    const decoder = iconv.getDecoder(ICONV_NAME[encoding]);
    for await (const chunk of raw()) {
      const s = decoder.write(chunk);
      if (s) yield s;
    }
    const tail = decoder.end();
    if (tail) yield tail;
  }

  return {
    encoding,
    head,
    first,
    rawBytes: untouched,
    bytes: utf8Bytes,
    text,
    async finish() {
      while (await pull()) { /* drain for the hash */ }
      stream.destroy();
      return { sha256: hash.digest('hex'), bytes: size, invalidUtf8 };
    },
    abort() {
      done = true;
      stream.destroy();
    },
  };
}

/** The decoded first HEAD_BYTES of a file (BOM removed), without keeping the file open. */
export async function readHead(path: string, role: FileRole = INPUT_ROLE): Promise<string> {
  const { handle: fh } = await openRegular(path, role);
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const first = buf.subarray(0, bytesRead);
    const { encoding, bomLength } = sniffEncoding(first);
    const body = first.subarray(bomLength);
    if (encoding === 'utf-8' || encoding === 'utf-8-bom') return new TextDecoder('utf-8').decode(body.subarray(0, completeLength(body)));
    return iconv.decode(encoding === 'windows-1252' ? body : body.subarray(0, body.length & ~1), ICONV_NAME[encoding]);
  } finally {
    await fh.close();
  }
}

/** The first HEAD_BYTES of a file exactly as on disk (for formats recognised by their bytes). */
export async function readHeadBytes(path: string, role: FileRole = INPUT_ROLE): Promise<Buffer> {
  const { handle: fh } = await openRegular(path, role);
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
