/**
 * Detached CMS signatures (RFC 5652) in the CAdES baseline form PAdES asks for: signed attributes
 * content-type, message-digest and signing-certificate-v2 (which binds the signer's certificate to
 * the signature), SHA-256, the certificate chain embedded, and optionally an RFC 3161 signature
 * time-stamp as an unsigned attribute. The ASN.1 types are @peculiar's (already behind
 * @peculiar/x509); the cryptography is Node's.
 *
 * Verification reports each fact separately (content digest, signature, certificate binding,
 * chain, validity, time-stamp) so the caller can name exactly what does not hold.
 */
import { createHash, sign as cryptoSign, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute, CertificateChoices, CertificateSet, ContentInfo, DigestAlgorithmIdentifiers, EncapsulatedContentInfo,
  IssuerAndSerialNumber, SignedData, SignerIdentifier, SignerInfo, SignerInfos, id_data, id_signedData,
} from '@peculiar/asn1-cms';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;

export interface CmsSignOptions {
  /**
   * Adds the CMS signing-time attribute. PAdES forbids it (the PDF's /M says when); a detached
   * signature on a file (the bundle manifest) has nowhere else to say it.
   */
  readonly signingTime?: Date | undefined;
  /** Asks a time-stamp authority for a token over the signature value (RFC 3161). */
  readonly timestamp?: ((signatureValue: Uint8Array) => Promise<Uint8Array>) | undefined;
}

const der = (v: asn1js.BaseBlock): ArrayBuffer => v.toBER(false);
const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();
const buf = (a: ArrayBuffer | ArrayBufferView): Buffer => ArrayBuffer.isView(a) ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.from(a);

function attribute(type: string, value: ArrayBuffer): Attribute {
  return new Attribute({ attrType: type, attrValues: [value] });
}

/** DER SET OF: members sorted by their encodings, so signer and verifier hash the same bytes. */
function sortedAttributes(attrs: Attribute[]): { sorted: Attribute[]; setDer: Buffer } {
  const encoded = attrs.map((a) => ({ a, d: buf(AsnConvert.serialize(a)) })).sort((x, y) => Buffer.compare(x.d, y.d));
  const body = Buffer.concat(encoded.map((e) => e.d));
  const set = new asn1js.Set({ value: encoded.map((e) => asn1js.fromBER(new Uint8Array(e.d)).result) });
  const setDer = buf(set.toBER(false));
  if (!setDer.subarray(setDer.length - body.length).equals(body)) throw new Error('signed attributes did not re-encode');
  return { sorted: encoded.map((e) => e.a), setDer };
}

function signatureAlgorithm(key: KeyObject): AlgorithmIdentifier {
  return key.asymmetricKeyType === 'ec'
    ? new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 })
    : new AlgorithmIdentifier({ algorithm: OID.sha256WithRSA, parameters: der(new asn1js.Null()) });
}

/** A detached CMS SignedData over `content`, DER. */
export async function signDetached(content: Uint8Array, key: KeyObject, chain: readonly X509Certificate[], opts: CmsSignOptions = {}): Promise<Uint8Array> {
  const signerCert = chain[0];
  if (signerCert === undefined) throw new Error('a signer certificate is required');
  const parsed = AsnConvert.parse(signerCert.raw, Certificate);
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default hash (SHA-256).
  const essCertId = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: sha256(signerCert.raw) })] })] })] });
  const attrs = [
    attribute(OID.contentType, der(new asn1js.ObjectIdentifier({ value: id_data }))),
    attribute(OID.messageDigest, der(new asn1js.OctetString({ valueHex: sha256(content) }))),
    attribute(OID.signingCertificateV2, der(essCertId)),
    ...(opts.signingTime !== undefined ? [attribute(OID.signingTime, der(new asn1js.UTCTime({ valueDate: opts.signingTime })))] : []),
  ];
  const { sorted, setDer } = sortedAttributes(attrs);
  const signatureValue = cryptoSign('sha256', setDer, key);
  const unsigned = opts.timestamp !== undefined
    ? [new Attribute({ attrType: OID.signatureTimeStampToken, attrValues: [toArrayBuffer(await opts.timestamp(signatureValue))] })]
    : undefined;
  const signerInfo = new SignerInfo({
    version: 1,
    sid: new SignerIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: parsed.tbsCertificate.issuer, serialNumber: parsed.tbsCertificate.serialNumber }) }),
    digestAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha256 }),
    signedAttrs: sorted,
    signatureAlgorithm: signatureAlgorithm(key),
    signature: new OctetString(signatureValue),
    ...(unsigned !== undefined ? { unsignedAttrs: unsigned } : {}),
  });
  const signedData = new SignedData({
    version: 1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: OID.sha256 })]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet(chain.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(c.raw, Certificate) }))),
    signerInfos: new SignerInfos([signerInfo]),
  });
  return new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) })));
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}

