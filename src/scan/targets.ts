/**
 * Domain-list rows → scan targets: the domain plus the optional `hosts` column (`host[:port]`
 * entries separated by spaces, commas, semicolons or pipes). The column name is matched the way
 * the domain list matches its own headers (case, spaces and hyphens do not matter).
 */
import type { DomainListEntry } from '../ingest/domain-list-csv.js';
import { normaliseHeader } from '../ingest/domain-list-csv.js';
import { splitHosts, type DomainTarget } from './discover.js';

export function domainTargetsFromEntries(entries: readonly DomainListEntry[]): DomainTarget[] {
  return entries.map((e) => {
    const cell = Object.entries(e.extra).find(([name]) => normaliseHeader(name) === 'hosts')?.[1] ?? '';
    const hosts = splitHosts(cell);
    return hosts.length > 0 ? { domain: e.domain, hosts } : { domain: e.domain };
  });
}
