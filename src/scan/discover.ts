/**
 * Discovery: a domain (plus any explicit hosts) in, the mail endpoints to probe out. MX by
 * preference with every A/AAAA (RFC 5321 §5.1: no MX means the domain itself; a single "." MX is a
 * null MX, RFC 7505: the domain takes no mail), SRV records for submission and access (RFC 6186,
 * RFC 8314), and the domain's MTA-STS and TLS-RPT records. Every answer is kept as text evidence.
 */
import net from 'node:net';
import type { EndpointOrigin } from '../model/discovery.js';
import { serviceForPort, type Service, type Transport } from '../model/endpoint.js';
import type { MtaStsFacts, TlsRptFacts } from '../model/observation.js';
import { DnsError, type Resolver } from './dns.js';
import { assessMtaSts, assessTlsRpt, type FetchOptions } from './policy.js';

export interface DomainTarget {
  readonly domain: string;
  /** Explicit `host[:port]` entries (internal relays, hosts DNS does not name). */
  readonly hosts?: readonly string[];
}

export interface PlannedEndpoint {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  readonly service: Service;
  readonly transport: Transport;
  readonly origin: EndpointOrigin;
  /** MX preference or SRV priority. */
  readonly priority?: number;
}

export interface DomainPlan {
  readonly domain: string;
  readonly mx: { preference: number; exchange: string; ips: string[] }[];
  nullMx: boolean;
  implicitMx: boolean;
  readonly srv: { name: string; priority: number; port: number; target: string }[];
  readonly endpoints: PlannedEndpoint[];
  mtaSts?: MtaStsFacts;
  mtaStsEvidence?: string;
  tlsRpt?: TlsRptFacts;
  tlsRptEvidence?: string;
  /** What could not be discovered, in words (DNS timeouts, unresolvable hosts…). */
  readonly problems: string[];
  /** Set when discovery itself failed (no endpoints could be found because DNS did not answer). */
  dnsFailed?: string;
  /** dig-like text of every answer used. */
  readonly evidence: string[];
}

const SRV_SERVICES: readonly { label: string; service: Service; transport: Transport }[] = [
  { label: '_submission._tcp', service: 'submission', transport: 'starttls' },
  { label: '_submissions._tcp', service: 'submissions', transport: 'implicit' },
  { label: '_imap._tcp', service: 'imap', transport: 'starttls' },
  { label: '_imaps._tcp', service: 'imaps', transport: 'implicit' },
  { label: '_pop3._tcp', service: 'pop3', transport: 'starttls' },
  { label: '_pop3s._tcp', service: 'pop3s', transport: 'implicit' },
];

/** `host`, `host:port`, `[v6]:port`, `v6` (no port). Port defaults to 25. */
export function parseHostEntry(entry: string): { host: string; port: number } | undefined {
  const s = entry.trim();
  if (s === '') return undefined;
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  if (v6) return net.isIPv6(v6[1]!) ? { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 25 } : undefined;
  if (net.isIPv6(s)) return { host: s, port: 25 };
  const m = /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const port = m[2] ? Number(m[2]) : 25;
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!.toLowerCase().replace(/\.$/, ''), port };
}

/** Splits a `hosts` cell: space, comma, semicolon or pipe separated. */
export function splitHosts(cell: string): string[] {
  return cell.split(/[\s,;|]+/).map((h) => h.trim()).filter(Boolean);
}

interface DiscoverOptions {
  readonly resolver: Resolver;
  readonly ipv6: boolean;
  /** Look up SRV records (default true). */
  readonly srv: boolean;
  /** MTA-STS / TLS-RPT (default true). */
  readonly policies: boolean;
  readonly fetch: Omit<FetchOptions, 'resolver'>;
}

function describe(err: unknown): string {
  return err instanceof DnsError || err instanceof Error ? err.message : String(err);
}

