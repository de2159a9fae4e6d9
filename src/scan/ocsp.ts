/**
 * Reads the certificate status out of a stapled OCSP response (RFC 6960 §4.2.1): response status,
 * then per SingleResponse the serial number and good / revoked / unknown with its dates. Only what
 * the evidence needs: the responder's signature is NOT verified, so the result says what the
 * staple claims, not that a trusted responder said it.
 *
 * A small bounded DER walker rather than a dependency: every length is checked against the
 * buffer, nothing recurses on input depth, and anything unexpected yields `undefined`.
 */

/** OCSPResponseStatus names (RFC 6960 §4.2.1). */
const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(unused)', 'sigRequired', 'unauthorized'] as const;

/** id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1, as DER content bytes. */
const OCSP_BASIC = Buffer.from('2b0601050507300101', 'hex');

interface OcspSingleStatus {
  /** Upper-case hex without leading zeros. */
  readonly serial: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: string;
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
}

interface OcspStaple {
  /** `successful`, or the responder's error (`tryLater`…), which carries no certificate status. */
  readonly responseStatus: string;
  readonly producedAt?: string;
  readonly responses: readonly OcspSingleStatus[];
}

interface Tlv {
  readonly tag: number;
  /** Content bytes. */
  readonly value: Buffer;
}

/** The TLVs directly inside `buf`, in order; undefined on any malformed length. */
function children(buf: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  let i = 0;
  while (i < buf.length) {
    if (i + 2 > buf.length) return undefined;
    const tag = buf[i]!;
    // High-tag-number form never occurs in OCSP.
    if ((tag & 0x1f) === 0x1f) return undefined;
    let len = buf[i + 1]!;
    i += 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || i + n > buf.length) return undefined;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + buf[i + k]!;
      i += n;
    }
    if (i + len > buf.length) return undefined;
    out.push({ tag, value: buf.subarray(i, i + len) });
    i += len;
  }
  return out;
}

/** The TLVs inside a constructed TLV of `tag`, or undefined. */
function inside(t: Tlv | undefined, tag: number): Tlv[] | undefined {
  return t !== undefined && t.tag === tag ? children(t.value) : undefined;
}

/** GeneralizedTime `YYYYMMDDHHMMSS[.fff]Z` as ISO 8601. */
function time(t: Tlv | undefined): string | undefined {
  if (t?.tag !== 0x18) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(t.value.toString('latin1'));
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
}

/** A certificate serial for comparison: upper-case hex, leading zero bytes dropped. */
export function normaliseSerial(hex: string): string {
  return hex.replace(/[^0-9a-f]/gi, '').toUpperCase().replace(/^(?:00)+(?=.)/, '');
}

function single(t: Tlv): OcspSingleStatus | undefined {
  const f = inside(t, 0x30);
  const certId = inside(f?.[0], 0x30);
  const serial = certId?.[3];
  const cs = f?.[1];
  if (!f || serial?.tag !== 0x02 || cs === undefined) return undefined;
  let status: OcspSingleStatus['status'];
  let revokedAt: string | undefined;
  if (cs.tag === 0x80) status = 'good';
  else if (cs.tag === 0xa1) {
    status = 'revoked';
    revokedAt = time(children(cs.value)?.[0]);
  } else if (cs.tag === 0x82) status = 'unknown';
  else return undefined;
  const thisUpdate = time(f[2]);
  const next = f.slice(3).find((x) => x.tag === 0xa0);
  const nextUpdate = next ? time(children(next.value)?.[0]) : undefined;
  return {
    serial: normaliseSerial(serial.value.toString('hex')),
    status,
    ...(revokedAt !== undefined ? { revokedAt } : {}),
    ...(thisUpdate !== undefined ? { thisUpdate } : {}),
    ...(nextUpdate !== undefined ? { nextUpdate } : {}),
  };
}

/** Parses a DER OCSPResponse; undefined when it is not one. */
export function readOcspStaple(der: Buffer): OcspStaple | undefined {
  const top = children(der);
  if (top?.length !== 1) return undefined;
  const resp = inside(top[0], 0x30);
  const st = resp?.[0];
  if (!resp || st?.tag !== 0x0a || st.value.length !== 1) return undefined;
  const responseStatus = RESPONSE_STATUS[st.value[0]!] ?? `status ${st.value[0]}`;
  if (responseStatus !== 'successful') return { responseStatus, responses: [] };
  const bytes = inside(inside(resp[1], 0xa0)?.[0], 0x30);
  if (!bytes || bytes[0]?.tag !== 0x06 || !bytes[0].value.equals(OCSP_BASIC) || bytes[1]?.tag !== 0x04) return undefined;
  const basic = children(bytes[1].value);
  const tbs = inside(inside(basic?.[0], 0x30)?.[0], 0x30);
  if (!tbs) return undefined;
  // [0] version is optional; then responderID ([1] or [2]), producedAt, responses.
  const rest = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
  const producedAt = time(rest[1]);
  const list = inside(rest[2], 0x30);
  if (!list) return undefined;
  const responses: OcspSingleStatus[] = [];
  for (const r of list) {
    const s = single(r);
    if (!s) return undefined;
    responses.push(s);
  }
  return { responseStatus, ...(producedAt !== undefined ? { producedAt } : {}), responses };
}

/**
 * One line for the evidence: what the staple says about the certificate with `serial`, e.g.
 * `good (this update …, next update …)`, `revoked on …`, or why it says nothing about it.
 */
export function describeOcspStaple(der: Buffer, serial: string): string {
  const staple = readOcspStaple(der);
  if (!staple) return `not a readable OCSP response (${der.length} bytes)`;
  if (staple.responseStatus !== 'successful') return `responder error: ${staple.responseStatus}`;
  const mine = staple.responses.find((r) => r.serial === normaliseSerial(serial));
  if (!mine) {
    const others = staple.responses.map((r) => r.serial).join(', ') || 'none';
    return `no status for this certificate (serial ${normaliseSerial(serial)}; the response covers ${others})`;
  }
  const dates = [mine.thisUpdate ? `this update ${mine.thisUpdate}` : '', mine.nextUpdate ? `next update ${mine.nextUpdate}` : '']
    .filter(Boolean).join(', ');
  const what = mine.status === 'revoked' ? `revoked${mine.revokedAt ? ` on ${mine.revokedAt}` : ''}` : mine.status;
  return `${what}${dates ? ` (${dates})` : ''}; responder signature not verified`;
}
