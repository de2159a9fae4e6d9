/**
 * Nessus `.nessus` files (NessusClientData_v2 XML), the export Tenable users keep: a `<Policy>`
 * (its name; the plugin list is not read), then per `<ReportHost>` its `<HostProperties>`
 * (host-ip, host-fqdn, HOST_START/HOST_END and their `_TIMESTAMP` forms) and one `<ReportItem>` per
 * plugin × port, whose `<cve>` children list every CVE of the finding. Findings of the TLS plugins
 * are read with the same plugin table as the CSV reader (nessus-plugins.ts), so one finding yields
 * the same facts from either export; other plugins are counted per plugin id and skipped.
 *
 * Streamed with saxes: only a host's TLS findings are held until its `</ReportHost>`, and only the
 * text of the elements read (plugin output, CVEs, risk factor) is collected. A DOCTYPE is refused
 * (a scanner export has none; a DTD could declare entities), and saxes expands no entity beyond
 * the five XML ones, so the reader's memory does not depend on what the file declares.
 *
 * Each host's findings are dated from its HOST_END (else HOST_START), so no `--observed-at` is
 * needed. The Nessus version, plugin feed and policy (plugin 19506 "Nessus Scan Information",
 * `<policyName>`) become the observations' tool and the file's scan context.
 */
import { SaxesParser } from 'saxes';
import { ownedString } from '../model/source.js';
import { NESSUS_TLS_PLUGINS, NessusFindings } from './nessus-plugins.js';
import { isIpAddress, parseScannerDate, SkipCounter } from './tls-names.js';
import type { DocumentIngester, IngestContext } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { boundedAttributes, boundedText, xmlOversized } from './limits.js';
import { xmlFailure } from './xml-failure.js';
import { PROBLEM } from './messages.js';

/** "Nessus Scan Information": the scanner version and plugin feed of the scan, per host. */
const SCAN_INFO_PLUGIN = 19506;

/** Elements of a `<ReportItem>` whose text is read. */
const ITEM_TEXT = new Set(['plugin_output', 'cve', 'risk_factor']);

interface Item {
  readonly pluginId: number;
  readonly name: string;
  readonly portRaw: string;
  readonly proto: string;
  readonly line: number;
  readonly column: number;
  output: string;
  readonly cves: string[];
  risk: string;
}

interface Host {
  readonly name: string;
  readonly line: number;
  readonly tags: Map<string, string>;
  readonly items: Item[];
}

export const nessusXml: DocumentIngester = {
  id: 'nessus-xml',
  syntax: 'xml',
  describe: 'Nessus .nessus file (NessusClientData_v2 XML: ReportHost, HostProperties, ReportItem)',
  sniff(head) {
    return /<NessusClientData_v2[\s>]/.test(head);
  },
  async consume(text, ctx) {
    const reader = new NessusXmlReader(ctx);
    for await (const chunk of text) {
      if (!reader.write(chunk)) break;
    }
    return reader.end();
  },
};

