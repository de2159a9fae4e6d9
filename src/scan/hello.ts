/**
 * Hand-built ClientHellos and a parser for what comes back (ServerHello, Certificate,
 * ServerKeyExchange, alert, SSLv2 SERVER-HELLO). This is how tlsproof detects what Node's OpenSSL
 * cannot offer (SSLv2, SSLv3, EXPORT, RC4, 3DES…) and enumerates cipher classes cheaply: one round
 * trip per question, and the handshake is never completed (we stop reading and close).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Protocol } from '../model/observation.js';
import { suiteName, type SuiteInfo } from './suites.js';

const WIRE_VERSION: Readonly<Record<Exclude<Protocol, 'SSLv2'>, number>> = {
  SSLv3: 0x0300, 'TLSv1.0': 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304,
};

function protocolOfWire(v: number): Protocol | undefined {
  switch (v) {
    case 0x0002: return 'SSLv2';
    case 0x0300: return 'SSLv3';
    case 0x0301: return 'TLSv1.0';
    case 0x0302: return 'TLSv1.1';
    case 0x0303: return 'TLSv1.2';
    case 0x0304: return 'TLSv1.3';
    default: return undefined;
  }
}

const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
const u16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number): Buffer => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer): Buffer => Buffer.concat([u16(b.length), b]);
const vec8 = (b: Buffer): Buffer => Buffer.concat([u8(b.length), b]);
const ext = (type: number, body: Buffer): Buffer => Buffer.concat([u16(type), vec16(body)]);

/** x25519, secp256r1, secp384r1, secp521r1, x448 (no FFDHE groups: we want the server's own DH group). */
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e];
/** Every signature scheme a server might need, SHA-1 and DSA included (we judge, not refuse). */
const SIG_ALGS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0401, 0x0501, 0x0601,
  0x0203, 0x0201, 0x0402, 0x0202, 0x0303, 0x0301, 0x0302];

interface HelloSpec {
  readonly protocol: Exclude<Protocol, 'SSLv2'>;
  readonly suites: readonly SuiteInfo[];
  /** SNI; omitted for IP literals. */
  readonly serverName?: string;
}

/** A TLS (or SSLv3) ClientHello record offering exactly `suites` at `protocol`. */
export function buildClientHello(spec: HelloSpec): Buffer {
  const tls13 = spec.protocol === 'TLSv1.3';
  const legacyVersion = tls13 ? 0x0303 : WIRE_VERSION[spec.protocol];
  const suites = Buffer.concat(spec.suites.map((s) => u16(s.code)));
  const exts: Buffer[] = [];
  if (spec.protocol !== 'SSLv3') {
    if (spec.serverName && isIP(spec.serverName) === 0) {
      const name = Buffer.from(spec.serverName, 'ascii');
      exts.push(ext(0x0000, vec16(Buffer.concat([u8(0), vec16(name)]))));
    }
    exts.push(ext(0x000a, vec16(Buffer.concat(GROUPS.map(u16)))));
    exts.push(ext(0x000b, vec8(Buffer.from([0]))));
    if (spec.protocol === 'TLSv1.2' || tls13) exts.push(ext(0x000d, vec16(Buffer.concat(SIG_ALGS.map(u16)))));
    exts.push(ext(0xff01, Buffer.from([0])));
    if (tls13) {
      exts.push(ext(0x002b, vec8(u16(0x0304))));
      exts.push(ext(0x002d, vec8(Buffer.from([1]))));
      exts.push(ext(0x0033, vec16(Buffer.concat([u16(0x001d), vec16(randomBytes(32))]))));
    }
  }
  const body = Buffer.concat([
    u16(legacyVersion),
    randomBytes(32),
    u8(0),
    vec16(suites),
    vec8(Buffer.from([0])),
    ...(exts.length > 0 ? [vec16(Buffer.concat(exts))] : []),
  ]);
  const handshake = Buffer.concat([u8(1), u24(body.length), body]);
  // Record-layer version 0x0301 for TLS (what real clients send); 0x0300 for SSLv3.
  const recordVersion = spec.protocol === 'SSLv3' ? 0x0300 : 0x0301;
  return Buffer.concat([u8(22), u16(recordVersion), u16(handshake.length), handshake]);
}

/** SSLv2 cipher specs: RC4, RC2, IDEA, DES, 3DES, with their export variants. */
const SSL2_SPECS = [0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700c0];

export function buildSsl2ClientHello(): Buffer {
  const specs = Buffer.concat(SSL2_SPECS.map(u24));
  const challenge = randomBytes(16);
  const body = Buffer.concat([u8(1), u16(0x0002), u16(specs.length), u16(0), u16(challenge.length), specs, challenge]);
  return Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
}

