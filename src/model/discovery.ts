/**
 * Why an endpoint belongs to a domain. A scan knows it first hand (it probed the host because the
 * domain's MX, SRV records or hosts column named it); scanner files from other tools carry no DNS,
 * so their endpoints are tied to domains by host name. Either way each tie says which rule made it,
 * because an auditor reading "this MX serves the card-data domain" must be able to check why.
 */
import { z } from 'zod';

/** Why the scanner probed an endpoint for a domain. */
const ENDPOINT_ORIGINS = ['mx', 'implicit-mx', 'srv', 'hosts'] as const;
const EndpointOriginSchema = z.enum(ENDPOINT_ORIGINS);
export type EndpointOrigin = z.infer<typeof EndpointOriginSchema>;

/** What a scan's discovery found for one domain, kept apart from the per-endpoint Observations. */
const DomainDiscoverySchema = z.strictObject({
  domain: z.string(),
  /** The domain publishes a null MX (RFC 7505): it accepts no mail. */
  nullMx: z.boolean(),
  /** Set when DNS did not answer, so nothing is known about the domain's mail hosts. */
  dnsFailed: z.string().nullable(),
  /** Host names the domain's DNS or hosts column named (with or without addresses), and why. */
  hosts: z.array(z.strictObject({ host: z.string(), origin: EndpointOriginSchema })),
  /** Endpoints the scan probed for this domain, by endpoint key. */
  endpoints: z.array(z.strictObject({ key: z.string(), origin: EndpointOriginSchema })),
  /** The results file the discovery was read from, or the scan this run made. */
  source: z.string(),
});
export type DomainDiscovery = z.infer<typeof DomainDiscoverySchema>;

/**
 * The rules that tie an endpoint to a domain, strongest first:
 * - `scan`: a tlsproof scan probed this endpoint for the domain (origin says why);
 * - `discovered-host`: the endpoint's host name is one the domain's scan discovery named (an MX,
 *   an SRV target or a hosts entry), e.g. a testssl.sh file about that MX;
 * - `hosts-column`: the host (and port, when given) is in the domain list's hosts column;
 * - `suffix`: the host is the domain or a name under it (closest listed parent), used only when
 *   no rule above ties the endpoint to any domain.
 */
const ATTRIBUTION_RULES = ['scan', 'discovered-host', 'hosts-column', 'suffix'] as const;
const AttributionRuleSchema = z.enum(ATTRIBUTION_RULES);

export const AttributionSchema = z.strictObject({
  domain: z.string(),
  rule: AttributionRuleSchema,
  origin: EndpointOriginSchema.nullable().describe('Why the scan named this endpoint for the domain; null for hosts-column and suffix.'),
  detail: z.string().describe('The rule in words, e.g. "MX of example.com (found by the scan)".'),
});
export type Attribution = z.infer<typeof AttributionSchema>;

/**
 * Whether a domain takes mail, as far as the evidence says: `accepts-mail` (DNS named a mail host),
 * `null-mx` (RFC 7505: it takes none), `dns-failed`, `no-mail-host` (DNS answered but named no mail
 * host, e.g. NXDOMAIN), `unknown` (no scan discovery for the domain among the inputs).
 */
const MAIL_STATES = ['accepts-mail', 'null-mx', 'dns-failed', 'no-mail-host', 'unknown'] as const;
export const MailStateSchema = z.enum(MAIL_STATES);
export type MailState = z.infer<typeof MailStateSchema>;

export function mailState(d: DomainDiscovery | undefined): MailState {
  if (d === undefined) return 'unknown';
  if (d.nullMx) return 'null-mx';
  if (d.dnsFailed !== null) return 'dns-failed';
  return d.hosts.some((h) => h.origin === 'mx' || h.origin === 'implicit-mx') ? 'accepts-mail' : 'no-mail-host';
}
