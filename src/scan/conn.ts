/**
 * One TCP connection with bounded, timed reads: lines for the plaintext mail dialogues, raw bytes
 * for hand-built TLS records. Every read has a total deadline (not an idle timer, so a server that
 * trickles one byte per second still times out) and a size cap (a 1 MB banner line ends the read
 * at the cap, not in memory). Everything said and heard is kept as a transcript for evidence.
 */
import net from 'node:net';
import { ProbeError, probeErrorFrom } from './errors.js';

export interface ConnTimeouts {
  /** TCP connect, ms. */
  readonly connectMs: number;
  /** One complete reply (all lines of it), ms. */
  readonly readMs: number;
  /** One TLS handshake or ClientHello round trip, ms. */
  readonly handshakeMs: number;
}

/** Longest plaintext line accepted (RFC 5321 allows 512; IMAP capability lines run longer). */
const MAX_LINE = 8192;
/** Longest multi-line reply accepted. */
const MAX_REPLY = 65536;

const TRANSCRIPT_LINE = 300;

export class Conn {
  readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private error: Error | undefined;
  private waiter: (() => void) | undefined;
  private readonly lines: string[] = [];
  readonly timeouts: ConnTimeouts;

  private constructor(socket: net.Socket, timeouts: ConnTimeouts) {
    this.socket = socket;
    this.timeouts = timeouts;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Reads from an already open stream (a TLS socket after STARTTLS). */
  static wrap(socket: net.Socket, timeouts: ConnTimeouts): Conn {
    return new Conn(socket, timeouts);
  }

  /** Connects or throws ProbeError (`connect-failed`, `connect-timeout`). */
  static connect(ip: string, port: number, timeouts: ConnTimeouts): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: ip, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ProbeError('connect-timeout', `no TCP connection to ${ip}:${port} within ${timeouts.connectMs} ms`));
      }, timeouts.connectMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const c = new Conn(socket, timeouts);
        c.note(`connected to ${ip}:${port}`);
        resolve(c);
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(probeErrorFrom(err, 'connect'));
      });
    });
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    // Never hold more than the largest thing we would accept, plus one chunk.
    if (this.buf.length > MAX_REPLY * 4) this.socket.pause();
    this.wake();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  private readonly onError = (err: Error): void => {
    this.error = err;
    this.ended = true;
    this.wake();
  };

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Waits for more data (or end) until `deadline`; false on timeout. */
  private async more(deadline: number): Promise<boolean> {
    if (this.ended) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    this.socket.resume();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, left);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** Appends a note (not protocol data) to the transcript. */
  note(text: string): void {
    this.lines.push(`* ${text}`);
  }

  get transcript(): readonly string[] {
    return this.lines;
  }

  /** Sends one command line (CRLF added). */
  send(line: string, shown = line): void {
    this.lines.push(`C: ${shown}`);
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  writeRaw(data: Buffer, label: string): void {
    this.lines.push(`C: ${label}`);
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /**
   * One line (without CRLF) within `deadline`. Throws `read-timeout`, `line-too-long`,
   * `connection-closed` or `connection-reset`.
   */
  async readLine(deadline: number, what: string): Promise<string> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        if (nl > MAX_LINE) throw this.fail(new ProbeError('line-too-long', `${what}: a line longer than ${MAX_LINE} bytes`));
        const line = this.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        this.buf = this.buf.subarray(nl + 1);
        this.lines.push(`S: ${line.length > TRANSCRIPT_LINE ? `${line.slice(0, TRANSCRIPT_LINE)}…` : line}`);
        return line;
      }
      if (this.buf.length > MAX_LINE) throw this.fail(new ProbeError('line-too-long', `${what}: more than ${MAX_LINE} bytes without a line end`));
      if (this.ended) throw this.closedError(what);
      if (!(await this.more(deadline))) {
        const got = this.buf.length > 0 ? ` (${this.buf.length} bytes of an unfinished line so far)` : '';
        throw this.fail(new ProbeError('read-timeout', `${what}: no complete reply within ${this.timeouts.readMs} ms${got}`));
      }
    }
  }

  /**
   * Exactly `n` bytes, or undefined when the server closed (or reset) the connection first.
   * Throws `handshake-timeout` when nothing complete arrives by `deadline`.
   */
  async readBytes(n: number, deadline: number): Promise<Buffer | undefined> {
    while (this.buf.length < n) {
      if (this.ended) return undefined;
      if (!(await this.more(deadline))) {
        throw this.fail(new ProbeError('handshake-timeout', `no complete TLS answer within ${this.timeouts.handshakeMs} ms`));
      }
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Bytes already received and not yet read (e.g. pipelined after STARTTLS). */
  get pending(): number {
    return this.buf.length;
  }

  get closed(): boolean {
    return this.ended;
  }

  get socketError(): Error | undefined {
    return this.error;
  }

  private closedError(what: string): ProbeError {
    if (this.error) return probeErrorFrom(this.error, 'read');
    return new ProbeError('connection-closed', `${what}: the server closed the connection`);
  }

  private fail(err: ProbeError): ProbeError {
    this.destroy();
    return err;
  }

  /**
   * Hands the socket over (to node:tls): detaches our listeners so TLS reads the stream. Data
   * already buffered would be lost to TLS, so it must be empty (checked by the caller).
   */
  detach(): net.Socket {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.resume();
    return this.socket;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
