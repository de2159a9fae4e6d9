/**
 * Greenbone / OpenVAS XML reports: the "XML" report format (a994b278-1f62-11e1-96ac-406186ea4fc5),
 * as downloaded (`<report …><report id>…`) or as a GMP `get_reports` response
 * (`<get_reports_response><report>…`), from GMP 22.x back to OMP 7. Per `<result>` under
 * `<results>`: `<host>` (its address, with `<hostname>` inline since GMP 8), `<port>` (`25/tcp`,
 * `general/tcp`), `<nvt oid>` with its `<name>` and CVEs (`<refs><ref type="cve">`, or the older
 * comma-separated `<cve>`), `<threat>`, `<qod><value>` and `<description>` (the result text the CSV
 * report calls "Specific Result"). Results of the TLS VTs are read with the same VT table as the
 * CSV reader (greenbone-vts.ts), so one result yields the same facts from either report.
 *
 * The report's `<host>` list (after the results) gives each host's scan start, which dates its
 * observations as the CSV report's Timestamp does, and, for reports without inline host names,
 * the `hostname` detail; results of such reports wait for it. Streamed with saxes, text collected
 * only for the elements read, a DOCTYPE refused and no entity expanded.
 */
import { SaxesParser } from 'saxes';
import { ownedString } from '../model/source.js';
import { GreenboneFindings, tlsVt, type GreenboneResult } from './greenbone-vts.js';
import { parseScannerDate, SkipCounter } from './tls-names.js';
import type { DocumentIngester, IngestContext } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { boundedAttributes, boundedText, xmlOversized } from './limits.js';
import { xmlFailure } from './xml-failure.js';
import { PROBLEM } from './messages.js';

export const greenboneXml: DocumentIngester = {
  id: 'greenbone-xml',
  syntax: 'xml',
  describe: 'Greenbone/OpenVAS XML report (report format "XML" or a GMP get_reports response: <report>…<results><result>)',
  sniff(head) {
    if (/<get_reports_response[\s>]/.test(head)) return true;
    return /<report[\s>]/.test(head) && /<(gmp|omp)>\s*<version>|<scan_run_status>|<results[\s>]/.test(head);
  },
  async consume(text, ctx) {
    const reader = new GreenboneXmlReader(ctx);
    for await (const chunk of text) {
      if (!reader.write(chunk)) break;
    }
    return reader.end();
  },
};

interface ResultState {
  readonly line: number;
  readonly column: number;
  ip: string;
  hostname: string;
  port: string;
  oid: string;
  name: string;
  threat: string;
  qod: string;
  description: string;
  cves: string[];
  cveText: string;
}

/** Where a text is collected to, and the element depth it belongs to. */
interface Collector {
  readonly depth: number;
  text: string;
  readonly done: (text: string) => void;
}

/** `25/tcp`, `https (443/tcp)`, `general/tcp` → port and protocol (port '' for general). */
function splitPort(text: string): { port: string; proto: string } {
  const t = text.trim();
  const inner = /\(([^)]*)\)\s*$/.exec(t)?.[1] ?? t;
  const [port = '', proto = ''] = inner.split('/');
  return { port: port === 'general' ? '' : port.trim(), proto: proto.trim() };
}

class GreenboneXmlReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly findings: GreenboneFindings;
  private readonly skipped = new SkipCounter();
  private readonly stack: string[] = [];
  private readonly collectors: Collector[] = [];
  private failed = false;
  private sawRoot = false;
  private results = 0;
  private result: ResultState | undefined;
  /** TLS results whose host name the report gives only in its host list (before GMP 8). */
  private readonly waiting: (Omit<GreenboneResult, 'host' | 'hostname'>)[] = [];
  private readonly hostStart = new Map<string, string>();
  private readonly hostName = new Map<string, string>();
  private reportHost: { ip: string; start: string; detailName: string; detailValue: string } | undefined;
  private protocolVersion: string | undefined;
  private scanStart: string | undefined;
  private scanEnd: string | undefined;
  private taskName: string | undefined;
  private tagLine = 1;
  private tagColumn = 1;
  private readonly onText: (t: string) => void;

  constructor(private readonly ctx: IngestContext) {
    this.findings = new GreenboneFindings(ctx, 'greenbone-xml');
    const p = this.parser;
    p.on('opentagstart', (tag) => {
      this.tagLine = p.line;
      this.tagColumn = p.column - tag.name.length - 1;
    });
    p.on('opentag', (tag) => this.open(tag.name, boundedAttributes(tag.attributes as Record<string, string>,
      (name, length) => this.ctx.problem(xmlOversized(p.line, `attribute ${name} of <${tag.name}>`, length)))));
    p.on('closetag', (tag) => this.close(tag.name));
    this.onText = (t) => {
      const c = this.collectors[this.collectors.length - 1];
      if (c && c.depth === this.stack.length) c.text = boundedText(c.text, t, (length) => this.ctx.problem(xmlOversized(p.line, 'the text of an element', length)));
    };
    p.on('cdata', (t) => this.onText(t));
    p.on('doctype', () => {
      this.fail('doctype', PROBLEM.greenboneDoctype());
    });
    p.on('error', (err) => {
      const where = this.result ? PROBLEM.insideRecord('the <result>', this.result.line) : '';
      const f = xmlFailure(err, where, this.results, 'result');
      this.fail(f.code, f.message);
    });
  }

  private fail(code: string, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.ctx.problem({ line: this.parser.line, column: this.parser.column, code, effect: this.results === 0 ? 'file-skipped' : 'row-skipped', message });
  }

  write(chunk: string): boolean {
    if (this.failed) return false;
    this.parser.write(chunk);
    return !this.failed;
  }

  /** Collects the text of the element just opened (not of its children). */
  private collect(done: (text: string) => void): void {
    if (this.collectors.length === 0) this.parser.on('text', this.onText);
    this.collectors.push({ depth: this.stack.length, text: '', done });
  }

  /** The element `n` levels above the one just opened (1: its parent). */
  private parent(n: number): string | undefined {
    return this.stack[this.stack.length - 1 - n];
  }

  private open(name: string, a: Record<string, string>): void {
    if (this.failed) return;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (name !== 'report' && name !== 'get_reports_response') {
        this.fail('not-greenbone', PROBLEM.notGreenbone(name));
        return;
      }
    }
    const parent = this.stack[this.stack.length - 1];
    this.stack.push(name);
    const r = this.result;
    if (r) {
      // Inside a result: its own children, its nvt's, and nothing of nested detection/delta results.
      if (parent === 'result' && this.parent(2) === 'results') {
        if (name === 'host') this.collect((t) => { r.ip = t.trim(); });
        else if (name === 'port') this.collect((t) => { r.port = t; });
        else if (name === 'nvt') r.oid = a['oid'] ?? '';
        else if (name === 'threat') this.collect((t) => { r.threat = t.trim(); });
        else if (name === 'description' && tlsVt(r.oid)) this.collect((t) => { r.description = t; });
      } else if (parent === 'host' && name === 'hostname' && this.parent(2) === 'result') {
        this.collect((t) => { r.hostname = t.trim(); });
      } else if (parent === 'nvt' && this.parent(2) === 'result') {
        if (name === 'name') this.collect((t) => { r.name = t.trim(); });
        else if (name === 'cve') this.collect((t) => { r.cveText = t; });
      } else if (parent === 'refs' && this.parent(2) === 'nvt' && name === 'ref' && a['type']?.toLowerCase() === 'cve' && a['id']) {
        r.cves.push(a['id']);
      } else if (parent === 'qod' && name === 'value' && this.parent(2) === 'result') {
        this.collect((t) => { r.qod = t.trim(); });
      }
      return;
    }
    if (name === 'result' && parent === 'results') {
      this.results++;
      this.result = { line: this.tagLine, column: this.tagColumn, ip: '', hostname: '', port: '', oid: '', name: '', threat: '', qod: '', description: '', cves: [], cveText: '' };
      return;
    }
    const h = this.reportHost;
    if (h) {
      if (parent === 'host' && name === 'ip') this.collect((t) => { h.ip = t.trim(); });
      else if (parent === 'host' && name === 'start') this.collect((t) => { h.start = t.trim(); });
      else if (parent === 'detail' && name === 'name') this.collect((t) => { h.detailName = t.trim(); });
      else if (parent === 'detail' && name === 'value') this.collect((t) => { h.detailValue = t.trim(); });
      return;
    }
    if (parent === 'report' && this.isInnerReport()) {
      if (name === 'host') this.reportHost = { ip: '', start: '', detailName: '', detailValue: '' };
      else if (name === 'scan_start') this.collect((t) => { this.scanStart = t.trim(); });
      else if (name === 'scan_end') this.collect((t) => { this.scanEnd = t.trim(); });
    } else if (name === 'version' && (parent === 'gmp' || parent === 'omp')) {
      this.collect((t) => { this.protocolVersion = `${parent === 'gmp' ? 'GMP' : 'OMP'} ${t.trim()}`; });
    } else if (name === 'name' && parent === 'task' && this.taskName === undefined) {
      this.collect((t) => { this.taskName = ownedString(t.trim()); });
    }
  }

  /** The report element that holds the results: a `<report>` inside another, or the only one. */
  private isInnerReport(): boolean {
    // stack ends with [..., 'report', <name>]; the element before that report decides.
    const outer = this.stack[this.stack.length - 3];
    return outer === 'report' || outer === undefined || outer === 'get_reports_response';
  }

  private close(name: string): void {
    if (this.failed) return;
    const c = this.collectors[this.collectors.length - 1];
    if (c && c.depth === this.stack.length) {
      this.collectors.pop();
      if (this.collectors.length === 0) this.parser.off('text');
      c.done(c.text);
    }
    this.stack.pop();
    if (name === 'result' && this.result && this.stack[this.stack.length - 1] === 'results') {
      this.endResult(this.result);
      this.result = undefined;
    } else if (name === 'detail' && this.reportHost) {
      if (this.reportHost.detailName === 'hostname' && this.reportHost.detailValue) this.hostName.set(ownedString(this.reportHost.ip), ownedString(this.reportHost.detailValue));
      this.reportHost.detailName = '';
      this.reportHost.detailValue = '';
    } else if (name === 'host' && this.reportHost && !this.result) {
      const { ip, start } = this.reportHost;
      if (ip && start) this.hostStart.set(ownedString(ip), ownedString(start));
      this.reportHost = undefined;
    }
  }

  private endResult(r: ResultState): void {
    const ctx = this.ctx;
    if (r.ip === '' && r.hostname === '') {
      ctx.problem({ line: r.line, column: r.column, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.resultNoHost() });
      return;
    }
    if (r.oid === '') {
      ctx.problem({ line: r.line, column: r.column, code: 'missing-oid', effect: 'row-skipped', message: PROBLEM.resultNoOid() });
      return;
    }
    if (!tlsVt(r.oid)) {
      this.skipped.add(r.oid, r.name);
      return;
    }
    const { port: portRaw, proto } = splitPort(r.port);
    const port = Number(portRaw);
    if (portRaw === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
      ctx.problem({ line: r.line, column: r.column, code: portRaw === '' ? 'no-port' : 'bad-port', effect: 'row-skipped',
        message: portRaw === '' ? PROBLEM.vtForWholeHost(r.oid, r.name, r.port.trim() || 'no port') : PROBLEM.greenbonePortNotNumber(r.port.trim()) });
      return;
    }
    const cveList = r.cves.length > 0 ? r.cves : r.cveText.split(/[,\s]+/).filter((c) => c !== '' && c !== 'NOCVE');
    const base = {
      ip: r.ip, port, proto: proto || 'tcp', oid: r.oid, name: r.name, result: r.description,
      cves: cveList.join(','), severity: r.threat, qod: r.qod, line: r.line,
    };
    if (r.hostname) this.findings.apply({ ...base, host: r.hostname, hostname: r.hostname });
    else this.waiting.push(base);
  }

  end() {
    if (!this.failed) {
      try {
        this.parser.close();
      } catch { /* reported through the error handler */ }
    }
    for (const w of this.waiting) {
      const hostname = this.hostName.get(w.ip) ?? '';
      this.findings.apply({ ...w, host: hostname || w.ip, hostname });
    }
    if (!this.failed && this.results === 0) {
      this.ctx.problem({ code: 'no-records', effect: 'file-skipped', message: PROBLEM.greenboneNoResults() });
    }
    const observations = this.findings.finish();
    for (const obs of observations) {
      const ip = obs.endpoint.ip ?? obs.endpoint.host;
      const start = this.hostStart.get(ip);
      const iso = start ? parseScannerDate(start) : undefined;
      if (iso) {
        obs.observedAt = iso;
        obs.observedAtSource = 'input';
      } else if (start) {
        this.ctx.problem({ code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.hostStartNotTime(ip, start) });
      }
    }
    const started = this.scanStart ? parseScannerDate(this.scanStart) : undefined;
    const ended = this.scanEnd ? parseScannerDate(this.scanEnd) : undefined;
    const context: ScanContext = {
      tool: this.protocolVersion ? `Greenbone (${this.protocolVersion})` : 'Greenbone',
      ...(this.taskName ? { policy: `task "${this.taskName}"` } : {}),
      ...(started ? { startedAt: started } : {}),
      ...(ended ? { endedAt: ended } : {}),
    };
    return { kind: 'scan-results' as const, observations, records: this.results, skipped: this.skipped.summary(), context };
  }
}
