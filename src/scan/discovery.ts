/**
 * A domain's discovery plan → the model's DomainDiscovery: which mail hosts DNS (or the hosts
 * column) named and which endpoints were probed for the domain, so a report can attribute each
 * endpoint to every domain that uses it.
 */
import type { DomainDiscovery, EndpointOrigin } from '../model/discovery.js';
import { endpointKey } from '../model/endpoint.js';
import type { DomainPlan } from './discover.js';

export function discoveryOf(plan: DomainPlan, source: string): DomainDiscovery {
  const hosts = new Map<string, EndpointOrigin>();
  const name = (h: string, origin: EndpointOrigin) => {
    const host = h.toLowerCase().replace(/\.$/, '');
    if (host !== '' && !hosts.has(host)) hosts.set(host, origin);
  };
  for (const m of plan.mx) name(m.exchange, plan.implicitMx ? 'implicit-mx' : 'mx');
  for (const s of plan.srv) if (s.port !== 0) name(s.target, 'srv');
  for (const e of plan.endpoints) name(e.host, e.origin);
  const endpoints = new Map<string, EndpointOrigin>();
  for (const e of plan.endpoints) {
    const key = endpointKey(e);
    if (!endpoints.has(key)) endpoints.set(key, e.origin);
  }
  return {
    domain: plan.domain, nullMx: plan.nullMx, dnsFailed: plan.dnsFailed ?? null,
    hosts: [...hosts].map(([host, origin]) => ({ host, origin })),
    endpoints: [...endpoints].map(([key, origin]) => ({ key, origin })),
    source,
  };
}