/** What the server said to one ClientHello. */
export type HelloOutcome =
  | {
    readonly kind: 'server-hello';
    /** Negotiated protocol (from supported_versions for TLS 1.3). */
    readonly protocol: Protocol;
    readonly suite: number;
    readonly suiteName: string;
    /** TLS 1.3 HelloRetryRequest: the server chose TLS 1.3 but wants another key share. */
    readonly retryRequest: boolean;
    /** The ServerHello carried renegotiation_info (RFC 5746: the server supports secure renegotiation). */
    readonly renegotiationInfo: boolean;
    /** DER certificates from the Certificate message (TLS ≤ 1.2), leaf first. */
    readonly certificates: readonly Buffer[];
    /** Finite-field DH prime size from ServerKeyExchange (DHE suites). */
    readonly dhBits?: number;
    /** Named curve id from ServerKeyExchange (ECDHE suites). */
    readonly curve?: number;
  }
  | { readonly kind: 'alert'; readonly level: number; readonly description: number; readonly text: string }
  | { readonly kind: 'closed'; readonly text: string }
  | { readonly kind: 'garbage'; readonly text: string };

const ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 40: 'handshake_failure', 47: 'illegal_parameter',
  50: 'decode_error', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback',
  90: 'user_canceled', 109: 'missing_extension', 110: 'unsupported_extension', 112: 'unrecognized_name',
};

function alertName(description: number): string {
  return ALERTS[description] ?? `alert ${description}`;
}

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** Reads records from `read` until the outcome is known. `wantKeyExchange` keeps reading to ServerHelloDone. */
export async function readHelloOutcome(
  read: (n: number) => Promise<Buffer | undefined>,
  wantKeyExchange: boolean,
): Promise<HelloOutcome> {
  let handshake = Buffer.alloc(0);
  let hello: Extract<HelloOutcome, { kind: 'server-hello' }> | undefined;
  const certificates: Buffer[] = [];
  let dhBits: number | undefined;
  let curve: number | undefined;
  const finish = (): HelloOutcome => ({
    ...hello!,
    certificates,
    ...(dhBits !== undefined ? { dhBits } : {}),
    ...(curve !== undefined ? { curve } : {}),
  });
  // 64 records or 256 KB, whichever comes first: a certificate chain fits easily.
  for (let records = 0, bytes = 0; records < 64 && bytes < 262_144; records++) {
    const header = await read(5);
    if (header === undefined) {
      if (hello) return finish();
      return { kind: 'closed', text: records === 0 ? 'the server closed the connection without answering' : 'the server closed the connection mid-handshake' };
    }
    const type = header[0]!;
    const major = header[1]!;
    const length = header.readUInt16BE(3);
    if (type < 20 || type > 23 || major !== 3 || length > 18_432) {
      return { kind: 'garbage', text: `not a TLS record (first bytes ${header.toString('hex')})` };
    }
    const payload = await read(length);
    if (payload === undefined) {
      if (hello) return finish();
      return { kind: 'closed', text: 'the server closed the connection mid-record' };
    }
    bytes += 5 + length;
    if (type === 21) {
      if (hello) return finish();
      const level = payload[0] ?? 2;
      const description = payload[1] ?? 0;
      return { kind: 'alert', level, description, text: `${level === 2 ? 'fatal' : 'warning'} alert ${alertName(description)}` };
    }
    if (type !== 22) {
      if (hello) return finish();
      return { kind: 'garbage', text: `record type ${type} before ServerHello` };
    }
    handshake = Buffer.concat([handshake, payload]);
    while (handshake.length >= 4) {
      const msgType = handshake[0]!;
      const msgLen = (handshake[1]! << 16) | (handshake[2]! << 8) | handshake[3]!;
      if (handshake.length < 4 + msgLen) break;
      const msg = handshake.subarray(4, 4 + msgLen);
      handshake = handshake.subarray(4 + msgLen);
      if (msgType === 2) {
        const parsed = parseServerHello(msg);
        if (parsed === undefined) return { kind: 'garbage', text: 'malformed ServerHello' };
        hello = { kind: 'server-hello', ...parsed, certificates: [] };
        if (!wantKeyExchange || hello.protocol === 'TLSv1.3' || hello.protocol === 'SSLv2') return finish();
      } else if (!hello) {
        return { kind: 'garbage', text: `handshake message ${msgType} before ServerHello` };
      } else if (msgType === 11) {
        certificates.push(...parseCertificateList(msg));
      } else if (msgType === 12) {
        const kx = parseServerKeyExchange(msg, hello.suiteName);
        if (kx.dhBits !== undefined) dhBits = kx.dhBits;
        if (kx.curve !== undefined) curve = kx.curve;
      } else if (msgType === 14) {
        return finish();
      }
    }
  }
  return hello ? finish() : { kind: 'garbage', text: 'no ServerHello within 256 KB' };
}