// ── Verification ──

type ChainState = 'trusted' | 'untrusted' | 'not-checked';

interface TimestampResult {
  /** The time the authority vouches the signature existed at (ISO 8601). */
  readonly time: string | null;
  readonly authority: string | null;
  /** What does not hold about the token, if anything; empty when it is sound. */
  readonly problems: readonly string[];
  readonly chain: ChainState;
}

export interface CmsVerification {
  /** The signer's certificate subject, as `CN=…, O=…` (null when the CMS could not be read). */
  readonly signer: string | null;
  readonly signerCertSha256: string | null;
  /** Whether the signed content's digest matches (false: the content was altered). */
  readonly contentIntact: boolean;
  /** Whether the signature over the signed attributes verifies with the signer's key. */
  readonly signatureValid: boolean;
  readonly chain: ChainState;
  /** Signing time claimed inside the CMS (signing-time attribute), if any. */
  readonly claimedTime: string | null;
  readonly timestamp: TimestampResult | null;
  /** Each fact that does not hold, in words; empty when the signature is sound. */
  readonly problems: readonly string[];
}

function subjectLine(cert: X509Certificate): string {
  return cert.subject.split('\n').filter(Boolean).reverse().join(', ');
}

/** Builds a path from `cert` through `pool` to one of `anchors`. */
function chainState(cert: X509Certificate, pool: readonly X509Certificate[], anchors: readonly X509Certificate[], at: Date): { state: ChainState; problems: string[] } {
  const problems: string[] = [];
  if (anchors.length === 0) return { state: 'not-checked', problems };
  const isAnchor = (c: X509Certificate): boolean => anchors.some((a) => a.raw.equals(c.raw));
  let current = cert;
  const seen = new Set<string>();
  for (let depth = 0; depth < 10; depth++) {
    if (!validAt(current, at)) problems.push(`certificate "${subjectLine(current)}" was not valid at ${at.toISOString()} (valid ${new Date(current.validFrom).toISOString()} to ${new Date(current.validTo).toISOString()})`);
    if (isAnchor(current)) return { state: problems.length === 0 ? 'trusted' : 'untrusted', problems };
    seen.add(current.fingerprint256);
    const issuer = [...anchors, ...pool].find((c) => !seen.has(c.fingerprint256) && current.checkIssued(c) && current.verify(c.publicKey));
    if (issuer === undefined) {
      problems.push(`no path from "${subjectLine(current)}" to a trusted certificate in --ca-file`);
      return { state: 'untrusted', problems };
    }
    current = issuer;
  }
  problems.push('the certificate chain is longer than 10');
  return { state: 'untrusted', problems };
}

function validAt(cert: X509Certificate, at: Date): boolean {
  return new Date(cert.validFrom).getTime() <= at.getTime() && at.getTime() <= new Date(cert.validTo).getTime();
}

function parseSignedData(cms: Uint8Array): SignedData {
  const info = AsnConvert.parse(cms, ContentInfo);
  if (info.contentType !== id_signedData) throw new Error(`not CMS SignedData (content type ${info.contentType})`);
  return AsnConvert.parse(info.content, SignedData);
}

