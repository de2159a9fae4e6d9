/**
 * The words both renderers print for a certificate's OCSP stapling: one wording, so the HTML and
 * the PDF say the same thing about revocation evidence.
 */
import type { CertificateSummary } from '../model/report-model.js';

const day = (iso: string | null): string => (iso === null ? '' : iso.slice(0, 10));

export function ocspLabel(ocsp: CertificateSummary['ocsp']): string {
  if (ocsp.stapled === null) return 'Not recorded by the scan';
  if (!ocsp.stapled) return 'Not stapled (no revocation evidence either way)';
  const asOf = ocsp.thisUpdate !== null ? ` as of ${day(ocsp.thisUpdate)}` : '';
  const next = ocsp.nextUpdate !== null ? `, next update due ${day(ocsp.nextUpdate)}` : '';
  switch (ocsp.status) {
    case 'good': return `Stapled: good${asOf}${next}`;
    case 'revoked': return `Stapled: REVOKED${ocsp.revokedAt !== null ? ` on ${day(ocsp.revokedAt)}` : ''}${asOf}`;
    case 'unknown': return `Stapled: unknown to the responder${asOf}`;
    default: return 'Stapled (status for this certificate not read)';
  }
}