/** `Mon Jun 29 14:39:43 2020` (asctime, no zone: read as UTC) or an epoch in seconds → ISO. */
function hostTime(tags: ReadonlyMap<string, string>, which: 'END' | 'START'): string | undefined {
  const epoch = tags.get(`HOST_${which}_TIMESTAMP`)?.trim();
  if (epoch && /^\d{9,11}$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  const text = tags.get(`HOST_${which}`)?.trim();
  if (!text) return undefined;
  return parseScannerDate(text.replace(/^[A-Za-z]{3}\s+(?=[A-Za-z]{3}\s)/, ''));
}

class NessusXmlReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly findings: NessusFindings;
  private readonly skipped = new SkipCounter();
  private failed = false;
  private sawRoot = false;
  private items = 0;
  private hosts = 0;
  private host: Host | undefined;
  private item: Item | undefined;
  /** What the open element's text goes to, while one that is read is open. */
  private collect: ((text: string) => void) | undefined;
  private text = '';
  private policyName: string | undefined;
  private version: string | undefined;
  private feed: string | undefined;
  private scannerIp: string | undefined;
  private first: string | undefined;
  private last: string | undefined;
  private readonly onText: (t: string) => void;
  private tagLine = 1;
  private tagColumn = 1;

  constructor(private readonly ctx: IngestContext) {
    this.findings = new NessusFindings(ctx, 'nessus-xml');
    const p = this.parser;
    // Where each start tag begins ('<'), for problems and citations: `opentag` fires at its end.
    p.on('opentagstart', (tag) => {
      this.tagLine = p.line;
      this.tagColumn = p.column - tag.name.length - 1;
    });
    p.on('opentag', (tag) => this.open(tag.name, boundedAttributes(tag.attributes as Record<string, string>,
      (name, length) => this.ctx.problem(xmlOversized(p.line, `attribute ${name} of <${tag.name}>`, length)))));
    p.on('closetag', (tag) => this.close(tag.name));
    // Text is collected only while an element that is read is open (see open/close): most of a
    // .nessus file is descriptions and solutions nobody here reads.
    const tooLong = (length: number): void => this.ctx.problem(xmlOversized(p.line, 'the text of an element', length));
    this.onText = (t) => {
      this.text = boundedText(this.text, t, tooLong);
    };
    p.on('cdata', (t) => {
      if (this.collect) this.text = boundedText(this.text, t, tooLong);
    });
    p.on('doctype', () => {
      this.fail('doctype', PROBLEM.nessusDoctype());
    });
    p.on('error', (err) => {
      const where = this.host ? PROBLEM.insideRecord(`<ReportHost name="${this.host.name}">`, this.host.line) : '';
      const f = xmlFailure(err, where, this.hosts, 'host');
      this.fail(f.code, f.message);
    });
  }

  private fail(code: string, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.ctx.problem({ line: this.parser.line, column: this.parser.column, code, effect: this.hosts === 0 ? 'file-skipped' : 'row-skipped', message });
  }

  write(chunk: string): boolean {
    if (this.failed) return false;
    this.parser.write(chunk);
    return !this.failed;
  }

  private startText(to: (text: string) => void): void {
    this.text = '';
    this.collect = to;
    this.parser.on('text', this.onText);
  }

  private open(name: string, a: Record<string, string>): void {
    if (this.failed) return;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (name !== 'NessusClientData_v2') {
        this.fail('not-nessus', PROBLEM.notNessus(name));
      }
      return;
    }
    if (this.item) {
      if (ITEM_TEXT.has(name) && this.collect === undefined && this.wanted(this.item)) {
        const item = this.item;
        this.startText(name === 'cve' ? (t) => item.cves.push(t.trim()) : name === 'risk_factor' ? (t) => { item.risk = t.trim(); } : (t) => { item.output = t; });
      }
      return;
    }
    switch (name) {
      case 'policyName':
        this.startText((t) => { this.policyName = ownedString(t.trim()); });
        return;
      case 'ReportHost':
        this.host = { name: a['name'] ?? '', line: this.tagLine, tags: new Map(), items: [] };
        return;
      case 'tag': {
        const host = this.host;
        const tagName = a['name'];
        if (host && tagName !== undefined) this.startText((t) => { host.tags.set(ownedString(tagName), ownedString(t.trim())); });
        return;
      }
      case 'ReportItem':
        if (!this.host) return;
        this.items++;
        this.item = {
          pluginId: /^\d+$/.test(a['pluginID'] ?? '') ? Number(a['pluginID']) : NaN,
          name: a['pluginName'] ?? '', portRaw: a['port'] ?? '', proto: a['protocol'] || 'tcp',
          line: this.tagLine, column: this.tagColumn, output: '', cves: [], risk: '',
        };
        return;
      default:
    }
  }

  /** Text is kept for TLS plugins and the scan information plugin only. */
  private wanted(item: Item): boolean {
    return NESSUS_TLS_PLUGINS[item.pluginId] !== undefined || item.pluginId === SCAN_INFO_PLUGIN;
  }

  private close(name: string): void {
    if (this.failed) return;
    if (this.collect) {
      this.parser.off('text');
      const to = this.collect;
      this.collect = undefined;
      to(this.text);
      this.text = '';
      return;
    }
    if (name === 'ReportItem' && this.item && this.host) {
      this.endItem(this.host, this.item);
      this.item = undefined;
    } else if (name === 'ReportHost' && this.host) {
      this.endHost(this.host);
      this.host = undefined;
    }
  }

  private endItem(host: Host, item: Item): void {
    const ctx = this.ctx;
    if (Number.isNaN(item.pluginId)) {
      ctx.problem({ line: item.line, column: item.column, code: 'bad-plugin-id', effect: 'row-skipped', message: PROBLEM.pluginNoId(item.name) });
      return;
    }
    if (item.pluginId === SCAN_INFO_PLUGIN) {
      this.scanInfo(item.output);
      return;
    }
    if (!NESSUS_TLS_PLUGINS[item.pluginId]) {
      this.skipped.add(String(item.pluginId), item.name);
      return;
    }
    const port = Number(item.portRaw);
    if (item.portRaw === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.problem({ line: item.line, column: item.column, code: 'bad-port', effect: 'row-skipped', message: PROBLEM.pluginPortNotNumber(item.portRaw, item.pluginId) });
      return;
    }
    if (port === 0) {
      ctx.problem({ line: item.line, column: item.column, code: 'no-port', effect: 'row-skipped',
        message: PROBLEM.pluginOnPortZero(item.pluginId, item.name) });
      return;
    }
    host.items.push(item);
  }

  /** 19506 output: "Nessus version : 10.8.1", "Plugin feed version : 202609150612", "Scanner IP : …". */
  private scanInfo(output: string): void {
    const field = (label: string): string | undefined => new RegExp(`^\\s*${label}\\s*:\\s*(.+?)\\s*$`, 'im').exec(output)?.[1];
    this.version ??= ownedString(field('Nessus version') ?? '') || undefined;
    this.feed ??= ownedString(field('Plugin feed version') ?? '') || undefined;
    this.scannerIp ??= ownedString(field('Scanner IP') ?? '') || undefined;
  }

  private endHost(host: Host): void {
    this.hosts++;
    const ctx = this.ctx;
    const ip = host.tags.get('host-ip') || (isIpAddress(host.name) ? host.name : undefined);
    const name = host.tags.get('host-fqdn') || host.name || ip || '';
    if (name === '') {
      if (host.items.length > 0) ctx.problem({ line: host.line, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.reportHostNoName() });
      return;
    }
    const end = hostTime(host.tags, 'END') ?? hostTime(host.tags, 'START');
    const start = hostTime(host.tags, 'START');
    if (start && (!this.first || start < this.first)) this.first = start;
    if (end && (!this.last || end > this.last)) this.last = end;
    if (!end && (host.tags.has('HOST_END') || host.tags.has('HOST_START'))) {
      ctx.problem({ line: host.line, code: 'unparseable-date', effect: 'value-ignored',
        message: PROBLEM.hostEndNotTime(host.tags.get('HOST_END') ?? host.tags.get('HOST_START'), name, ctx.observedAtSource === 'option') });
    }
    for (const item of host.items) {
      const base = { host: name, ip, port: Number(item.portRaw), proto: item.proto, pluginId: item.pluginId, name: item.name, output: item.output, risk: item.risk, line: item.line };
      // One finding per CVE, as the CSV export has it: the shared bookkeeping merges the repeats.
      let obs = this.findings.apply({ ...base, cve: item.cves[0] ?? '' });
      for (const cve of item.cves.slice(1)) obs = this.findings.apply({ ...base, cve });
      if (end && (obs.observedAtSource !== 'input' || end > obs.observedAt)) {
        obs.observedAt = end;
        obs.observedAtSource = 'input';
      }
    }
  }

  end() {
    if (!this.failed) {
      try {
        this.parser.close();
      } catch { /* reported through the error handler */ }
    }
    if (!this.failed && this.hosts === 0) {
      this.ctx.problem({ code: 'no-records', effect: 'file-skipped', message: PROBLEM.nessusNoHosts() });
    }
    const observations = this.findings.finish();
    const tool = this.version ? `Nessus ${this.version}` : 'Nessus';
    for (const o of observations) o.tool = tool;
    const context: ScanContext = {
      tool,
      ...(this.version ? { version: this.version } : {}),
      ...(this.feed ? { feed: `plugin feed ${this.feed}` } : {}),
      ...(this.scannerIp ? { scannerAddress: this.scannerIp } : {}),
      ...(this.policyName ? { policy: this.policyName } : {}),
      ...(this.first ? { startedAt: this.first } : {}),
      ...(this.last ? { endedAt: this.last } : {}),
    };
    return { kind: 'scan-results' as const, observations, records: this.items, skipped: this.skipped.summary(), context };
  }
}
