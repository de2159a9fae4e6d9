/**
 * Which frameworks apply to which endpoint. The domain list says it per asset (an explicit
 * `frameworks` column, or data classes that scope.yaml maps to frameworks); without a domain list
 * every selected framework applies to every endpoint, and the report says so. Endpoints belong to
 * assets many-to-many (attributeEndpoints): a shared MX serves every domain that points at it.
 */
import { domainToASCII } from 'node:url';
import type { DomainListEntry } from '../model/domain-list.js';
import type { Attribution, DomainDiscovery, EndpointOrigin } from '../model/discovery.js';
import type { ScopeRules } from '../model/framework.js';
import type { InputProblem } from '../model/problem.js';
import { MAP } from './messages.js';

export interface AssetScope {
  readonly entry: DomainListEntry;
  /** Framework id → why it applies to this asset. */
  readonly frameworks: ReadonlyMap<string, string>;
}

/** Resolves each domain-list row to its frameworks; unknown names become problems, not errors. */
export function resolveAssetScopes(entries: readonly DomainListEntry[], rules: ScopeRules, known: ReadonlySet<string>,
  problems: InputProblem[]): AssetScope[] {
  const classes = new Map(Object.entries(rules.dataClasses).map(([name, rule]) => [name.toLowerCase(), { name, rule }]));
  return entries.map((entry) => {
    const frameworks = new Map<string, string>();
    for (const id of entry.frameworks) {
      if (!known.has(id)) {
        problems.push({ file: entry.file, line: entry.line, code: 'unknown-framework', effect: 'value-ignored',
          message: MAP.unknownFrameworkInList(id, entry.domain, [...known].sort()) });
        continue;
      }
      frameworks.set(id, 'named in the domain list');
    }
    for (const dc of entry.dataClasses) {
      const hit = classes.get(dc.toLowerCase());
      if (!hit) {
        problems.push({ file: entry.file, line: entry.line, code: 'unknown-data-class', effect: 'value-ignored',
          message: MAP.unknownDataClass(dc, entry.domain, [...classes.values()].map((c) => c.name)) });
        continue;
      }
      for (const id of hit.rule.frameworks) {
        if (known.has(id) && !frameworks.has(id)) frameworks.set(id, `data class ${hit.name} (${hit.rule.description})`);
      }
    }
    return { entry, frameworks };
  });
}

/**
 * Finds the asset an endpoint host belongs to: the host itself or its closest listed parent
 * domain (mail.example.com → example.com). Names are compared in ASCII form so IDN spellings meet.
 */
export function assetMatcher(assets: readonly AssetScope[]): (host: string) => AssetScope | undefined {
  const byDomain = new Map(assets.map((a) => [asciiName(a.entry.domain), a]));
  return (host) => {
    let name = asciiName(host);
    for (;;) {
      const hit = byDomain.get(name);
      if (hit) return hit;
      const dot = name.indexOf('.');
      if (dot === -1) return undefined;
      name = name.slice(dot + 1);
    }
  };
}

function asciiName(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return domainToASCII(lower) || lower;
}

/** A `hosts` column entry of the domain list: a host name, and the port when the entry gave one. */
export interface ListedHost {
  readonly host: string;
  readonly port?: number;
}

interface AttributionInput {
  readonly endpoints: readonly { readonly key: string; readonly host: string; readonly port: number }[];
  readonly assets: readonly AssetScope[];
  /** Scan discovery records (this run's scan, or tlsproof scan results among the inputs). */
  readonly discovery: readonly DomainDiscovery[];
  /** Domain → its hosts column entries. */
  readonly listedHosts?: ReadonlyMap<string, readonly ListedHost[]>;
}

const ORIGIN_WORDS: Readonly<Record<EndpointOrigin, string>> = {
  mx: 'an MX host', 'implicit-mx': 'the implicit MX (no MX record, the domain\'s own address)', srv: 'an SRV target', hosts: 'a hosts-column entry',
};

/**
 * Endpoint key → the domain-list assets it belongs to, each with the rule that tied it
 * (ATTRIBUTION_RULES in src/model/discovery.ts). Exact ties (the scan's own record, a host name the
 * domain's discovery named, the hosts column) are many-to-many and all kept; the suffix rule is
 * the fallback for an endpoint no exact rule ties to any asset. An endpoint with no entry is unlisted.
 */
export function attributeEndpoints(input: AttributionInput): Map<string, Attribution[]> {
  const listed = new Set(input.assets.map((a) => asciiName(a.entry.domain)));
  const byKey = new Map<string, { domain: string; origin: EndpointOrigin }[]>();
  const byHost = new Map<string, { domain: string; origin: EndpointOrigin }[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const d of input.discovery) {
    const domain = asciiName(d.domain);
    if (!listed.has(domain)) continue;
    for (const e of d.endpoints) push(byKey, e.key, { domain, origin: e.origin });
    for (const h of d.hosts) push(byHost, asciiName(h.host), { domain, origin: h.origin });
  }
  const byListedHost = new Map<string, { domain: string; port: number | undefined }[]>();
  for (const [domain, hosts] of input.listedHosts ?? []) {
    if (!listed.has(asciiName(domain))) continue;
    for (const h of hosts) push(byListedHost, asciiName(h.host), { domain: asciiName(domain), port: h.port });
  }
  const display = new Map(input.assets.map((a) => [asciiName(a.entry.domain), a.entry.domain]));
  const match = assetMatcher(input.assets);
  const out = new Map<string, Attribution[]>();
  for (const ep of input.endpoints) {
    const found = new Map<string, Attribution>();
    const add = (a: Attribution) => {
      if (!found.has(a.domain)) found.set(a.domain, a);
    };
    for (const { domain, origin } of byKey.get(ep.key) ?? []) {
      const d = display.get(domain) ?? domain;
      add({ domain: d, rule: 'scan', origin, detail: `the scan probed it as ${ORIGIN_WORDS[origin]} of ${d}` });
    }
    const host = asciiName(ep.host);
    for (const { domain, origin } of byHost.get(host) ?? []) {
      const d = display.get(domain) ?? domain;
      add({ domain: d, rule: 'discovered-host', origin, detail: `host name is ${ORIGIN_WORDS[origin]} of ${d} in the scan's discovery` });
    }
    for (const { domain, port } of byListedHost.get(host) ?? []) {
      if (port !== undefined && port !== ep.port) continue;
      const d = display.get(domain) ?? domain;
      add({ domain: d, rule: 'hosts-column', origin: null, detail: `listed in the hosts column of ${d}` });
    }
    if (found.size === 0) {
      const asset = match(ep.host);
      if (asset) add({ domain: asset.entry.domain, rule: 'suffix', origin: null, detail: `host name is ${asset.entry.domain} or under it` });
    }
    if (found.size > 0) out.set(ep.key, [...found.values()].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0)));
  }
  return out;
}