function attrValue(attrs: readonly Attribute[] | undefined, type: string): ArrayBuffer | undefined {
  return attrs?.find((a) => a.attrType === type)?.attrValues[0];
}

interface VerifyOptions {
  /** Trust anchors (--ca-file); none: the chain is not checked. */
  readonly anchors: readonly X509Certificate[];
  /** When the signature claims to have been made, to check certificate validity at (else now). */
  readonly signingTime?: Date | undefined;
  /** For an attached signature (a time-stamp token): the content is inside the CMS. */
  readonly attached?: boolean;
}

/** Verifies a CMS signature over `content` (detached) or over its own eContent (attached). */
export function verifyCms(cms: Uint8Array, content: Uint8Array | null, opts: VerifyOptions): CmsVerification & { eContent: Uint8Array | null } {
  let sd: SignedData;
  try {
    sd = parseSignedData(cms);
  } catch (err) {
    return broken(`the signature cannot be read (${(err as Error).message}); its bytes were altered or it is not CMS`);
  }
  const si = sd.signerInfos[0];
  if (si === undefined) return broken('the CMS holds no signer');
  const certs = (sd.certificates ?? []).flatMap((c) => c.certificate !== undefined ? [new X509Certificate(buf(AsnConvert.serialize(c.certificate)))] : []);
  const sid = si.sid.issuerAndSerialNumber;
  const signerCert = certs.find((c) => {
    const t = AsnConvert.parse(c.raw, Certificate).tbsCertificate;
    return sid !== undefined && buf(t.serialNumber).equals(buf(sid.serialNumber)) && buf(AsnConvert.serialize(t.issuer)).equals(buf(AsnConvert.serialize(sid.issuer)));
  });
  if (signerCert === undefined) return broken('the signer\'s certificate is not in the signature');
  const problems: string[] = [];
  const eContent = si && sd.encapContentInfo.eContent?.single !== undefined ? new Uint8Array(sd.encapContentInfo.eContent.single.buffer) : null;
  const signedContent = opts.attached ? eContent : content;
  const digestDer = attrValue(si.signedAttrs, OID.messageDigest);
  const digest = digestDer !== undefined ? buf((asn1js.fromBER(digestDer).result as asn1js.OctetString).getValue()) : null;
  const contentIntact = digest !== null && signedContent !== null && digest.equals(sha256(signedContent));
  if (si.digestAlgorithm.algorithm !== OID.sha256) problems.push(`digest algorithm ${si.digestAlgorithm.algorithm} is not SHA-256`);
  if (!contentIntact) problems.push('the signed content does not match its digest in the signature: it was altered after signing');
  let signatureValid = false;
  const signedAttrsDer = signedAttributesDer(si);
  if (signedAttrsDer === null) {
    problems.push('the signature has no signed attributes');
  } else {
    try {
      signatureValid = cryptoVerify('sha256', signedAttrsDer, signerCert.publicKey, buf(si.signature.buffer));
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) problems.push(`the signature value does not verify with the key of "${subjectLine(signerCert)}": the signature was altered or made with another key`);
  }
  const essDer = attrValue(si.signedAttrs, OID.signingCertificateV2);
  // Time-stamp authorities may bind their certificate with the older signing-certificate (v1).
  if (essDer === undefined && opts.attached) {
    // nothing to check
  } else if (essDer === undefined) {
    problems.push('no signing-certificate-v2 attribute binds the signer\'s certificate to the signature');
  } else {
    const hash = findOctetString(asn1js.fromBER(essDer).result);
    if (hash === null || !hash.equals(sha256(signerCert.raw))) problems.push('the signer\'s certificate is not the one the signature names (signing-certificate-v2 mismatch)');
  }
  const claimedDer = attrValue(si.signedAttrs, OID.signingTime);
  const claimedTime = claimedDer !== undefined ? (asn1js.fromBER(claimedDer).result as asn1js.UTCTime).toDate().toISOString() : null;
  const tsDer = attrValue(si.unsignedAttrs, OID.signatureTimeStampToken);
  const timestamp = tsDer !== undefined ? verifyTimestamp(new Uint8Array(tsDer), buf(si.signature.buffer), opts.anchors) : null;
  if (timestamp !== null) for (const p of timestamp.problems) problems.push(`time-stamp: ${p}`);
  const at = timestamp?.time != null ? new Date(timestamp.time) : opts.signingTime ?? (claimedTime !== null ? new Date(claimedTime) : new Date());
  const chain = chainState(signerCert, certs, opts.anchors, at);
  problems.push(...chain.problems);
  return {
    signer: subjectLine(signerCert), signerCertSha256: sha256(signerCert.raw).toString('hex'),
    contentIntact, signatureValid, chain: chain.state, claimedTime, timestamp, problems, eContent,
  };

  function broken(problem: string): CmsVerification & { eContent: null } {
    return { signer: null, signerCertSha256: null, contentIntact: false, signatureValid: false, chain: 'not-checked', claimedTime: null, timestamp: null, problems: [problem], eContent: null };
  }
}

