/**
 * Whether an MX is authenticated by DANE rather than by the WebPKI (RFC 7672). A sending server
 * that finds DNSSEC-authenticated TLSA records for `_25._tcp.<mx>` uses them, not public CAs, to
 * authenticate the MX; with DANE-EE (usage 3) it matches the server's key or certificate directly
 * and checks neither the issuer, the validity dates nor the name (RFC 7672 §3.1–3.2). So on such
 * an MX a self-signed, privately issued or differently named certificate is no authentication
 * failure, and an MTA-STS policy adds nothing a DANE-capable sender needs.
 */
import type { DaneFacts, Observation } from '../../model/observation.js';
import type { Fact } from '../../model/source.js';

/**
 * The DANE fact when the MX is authenticated by DANE-EE: an SMTP endpoint, TLSA answer
 * DNSSEC-authenticated, every presented chain matching, and every usable record usage 3 (so
 * whatever matched is DANE-EE; a DANE-TA record would still ask for a name check). Else undefined.
 */
export function daneEeAuthenticated(obs: Observation): Fact<DaneFacts> | undefined {
  const f = daneValidated(obs);
  if (f === undefined) return undefined;
  return f.value.tlsa.filter((r) => r.usage === 2 || r.usage === 3).every((r) => r.usage === 3) ? f : undefined;
}

/** The DANE fact when DANE (usage 2 or 3) is validated for this MX: authenticated and matching. */
export function daneValidated(obs: Observation): Fact<DaneFacts> | undefined {
  const f = obs.dane;
  if (f === undefined || obs.endpoint.service !== 'smtp') return undefined;
  const d = f.value;
  return d.authenticated && d.matches === true ? f : undefined;
}

/** The matched record for messages, e.g. `3 1 1`. */
export function matchedRecord(f: Fact<DaneFacts>): string {
  return f.value.matched ?? 'a DANE-EE record';
}
