/**
 * A streaming JSON splitter: walks JSON text chunk by chunk and hands over the raw text of the
 * values a selector asks for (each array element of a result list, say), with the line each
 * starts on. The caller parses those small pieces with JSON.parse, so memory is bounded by the
 * largest selected value, not by the file. Values the selector neither captures nor descends into
 * are skipped without being copied.
 *
 * Only the containers the selector descends into are tokenised here; captured and skipped values
 * are scanned for their end (strings, escapes and nesting depth), which is cheap.
 */

export type JsonPath = readonly (string | number)[];
export type JsonSelection = 'capture' | 'descend' | 'skip';
export type JsonValueKind = 'object' | 'array' | 'scalar';

export interface JsonItem {
  readonly path: JsonPath;
  /** The value's JSON text, exactly as in the file. */
  readonly text: string;
  /** 1-based line the value starts on. */
  readonly line: number;
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

interface Frame {
  readonly type: 'object' | 'array';
  key: string | undefined;
  index: number;
  /** Line the container starts on (for "never closed" messages). */
  readonly line: number;
}

const enum State {
  /** Expecting the root value. */
  Root,
  /** Expecting a value (after `:`, or after `,` in an array). */
  Value,
  /** Just after `[`: a value or `]`. */
  ArrayFirst,
  /** Just after `{`: a key or `}`. */
  ObjectFirst,
  /** After `,` in an object: a key. */
  Key,
  /** After a key: `:`. */
  Colon,
  /** After a value in a container: `,` or the closing bracket. */
  CommaOrEnd,
  /** The root value is complete. */
  Done,
}

const enum Fast {
  None,
  /** Inside an object/array being captured or skipped. */
  Container,
  /** Inside a string value or key. */
  String,
  /** Inside a number / true / false / null. */
  Scalar,
}

type Purpose = 'capture' | 'skip' | 'key';

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export class JsonSplitter {
  private state = State.Root;
  private readonly stack: Frame[] = [];
  private lineNo = 1;

  private fast = Fast.None;
  private purpose: Purpose = 'skip';
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: string[] = [];
  private valueLine = 1;
  private valuePath: JsonPath = [];

  constructor(
    private readonly select: (path: JsonPath, kind: JsonValueKind) => JsonSelection,
    private readonly onItem: (item: JsonItem) => void,
  ) {}

  /** The line the splitter has reached. */
  get line(): number {
    return this.lineNo;
  }

  write(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    this.nextQuote = this.nextOpenBrace = this.nextOpenBracket = this.nextCloseBrace = this.nextCloseBracket = this.nextNewline = -1;
    while (i < n) {
      if (this.fast !== Fast.None) {
        i = this.scanFast(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (isWs(c)) {
        if (c === 10) this.lineNo++;
        i++;
        continue;
      }
      i = this.structural(chunk, i, c);
    }
    // A value still open at the chunk's end: keep what was captured of it.
    if (this.fast !== Fast.None && this.purpose !== 'skip' && this.captureFrom >= 0) {
      this.parts.push(chunk.slice(this.captureFrom));
      this.captureFrom = 0;
    } else {
      this.captureFrom = -1;
    }
  }

  /** Call after the last chunk; throws JsonSyntaxError when the text stops mid-value. */
  end(): void {
    if (this.fast === Fast.Scalar) this.finishValue('');
    if (this.state === State.Done) return;
    if (this.state === State.Root) throw new JsonSyntaxError('the file holds no JSON value', this.lineNo);
    const open = this.fast === Fast.None ? this.stack[this.stack.length - 1] : undefined;
    const where = this.fast !== Fast.None ? this.valueLine : open?.line ?? this.lineNo;
    throw new JsonSyntaxError(
      `the file ends inside ${this.fast === Fast.String ? 'a string' : 'a value'} that starts on line ${where} (truncated?)`,
      where,
    );
  }

  /** Index in the current chunk where the open capture started (-1: none in this chunk). */
  private captureFrom = -1;

  /**
   * Per chunk: where scanFast's native searches found the next quote, bracket and line break
   * (the chunk's length: none left). A value below the scan position is stale and searched again.
   */
  private nextQuote = -1;
  private nextOpenBrace = -1;
  private nextOpenBracket = -1;
  private nextCloseBrace = -1;
  private nextCloseBracket = -1;
  private nextNewline = -1;

  private path(): (string | number)[] {
    const p: (string | number)[] = [];
    for (const f of this.stack) p.push(f.type === 'array' ? f.index : (f.key ?? ''));
    return p;
  }

  private startFast(kind: Fast, purpose: Purpose, chunkIndex: number, path: JsonPath): void {
    this.fast = kind;
    this.purpose = purpose;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    if (this.parts.length !== 0) this.parts = [];
    this.valueLine = this.lineNo;
    this.valuePath = path;
    this.captureFrom = purpose === 'skip' ? -1 : chunkIndex;
  }

  private structural(chunk: string, i: number, c: number): number {
    switch (this.state) {
      case State.Root:
      case State.Value:
      case State.ArrayFirst:
        if (this.state === State.ArrayFirst && c === 93 /* ] */) return this.close(i, 'array');
        return this.valueStart(chunk, i, c);
      case State.ObjectFirst:
      case State.Key:
        if (this.state === State.ObjectFirst && c === 125 /* } */) return this.close(i, 'object');
        if (c !== 34) throw this.unexpected(chunk, i, 'a property name in double quotes');
        this.startFast(Fast.String, 'key', i, []);
        this.inString = true;
        return i + 1;
      case State.Colon:
        if (c !== 58) throw this.unexpected(chunk, i, '":"');
        this.state = State.Value;
        return i + 1;
      case State.CommaOrEnd: {
        const top = this.stack[this.stack.length - 1]!;
        if (c === 44 /* , */) {
          if (top.type === 'array') {
            top.index++;
            this.state = State.Value;
          } else {
            this.state = State.Key;
          }
          return i + 1;
        }
        if (c === 93 && top.type === 'array') return this.close(i, 'array');
        if (c === 125 && top.type === 'object') return this.close(i, 'object');
        throw this.unexpected(chunk, i, top.type === 'array' ? '"," or "]"' : '"," or "}"');
      }
      case State.Done:
        throw this.unexpected(chunk, i, 'the end of the file');
    }
  }

  private close(i: number, type: 'array' | 'object'): number {
    const top = this.stack.pop();
    if (!top || top.type !== type) throw new JsonSyntaxError(`unexpected "${type === 'array' ? ']' : '}'}"`, this.lineNo);
    this.state = this.stack.length === 0 ? State.Done : State.CommaOrEnd;
    return i + 1;
  }

  private valueStart(chunk: string, i: number, c: number): number {
    const path = this.path();
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const type = c === 123 ? 'object' : 'array';
      const sel = this.select(path, type);
      if (sel === 'descend') {
        this.stack.push({ type, key: undefined, index: 0, line: this.lineNo });
        this.state = type === 'object' ? State.ObjectFirst : State.ArrayFirst;
        return i + 1;
      }
      this.startFast(Fast.Container, sel, i, path);
      this.depth = 1;
      return i + 1;
    }
    const sel = this.select(path, 'scalar') === 'capture' ? 'capture' : 'skip';
    if (c === 34 /* " */) {
      this.startFast(Fast.String, sel, i, path);
      this.inString = true;
      return i + 1;
    }
    if (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) {
      this.startFast(Fast.Scalar, sel, i, path);
      return i + 1;
    }
    throw this.unexpected(chunk, i, 'a value');
  }

  /**
   * The hot loop: scans a captured or skipped value for its end. Returns the next index.
   * Strings, brackets and line breaks are found with native searches whose results are kept per
   * chunk (`next…`), so each character is looked at by indexOf at most once per kind; quotes,
   * brackets and line breaks inside strings are passed over.
   */
  private scanFast(chunk: string, i: number): number {
    const n = chunk.length;
    if (this.fast === Fast.Scalar) {
      for (; i < n; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 44 || c === 93 || c === 125 || isWs(c)) {
          this.finishValue(chunk.slice(this.captureFrom < 0 ? i : this.captureFrom, i));
          return i; // the delimiter belongs to the structure
        }
      }
      return n;
    }
    const from = i;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let nq = this.nextQuote;
    let nlc = this.nextOpenBrace;
    let nls = this.nextOpenBracket;
    let nrc = this.nextCloseBrace;
    let nrs = this.nextCloseBracket;
    let end = -1;
    while (i < n) {
      if (inString) {
        if (escape) {
          escape = false;
          i++;
          continue;
        }
        if (nq < i) {
          nq = chunk.indexOf('"', i);
          if (nq < 0) nq = n;
        }
        const q = nq;
        if (q === n) {
          // No closing quote in this chunk: an odd run of backslashes at its end escapes the next character.
          let k = n - 1;
          while (k >= i && chunk.charCodeAt(k) === 92) k--;
          escape = (n - 1 - k) % 2 === 1;
          i = n;
          break;
        }
        let k = q - 1;
        while (k >= i && chunk.charCodeAt(k) === 92) k--;
        i = q + 1;
        // A quote after an odd run of backslashes is escaped (a run carried over from the
        // previous chunk was consumed by `escape` above).
        if ((q - 1 - k) % 2 === 1) continue;
        inString = false;
        if (this.fast === Fast.String) {
          end = i;
          break;
        }
        continue;
      }
      if (nq < i) {
        nq = chunk.indexOf('"', i);
        if (nq < 0) nq = n;
      }
      if (nlc < i) {
        nlc = chunk.indexOf('{', i);
        if (nlc < 0) nlc = n;
      }
      if (nls < i) {
        nls = chunk.indexOf('[', i);
        if (nls < 0) nls = n;
      }
      if (nrc < i) {
        nrc = chunk.indexOf('}', i);
        if (nrc < 0) nrc = n;
      }
      if (nrs < i) {
        nrs = chunk.indexOf(']', i);
        if (nrs < 0) nrs = n;
      }
      const open = nlc < nls ? nlc : nls;
      const close = nrc < nrs ? nrc : nrs;
      if (nq < open && nq < close) {
        inString = true;
        i = nq + 1;
      } else if (open < close) {
        depth++;
        i = open + 1;
      } else if (close < n) {
        depth--;
        i = close + 1;
        if (depth === 0) {
          end = i;
          break;
        }
      } else {
        i = n;
      }
    }
    this.nextQuote = nq;
    this.nextOpenBrace = nlc;
    this.nextOpenBracket = nls;
    this.nextCloseBrace = nrc;
    this.nextCloseBracket = nrs;
    this.countLines(chunk, from, end < 0 ? n : end);
    if (end >= 0) {
      this.finishValue(chunk.slice(this.captureFrom < 0 ? 0 : this.captureFrom, end));
      return end;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    return n;
  }

  /** Adds the line breaks in chunk[from, to) to the line count (natively, with the per-chunk cache). */
  private countLines(chunk: string, from: number, to: number): void {
    let nl = this.nextNewline;
    if (nl < from) {
      nl = chunk.indexOf('\n', from);
      if (nl < 0) nl = chunk.length;
    }
    let lines = 0;
    while (nl < to) {
      lines++;
      nl = chunk.indexOf('\n', nl + 1);
      if (nl < 0) nl = chunk.length;
    }
    this.nextNewline = nl;
    this.lineNo += lines;
  }

  private finishValue(lastPart: string): void {
    const purpose = this.purpose;
    let text = '';
    if (this.parts.length === 0) {
      if (purpose !== 'skip') text = lastPart;
    } else {
      if (purpose !== 'skip') {
        this.parts.push(lastPart);
        text = this.parts.join('');
      }
      this.parts = [];
    }
    this.fast = Fast.None;
    this.captureFrom = -1;
    if (purpose === 'key') {
      const top = this.stack[this.stack.length - 1]!;
      try {
        top.key = JSON.parse(text) as string;
      } catch {
        throw new JsonSyntaxError(`property name ${text.slice(0, 60)} is not a valid JSON string`, this.valueLine);
      }
      this.state = State.Colon;
      return;
    }
    if (purpose === 'capture') this.onItem({ path: this.valuePath, text, line: this.valueLine });
    this.state = this.stack.length === 0 ? State.Done : State.CommaOrEnd;
  }

  private unexpected(chunk: string, i: number, wanted: string): JsonSyntaxError {
    const seen = chunk.slice(i, i + 20).replace(/\s+/g, ' ');
    return new JsonSyntaxError(`expected ${wanted} but found "${seen}"`, this.lineNo);
  }
}