function parseServerHello(msg: Buffer): { protocol: Protocol; suite: number; suiteName: string; retryRequest: boolean; renegotiationInfo: boolean } | undefined {
  if (msg.length < 38) return undefined;
  let version = msg.readUInt16BE(0);
  const random = msg.subarray(2, 34);
  const sidLen = msg[34]!;
  let p = 35 + sidLen;
  if (msg.length < p + 3) return undefined;
  const suite = msg.readUInt16BE(p);
  p += 3; // suite + compression method
  let renegotiationInfo = false;
  if (msg.length >= p + 2) {
    const extLen = msg.readUInt16BE(p);
    p += 2;
    const end = Math.min(msg.length, p + extLen);
    while (p + 4 <= end) {
      const type = msg.readUInt16BE(p);
      const len = msg.readUInt16BE(p + 2);
      if (type === 0x002b && len === 2) version = msg.readUInt16BE(p + 4);
      if (type === 0xff01) renegotiationInfo = true;
      p += 4 + len;
    }
  }
  const protocol = protocolOfWire(version);
  if (protocol === undefined) return undefined;
  return { protocol, suite, suiteName: suiteName(suite), retryRequest: random.equals(HRR_RANDOM), renegotiationInfo };
}

function parseCertificateList(msg: Buffer): Buffer[] {
  const out: Buffer[] = [];
  if (msg.length < 3) return out;
  const total = (msg[0]! << 16) | (msg[1]! << 8) | msg[2]!;
  let p = 3;
  const end = Math.min(msg.length, 3 + total);
  while (p + 3 <= end) {
    const len = (msg[p]! << 16) | (msg[p + 1]! << 8) | msg[p + 2]!;
    p += 3;
    if (p + len > end) break;
    out.push(Buffer.from(msg.subarray(p, p + len)));
    p += len;
  }
  return out;
}

/** Bit length of a big-endian unsigned integer. */
export function bitLength(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

function parseServerKeyExchange(msg: Buffer, suite: string): { dhBits?: number; curve?: number } {
  if (/^TLS_(DHE_|DH_anon)/.test(suite) && msg.length >= 2) {
    const pLen = msg.readUInt16BE(0);
    if (msg.length >= 2 + pLen) return { dhBits: bitLength(msg.subarray(2, 2 + pLen)) };
  }
  if (/^TLS_ECDHE_|^TLS_ECDH_anon/.test(suite) && msg.length >= 3 && msg[0] === 3) return { curve: msg.readUInt16BE(1) };
  return {};
}

/** SSLv2 SERVER-HELLO: a 2-byte header with the high bit set, message type 4, version 0x0002. */
export async function readSsl2Outcome(read: (n: number) => Promise<Buffer | undefined>): Promise<HelloOutcome> {
  const head = await read(2);
  if (head === undefined) return { kind: 'closed', text: 'the server closed the connection without answering' };
  if ((head[0]! & 0x80) === 0) {
    if (head[0] === 21) {
      const rest = await read(5);
      const description = rest?.[4] ?? 0;
      return { kind: 'alert', level: rest?.[3] ?? 2, description, text: `fatal alert ${alertName(description)}` };
    }
    if (head[0] === 22) return { kind: 'garbage', text: 'answered with a TLS record, not SSLv2' };
    return { kind: 'garbage', text: `not an SSLv2 record (first bytes ${head.toString('hex')})` };
  }
  const len = ((head[0]! & 0x7f) << 8) | head[1]!;
  const body = await read(Math.min(len, 11));
  if (body === undefined || body.length < 11) return { kind: 'closed', text: 'short SSLv2 reply' };
  if (body[0] !== 4) return { kind: 'garbage', text: `SSLv2 message type ${body[0]} instead of SERVER-HELLO` };
  const version = body.readUInt16BE(3);
  if (version !== 0x0002) return { kind: 'garbage', text: `SSLv2 SERVER-HELLO with version ${version.toString(16)}` };
  return { kind: 'server-hello', protocol: 'SSLv2', suite: 0, suiteName: 'SSL2', retryRequest: false, renegotiationInfo: false, certificates: [] };
}
