/**
 * An endpoint is one TLS-speaking (or not) service on one address: host + ip + port.
 * Service and transport are derived from the port when the input does not say.
 */
import { z } from 'zod';

export const ServiceSchema = z.enum([
  'smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s', 'https', 'other',
]);
export type Service = z.infer<typeof ServiceSchema>;

export const TransportSchema = z.enum(['starttls', 'implicit', 'none']);
export type Transport = z.infer<typeof TransportSchema>;

export const EndpointSchema = z.strictObject({
  /** DNS name as scanned (IDN names kept in the form the input used). */
  host: z.string(),
  ip: z.string().optional(),
  port: z.number().int().min(0).max(65535),
  service: ServiceSchema,
  transport: TransportSchema,
});
export type Endpoint = z.infer<typeof EndpointSchema>;

interface PortDefault { service: Service; transport: Transport }

/** IANA / RFC 8314 port assignments for mail; 443 for MTA-STS policy hosts and web mail. */
const PORT_DEFAULTS: Readonly<Record<number, PortDefault>> = {
  25: { service: 'smtp', transport: 'starttls' },
  587: { service: 'submission', transport: 'starttls' },
  465: { service: 'submissions', transport: 'implicit' },
  143: { service: 'imap', transport: 'starttls' },
  993: { service: 'imaps', transport: 'implicit' },
  110: { service: 'pop3', transport: 'starttls' },
  995: { service: 'pop3s', transport: 'implicit' },
  443: { service: 'https', transport: 'implicit' },
};

/** Service and transport for a port; unknown ports are `other` over implicit TLS (what a scanner without a STARTTLS flag does). */
export function serviceForPort(port: number): PortDefault {
  return PORT_DEFAULTS[port] ?? { service: 'other', transport: 'implicit' };
}

/** Stable key: one endpoint per host, address and port. */
export function endpointKey(e: Pick<Endpoint, 'host' | 'ip' | 'port'>): string {
  return e.ip && e.ip !== e.host ? `${e.host}[${e.ip}]:${e.port}` : `${e.host}:${e.port}`;
}

/** Human label used in messages and reports. */
export function endpointLabel(e: Pick<Endpoint, 'host' | 'ip' | 'port'>): string {
  return e.ip && e.ip !== e.host ? `${e.host} (${e.ip}) port ${e.port}` : `${e.host} port ${e.port}`;
}
