/**
 * Domain-list rows → scan targets: the domain plus the optional `hosts` column (`host[:port]`
 * entries separated by spaces, commas, semicolons or pipes). The column name is matched the way
 * the domain list matches its own headers (case, spaces and hyphens do not matter).
 */
import { normaliseHeader, type DomainListEntry } from '../model/domain-list.js';
import { parseHostEntry, splitHosts, type DomainTarget } from './discover.js';

export function domainTargetsFromEntries(entries: readonly DomainListEntry[]): DomainTarget[] {
  return entries.map((e) => {
    const cell = Object.entries(e.extra).find(([name]) => normaliseHeader(name) === 'hosts')?.[1] ?? '';
    const hosts = splitHosts(cell);
    return hosts.length > 0 ? { domain: e.domain, hosts } : { domain: e.domain };
  });
}

/**
 * Domain → its hosts column entries as host names, with the port only where the entry names one
 * ("relay.example.com:587"); a bare host stands for any port. Entries that are not host[:port]
 * are left out (discovery reports them as the domain's problems when it scans).
 */
export function listedHostsOf(targets: readonly DomainTarget[]): Map<string, { host: string; port?: number }[]> {
  const out = new Map<string, { host: string; port?: number }[]>();
  for (const t of targets) {
    const hosts = (t.hosts ?? []).flatMap((h) => {
      const parsed = parseHostEntry(h);
      if (!parsed) return [];
      return /:\d+$/.test(h.trim()) ? [parsed] : [{ host: parsed.host }];
    });
    if (hosts.length > 0) out.set(t.domain, hosts);
  }
  return out;
}
