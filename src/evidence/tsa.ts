/**
 * RFC 3161 time-stamps: asks a time-stamp authority over HTTP for a token over a signature value,
 * checks that the answer is granted, carries the imprint asked for and the nonce sent, and returns
 * the token (a CMS SignedData) to embed as the signature's unsigned attribute.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { OID, parseTstInfo } from './cms.js';
import { ReportError } from '../errors.js';
import { EVIDENCE } from './messages.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';

/** TimeStampReq ::= SEQUENCE { version 1, messageImprint, nonce, certReq TRUE } */
export function timestampRequest(data: Uint8Array, nonce: Uint8Array): Uint8Array {
  const imprint = new asn1js.Sequence({ value: [
    new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.sha256 })] }),
    new asn1js.OctetString({ valueHex: createHash('sha256').update(data).digest() }),
  ] });
  const req = new asn1js.Sequence({ value: [
    new asn1js.Integer({ value: 1 }), imprint,
    new asn1js.Integer({ valueHex: Buffer.concat([Buffer.from([0x01]), nonce]) }),
    new asn1js.Boolean({ value: true }),
  ] });
  return new Uint8Array(req.toBER(false));
}

/** The token from a TimeStampResp, after checking status, imprint and nonce. */
export function tokenFromResponse(resp: Uint8Array, data: Uint8Array, nonce: Uint8Array, url: string): Uint8Array {
  const parsed = asn1js.fromBER(resp).result;
  if (!(parsed instanceof asn1js.Sequence)) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaNotAResponse(url));
  const [statusInfo, token] = parsed.valueBlock.value;
  const status = statusInfo instanceof asn1js.Sequence ? statusInfo.valueBlock.value[0] : undefined;
  const code = status instanceof asn1js.Integer ? status.valueBlock.valueDec : -1;
  if (code !== 0 && code !== 1) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaRefused(url, code));
  if (token === undefined) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaNoToken(url));
  const der = new Uint8Array(token.toBER(false));
  const sd = AsnConvert.parse(AsnConvert.parse(der, ContentInfo).content, SignedData);
  const eContent = sd.encapContentInfo.eContent?.single;
  const tst = eContent === undefined ? null : parseTstInfo(new Uint8Array(eContent.buffer));
  if (tst === null) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaUnreadableToken(url));
  if (!tst.imprint.equals(createHash('sha256').update(data).digest())) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaOtherData(url));
  if (tst.nonce !== null && !tst.nonce.equals(Buffer.concat([Buffer.from([0x01]), nonce]))) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaOtherRequest(url));
  return der;
}

export function timestamper(url: string, timeoutMs = 30_000): (data: Uint8Array) => Promise<Uint8Array> {
  return async (data) => {
    const nonce = randomBytes(8);
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: timestampRequest(data, nonce), signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new ReportError('tsa-failed', {}, EVIDENCE.tsaUnreachable(url, (err as Error).message));
    }
    if (!res.ok) throw new ReportError('tsa-failed', {}, EVIDENCE.tsaHttp(url, res.status, res.statusText));
    return tokenFromResponse(new Uint8Array(await res.arrayBuffer()), data, nonce, url);
  };
}