export async function discoverDomain(target: DomainTarget, opts: DiscoverOptions): Promise<DomainPlan> {
  const { resolver } = opts;
  const domain = target.domain.toLowerCase().replace(/\.$/, '');
  const plan: DomainPlan = { domain, mx: [], nullMx: false, implicitMx: false, srv: [], endpoints: [], problems: [], evidence: [] };
  const seen = new Set<string>();
  const add = (e: PlannedEndpoint): void => {
    const key = `${e.host}|${e.ip}|${e.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    plan.endpoints.push(e);
  };

  // MX (RFC 5321 §5.1, RFC 7505).
  try {
    const mx = await resolver.mx(domain);
    plan.evidence.push(mx.text);
    if (mx.rcode === 'NXDOMAIN') {
      plan.problems.push(`${domain} does not exist (NXDOMAIN)`);
    } else if (mx.rcode !== 'NOERROR') {
      plan.dnsFailed = `MX ${domain}: resolver answered ${mx.rcode}`;
    } else if (mx.records.length === 1 && mx.records[0]!.exchange === '') {
      plan.nullMx = true;
    } else {
      const hosts = mx.records.length > 0
        ? [...mx.records].sort((a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange))
        : [{ preference: 0, exchange: domain }];
      plan.implicitMx = mx.records.length === 0;
      for (const h of hosts) {
        if (h.exchange === '') continue;
        try {
          const addrs = await resolver.addresses(h.exchange, opts.ipv6);
          plan.evidence.push(addrs.text);
          plan.mx.push({ preference: h.preference, exchange: h.exchange, ips: addrs.ips });
          if (addrs.ips.length === 0) plan.problems.push(`MX host ${h.exchange} has no address`);
          for (const ip of addrs.ips) {
            add({ host: h.exchange, ip, port: 25, service: 'smtp', transport: 'starttls', origin: plan.implicitMx ? 'implicit-mx' : 'mx', priority: h.preference });
          }
        } catch (err) {
          plan.problems.push(`addresses of MX host ${h.exchange}: ${describe(err)}`);
        }
      }
    }
  } catch (err) {
    plan.dnsFailed = `MX ${domain}: ${describe(err)}`;
  }

  // SRV (RFC 6186 / 8314); a target of "." says the service is not offered.
  if (opts.srv && !plan.dnsFailed) {
    const answers = await Promise.all(SRV_SERVICES.map(async (s) => {
      try {
        return { s, a: await resolver.srv(`${s.label}.${domain}`) };
      } catch (err) {
        plan.problems.push(`SRV ${s.label}.${domain}: ${describe(err)}`);
        return undefined;
      }
    }));
    for (const r of answers) {
      if (!r || r.a.records.length === 0) continue;
      plan.evidence.push(r.a.text);
      for (const rec of [...r.a.records].sort((a, b) => a.priority - b.priority)) {
        plan.srv.push({ name: `${r.s.label}.${domain}`, priority: rec.priority, port: rec.port, target: rec.target });
        if (rec.target === '' || rec.port === 0) continue;
        try {
          const addrs = await resolver.addresses(rec.target, opts.ipv6);
          plan.evidence.push(addrs.text);
          for (const ip of addrs.ips) add({ host: rec.target, ip, port: rec.port, service: r.s.service, transport: r.s.transport, origin: 'srv', priority: rec.priority });
        } catch (err) {
          plan.problems.push(`addresses of SRV target ${rec.target}: ${describe(err)}`);
        }
      }
    }
  }

  // Explicit hosts from the domain list.
  for (const entry of target.hosts ?? []) {
    const parsed = parseHostEntry(entry);
    if (!parsed) {
      plan.problems.push(`hosts entry "${entry}" is not host[:port]`);
      continue;
    }
    const { service, transport } = serviceForPort(parsed.port);
    try {
      const addrs = await resolver.addresses(parsed.host, opts.ipv6);
      if (!net.isIP(parsed.host)) plan.evidence.push(addrs.text);
      if (addrs.ips.length === 0) plan.problems.push(`hosts entry ${parsed.host} has no address`);
      for (const ip of addrs.ips) add({ host: parsed.host, ip, port: parsed.port, service, transport, origin: 'hosts' });
    } catch (err) {
      plan.problems.push(`addresses of ${parsed.host}: ${describe(err)}`);
    }
  }

  // MTA-STS and TLS-RPT only matter for a domain that takes mail.
  if (opts.policies && !plan.nullMx && !plan.dnsFailed) {
    const settle = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> =>
      p.then((value) => ({ ok: true as const, value }), (err: unknown) => ({ ok: false as const, error: describe(err) }));
    const [sts, rpt] = await Promise.all([settle(resolver.txt(`_mta-sts.${domain}`)), settle(resolver.txt(`_smtp._tls.${domain}`))]);
    if (!sts.ok) plan.problems.push(`MTA-STS TXT: ${sts.error}`);
    else {
      const assessed = await assessMtaSts(domain, sts.value.records, { ...opts.fetch, resolver });
      plan.mtaSts = assessed.facts;
      const policy = assessed.policyText !== undefined
        ? `GET https://mta-sts.${domain}/.well-known/mta-sts.txt →\n${assessed.policyText.slice(0, 1500)}`
        : `policy: ${assessed.facts.policy}${assessed.facts.policyDetail ? ` (${assessed.facts.policyDetail})` : ''}`;
      plan.mtaStsEvidence = `${sts.value.text}\n${policy}`;
    }
    if (!rpt.ok) plan.problems.push(`TLS-RPT TXT: ${rpt.error}`);
    else {
      plan.tlsRpt = assessTlsRpt(rpt.value.records);
      plan.tlsRptEvidence = rpt.value.text;
    }
  }
  return plan;
}
