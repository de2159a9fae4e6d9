/**
 * Chain trust judged apart from the leaf's dates. OpenSSL reports one verification error, and for
 * an expired (or not yet valid) leaf that is CERT_HAS_EXPIRED even when the chain to a trusted root
 * is sound. Expiry is `cert-expired`'s fact; counting it again as "untrusted" would fail one fact
 * twice. So when OpenSSL's only complaint may be the leaf's dates, the path is rebuilt here: each
 * certificate must be issued and signed by the next (presented intermediates, then the trust
 * anchors), and every certificate above the leaf must be within its own validity period.
 */
import { X509Certificate } from 'node:crypto';

/** OpenSSL verification codes about a certificate's dates. */
export const DATE_ERRORS: ReadonlySet<string> = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

const anchorCache = new WeakMap<readonly string[], readonly X509Certificate[]>();

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Trust anchors parsed once per store (the PEM strings may be whole bundles). */
function anchorsOf(pems: readonly string[]): readonly X509Certificate[] {
  let hit = anchorCache.get(pems);
  if (!hit) {
    const out: X509Certificate[] = [];
    for (const text of pems) {
      for (const block of text.match(PEM_BLOCK) ?? []) {
        try {
          out.push(new X509Certificate(block));
        } catch {
          // A malformed entry in a system bundle cannot anchor anything; the rest still can.
        }
      }
    }
    hit = out;
    anchorCache.set(pems, hit);
  }
  return hit;
}

function within(cert: X509Certificate, at: Date): boolean {
  return new Date(cert.validFrom).getTime() <= at.getTime() && at.getTime() <= new Date(cert.validTo).getTime();
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

interface TrustIgnoringLeafDates {
  readonly trusted: boolean;
  readonly detail: string;
}

/**
 * Whether `chain` (DER, leaf first, as presented) leads to one of `anchors` (PEM) with valid
 * signatures, ignoring the leaf's own validity dates but not those of the certificates above it.
 */
export function trustIgnoringLeafDates(chain: readonly Buffer[], anchors: readonly string[], at: Date): TrustIgnoringLeafDates {
  const parsed: X509Certificate[] = [];
  for (const der of chain) {
    try {
      parsed.push(new X509Certificate(der));
    } catch {
      return { trusted: false, detail: 'a presented certificate could not be read' };
    }
  }
  const leaf = parsed[0];
  if (leaf === undefined) return { trusted: false, detail: 'no certificate presented' };
  const roots = anchorsOf(anchors);
  const used = new Set<X509Certificate>([leaf]);
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    if (roots.some((r) => r.fingerprint256 === current.fingerprint256) && current !== leaf) {
      return { trusted: true, detail: 'chains to a trusted root' };
    }
    const root = roots.find((r) => issuedBy(current, r));
    if (root) {
      if (!within(root, at)) return { trusted: false, detail: `the trusted root ${root.subject.replace(/\n/g, ', ')} is outside its validity period` };
      return { trusted: true, detail: 'chains to a trusted root' };
    }
    const next = parsed.find((c) => !used.has(c) && c.ca && issuedBy(current, c));
    if (!next) return { trusted: false, detail: 'no path from the certificate to a trusted root' };
    if (!within(next, at)) return { trusted: false, detail: `the intermediate ${next.subject.replace(/\n/g, ', ')} is outside its validity period` };
    used.add(next);
    current = next;
  }
  return { trusted: false, detail: 'the chain is longer than 10 certificates' };
}