/**
 * The signed attributes as signed: a SET OF in the order they were encoded. The parser keeps the
 * raw bytes only in some positions, so they are re-encoded when absent; DER (which signers must
 * use for signed attributes) re-encodes to the same bytes.
 */
function signedAttributesDer(si: SignerInfo): Buffer | null {
  if (si.signedAttrsRaw !== undefined) {
    const set = Buffer.from(si.signedAttrsRaw);
    set[0] = 0x31; // signed as SET OF, stored as [0] IMPLICIT
    return set;
  }
  if (si.signedAttrs === undefined || si.signedAttrs.length === 0) return null;
  const set = new asn1js.Set({ value: si.signedAttrs.map((a) => asn1js.fromBER(AsnConvert.serialize(a)).result) });
  return buf(set.toBER(false));
}

function findOctetString(block: asn1js.AsnType): Buffer | null {
  if (block instanceof asn1js.OctetString) return buf(block.getValue());
  if (block instanceof asn1js.Sequence) {
    for (const v of block.valueBlock.value) {
      const found = findOctetString(v);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Checks an RFC 3161 token: its own CMS signature, and that it time-stamps exactly `signatureValue`. */
function verifyTimestamp(token: Uint8Array, signatureValue: Uint8Array, anchors: readonly X509Certificate[]): TimestampResult {
  const inner = verifyCms(token, null, { anchors, attached: true });
  const problems = [...inner.problems];
  let time: string | null = null;
  if (inner.eContent !== null) {
    const tst = parseTstInfo(inner.eContent);
    time = tst?.genTime ?? null;
    if (tst === null) problems.push('the token\'s TSTInfo cannot be read');
    else if (!tst.imprint.equals(sha256(signatureValue))) problems.push('the token time-stamps other data than this signature');
  } else {
    problems.push('the token carries no TSTInfo');
  }
  return { time, authority: inner.signer, problems, chain: inner.chain };
}

/** TSTInfo ::= SEQUENCE { version, policy, messageImprint SEQUENCE { hashAlgorithm, hashedMessage }, serialNumber, genTime, accuracy?, ordering?, nonce?, … } */
export function parseTstInfo(der: Uint8Array): { imprint: Buffer; genTime: string; nonce: Buffer | null } | null {
  const seq = asn1js.fromBER(der).result;
  if (!(seq instanceof asn1js.Sequence)) return null;
  const [, , imprint, , genTime, ...rest] = seq.valueBlock.value;
  if (!(imprint instanceof asn1js.Sequence) || !(genTime instanceof asn1js.GeneralizedTime)) return null;
  const hashed = imprint.valueBlock.value[1];
  if (!(hashed instanceof asn1js.OctetString)) return null;
  // The nonce is the only INTEGER after genTime (accuracy is a SEQUENCE, ordering a BOOLEAN).
  const nonce = rest.find((v) => v instanceof asn1js.Integer) as asn1js.Integer | undefined;
  return { imprint: buf(hashed.getValue()), genTime: genTime.toDate().toISOString(), nonce: nonce === undefined ? null : buf(nonce.valueBlock.valueHexView) };
}
