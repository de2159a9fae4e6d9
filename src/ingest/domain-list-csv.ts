/**
 * The domain list: the organisation's own statement of scope (domain, owner, business unit, data
 * classes, frameworks, notes). Header names are case-insensitive and tolerant of spaces and
 * hyphens; columns tlsproof does not interpret are kept and shown in the report.
 */
import { isIP, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { normaliseHeader, type DomainListEntry } from '../model/domain-list.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';
import { PROBLEM } from './messages.js';

const KNOWN = ['domain', 'owner', 'business_unit', 'data_classes', 'frameworks', 'notes'] as const;
type KnownColumn = (typeof KNOWN)[number];

export const domainListCsv: CsvIngester = {
  id: 'domain-list-csv',
  describe: 'domain list CSV (columns: domain, owner, business_unit, data_classes, frameworks, notes; more columns are kept)',
  detect(header) {
    const names = header.map(normaliseHeader);
    return names.includes('domain') && !names.includes('fqdn/ip');
  },
  start(header, ctx) {
    return new DomainListSink(header, ctx);
  },
};

/** Splits "PHI; PAN", "PHI,PAN" or "PHI | PAN" into items. */
function splitList(s: string): string[] {
  return s.split(/[;,|]/).map((x) => x.trim()).filter(Boolean);
}

class DomainListSink implements RecordSink {
  private readonly index = new Map<KnownColumn, number>();
  private readonly extraColumns: { name: string; at: number }[] = [];
  private readonly entries: DomainListEntry[] = [];
  private readonly seen = new Map<string, number>();
  private records = 0;

  constructor(private readonly header: readonly string[], private readonly ctx: IngestContext) {
    header.forEach((name, at) => {
      const n = normaliseHeader(name);
      if ((KNOWN as readonly string[]).includes(n) && !this.index.has(n as KnownColumn)) this.index.set(n as KnownColumn, at);
      else this.extraColumns.push({ name: name.trim(), at });
    });
  }

  private field(fields: readonly string[], col: KnownColumn): string {
    const at = this.index.get(col);
    return at === undefined ? '' : (fields[at] ?? '').trim();
  }

  record(fields: readonly string[], line: number): void {
    this.records++;
    if (fields.every((f) => f.trim() === '')) return;
    if (fields.length !== this.header.length) {
      this.ctx.problem({ line, column: Math.min(fields.length, this.header.length) + 1, code: 'ragged-row', effect: 'row-skipped',
        message: PROBLEM.raggedRow(fields.length, this.header.length) });
      return;
    }
    const domainCol = (this.index.get('domain') ?? 0) + 1;
    const domain = this.field(fields, 'domain').toLowerCase().replace(/\.$/, '');
    if (domain === '') {
      this.ctx.problem({ line, column: domainCol, code: 'missing-domain', effect: 'row-skipped', message: PROBLEM.fieldEmpty('domain') });
      return;
    }
    if (!isDomainName(domain)) {
      this.ctx.problem({ line, column: domainCol, code: 'bad-domain', effect: 'row-skipped',
        message: PROBLEM.notADomain(domain) });
      return;
    }
    const firstLine = this.seen.get(domain);
    if (firstLine !== undefined) {
      this.ctx.problem({ line, column: domainCol, code: 'duplicate-domain', effect: 'row-skipped',
        message: PROBLEM.duplicateDomain(domain, firstLine) });
      return;
    }
    this.seen.set(domain, line);
    const extra: Record<string, string> = {};
    for (const { name, at } of this.extraColumns) {
      extra[name] = (fields[at] ?? '').trim();
      if (normaliseHeader(name) !== 'hosts') continue;
      // The scanner leaves out entries it cannot use; say so here, where the line is known.
      for (const entry of extra[name].split(HOST_SEPARATORS).filter(Boolean)) {
        const why = hostEntryProblem(entry);
        if (why !== undefined) {
          this.ctx.problem({ line, column: at + 1, code: 'bad-host-entry', effect: 'value-ignored',
            message: PROBLEM.badHostEntry(entry, why) });
        }
      }
    }
    this.entries.push({
      domain,
      owner: this.field(fields, 'owner'),
      businessUnit: this.field(fields, 'business_unit'),
      dataClasses: splitList(this.field(fields, 'data_classes')),
      frameworks: splitList(this.field(fields, 'frameworks')).map((f) => f.toLowerCase()),
      notes: this.field(fields, 'notes'),
      extra,
      file: this.ctx.file,
      line,
    });
  }

  end() {
    return { kind: 'domain-list' as const, entries: this.entries, records: this.records };
  }
}

/** How a `hosts` cell is split (as the scanner splits it): spaces, commas, semicolons, pipes. */
const HOST_SEPARATORS = /[\s,;|]+/;

/** Why a `hosts` entry (host, host:port, [v6]:port) cannot be scanned, or undefined when it can. */
function hostEntryProblem(entry: string): string | undefined {
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (v6) {
    host = v6[1]!;
    port = v6[2];
    if (!isIPv6(host)) return `"${host}" is not an IPv6 address`;
  } else if (isIPv6(entry)) {
    return undefined;
  } else {
    const colon = entry.lastIndexOf(':');
    host = colon < 0 ? entry : entry.slice(0, colon);
    port = colon < 0 ? undefined : entry.slice(colon + 1);
    if (!isIP(host) && !/^[A-Za-z0-9._-]+$/.test(host)) return `"${host}" is not a host name or IP address`;
  }
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    return `port "${port}" is not a number from 1 to 65535`;
  }
  return undefined;
}

/** Accepts IDN names (checked through their ASCII form) and rejects URLs, paths and spaces. */
function isDomainName(name: string): boolean {
  if (/[\s/:@]/.test(name)) return false;
  const ascii = domainToASCII(name);
  if (ascii === '' || ascii.length > 253) return false;
  return ascii.split('.').every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label)) && ascii.includes('.');
}
