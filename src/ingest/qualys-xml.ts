/**
 * Qualys VM scan reports in XML (ASSET_DATA_REPORT, asset_data_report.dtd), as a report template
 * exports them (checked against DefectDojo's public sample `unittests/scans/qualys/Qualys_Sample_Report.xml`):
 * `<HOST_LIST><HOST>` with `<IP>`, `<DNS>`, and `<VULN_INFO_LIST><VULN_INFO>` holding `<QID>`,
 * `<TYPE>` (Vuln, Ig, Practice, Potential), `<PORT>`, `<PROTOCOL>`, `<RESULT>`, `<LAST_FOUND>`,
 * `<VULN_STATUS>`; titles and CVEs live in `<GLOSSARY><VULN_DETAILS>`, usually after the hosts, so
 * the detections of the TLS QIDs (qualys-qids.ts, shared with the CSV reader) wait for it: they are
 * few. Streamed with saxes; the report's `<!DOCTYPE ASSET_DATA_REPORT SYSTEM "…">` is accepted (an
 * external DTD is never fetched), an internal DTD subset is refused, no entity is expanded.
 */
import { SaxesParser } from 'saxes';
import { ownedString } from '../model/source.js';
import { QUALYS_TLS_QIDS, QualysFindings, type QualysDetection } from './qualys-qids.js';
import { parseScannerDate, SkipCounter } from './tls-names.js';
import type { DocumentIngester, IngestContext } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { boundedAttributes, boundedText, xmlOversized } from './limits.js';
import { xmlFailure } from './xml-failure.js';
import { PROBLEM } from './messages.js';

export const qualysXml: DocumentIngester = {
  id: 'qualys-xml',
  syntax: 'xml',
  describe: 'Qualys VM scan report XML (ASSET_DATA_REPORT: HOST_LIST/HOST/VULN_INFO_LIST/VULN_INFO)',
  sniff(head) {
    return /<ASSET_DATA_REPORT[\s>]/.test(head);
  },
  async consume(text, ctx) {
    const reader = new QualysXmlReader(ctx);
    for await (const chunk of text) {
      if (!reader.write(chunk)) break;
    }
    return reader.end();
  },
};

/** The VULN_INFO fields read, by element name. */
const INFO_FIELDS = new Set(['QID', 'TYPE', 'PORT', 'PROTOCOL', 'RESULT', 'LAST_FOUND', 'VULN_STATUS']);

interface Info {
  readonly line: number;
  readonly column: number;
  readonly fields: Map<string, string>;
}

class QualysXmlReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly findings: QualysFindings;
  private readonly skipped = new SkipCounter();
  private readonly fixed = new SkipCounter('fixed');
  private readonly stack: string[] = [];
  private failed = false;
  private sawRoot = false;
  private infos = 0;
  private hosts = 0;
  private host: { ip: string; dns: string; line: number } | undefined;
  private info: Info | undefined;
  private details: { qid: string; title: string; severity: string; cves: string[] } | undefined;
  private readonly titles = new Map<number, string>();
  private readonly cves = new Map<number, string>();
  private readonly severities = new Map<number, string>();
  private readonly waiting: { d: Omit<QualysDetection, 'title' | 'cve' | 'severity'>; seen: string }[] = [];
  private collecting: ((t: string) => void) | undefined;
  private text = '';
  private template: string | undefined;
  private tagLine = 1;
  private tagColumn = 1;
  private readonly onText: (t: string) => void;

  constructor(private readonly ctx: IngestContext) {
    this.findings = new QualysFindings(ctx, 'qualys-xml');
    const p = this.parser;
    p.on('opentagstart', (tag) => {
      this.tagLine = p.line;
      this.tagColumn = p.column - tag.name.length - 1;
    });
    p.on('opentag', (tag) => this.open(tag.name, boundedAttributes(tag.attributes as Record<string, string>,
      (name, length) => this.ctx.problem(xmlOversized(p.line, `attribute ${name} of <${tag.name}>`, length)))));
    p.on('closetag', (tag) => this.close(tag.name));
    const tooLong = (length: number): void => this.ctx.problem(xmlOversized(p.line, 'the text of an element', length));
    this.onText = (t) => {
      this.text = boundedText(this.text, t, tooLong);
    };
    p.on('cdata', (t) => {
      if (this.collecting) this.text = boundedText(this.text, t, tooLong);
    });
    p.on('doctype', (doctype) => {
      if (doctype.includes('[')) {
        this.fail('doctype', PROBLEM.qualysDoctype());
      }
    });
    p.on('error', (err) => {
      const where = this.host ? PROBLEM.insideRecord('the <HOST>', this.host.line) : '';
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

  private collect(done: (t: string) => void): void {
    this.text = '';
    this.collecting = done;
    this.parser.on('text', this.onText);
  }

  private open(name: string, a: Record<string, string>): void {
    if (this.failed) return;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (name !== 'ASSET_DATA_REPORT') {
        this.fail('not-qualys', PROBLEM.notQualys(name));
        return;
      }
    }
    const parent = this.stack[this.stack.length - 1];
    this.stack.push(name);
    if (this.collecting) return;
    const info = this.info;
    if (info) {
      if (parent === 'VULN_INFO' && INFO_FIELDS.has(name)) this.collect((t) => { info.fields.set(name, t); });
      return;
    }
    const details = this.details;
    if (details) {
      if (name === 'TITLE' && parent === 'VULN_DETAILS') this.collect((t) => { details.title = t.trim(); });
      else if (name === 'SEVERITY' && parent === 'VULN_DETAILS') this.collect((t) => { details.severity = t.trim(); });
      else if (name === 'ID' && parent === 'CVE_ID') this.collect((t) => { details.cves.push(t.trim()); });
      return;
    }
    const host = this.host;
    if (name === 'VULN_INFO' && host) {
      this.infos++;
      this.info = { line: this.tagLine, column: this.tagColumn, fields: new Map() };
    } else if (host && parent === 'HOST' && (name === 'IP' || name === 'DNS')) {
      this.collect((t) => { host[name === 'IP' ? 'ip' : 'dns'] = t.trim(); });
    } else if (name === 'HOST' && parent === 'HOST_LIST') {
      this.host = { ip: '', dns: '', line: this.tagLine };
    } else if (name === 'VULN_DETAILS') {
      this.details = { qid: (a['id'] ?? '').replace(/^qid_/, ''), title: '', severity: '', cves: [] };
    } else if (parent === 'HEADER' && name === 'TEMPLATE') {
      this.collect((t) => { this.template = ownedString(t.trim()); });
    }
  }

  private close(name: string): void {
    if (this.failed) return;
    this.stack.pop();
    if (this.collecting) {
      this.parser.off('text');
      const done = this.collecting;
      this.collecting = undefined;
      done(this.text);
      this.text = '';
      return;
    }
    if (name === 'VULN_INFO' && this.info && this.host) {
      this.endInfo(this.host, this.info);
      this.info = undefined;
    } else if (name === 'HOST' && this.host && this.stack[this.stack.length - 1] === 'HOST_LIST') {
      this.hosts++;
      this.host = undefined;
    } else if (name === 'VULN_DETAILS' && this.details) {
      const qid = Number(this.details.qid);
      if (QUALYS_TLS_QIDS[qid]) {
        if (this.details.title) this.titles.set(qid, ownedString(this.details.title));
        if (this.details.severity) this.severities.set(qid, ownedString(this.details.severity));
        if (this.details.cves.length > 0) this.cves.set(qid, ownedString(this.details.cves.join(', ')));
      }
      this.details = undefined;
    }
  }

  private endInfo(host: { ip: string; dns: string }, info: Info): void {
    const ctx = this.ctx;
    const f = (k: string): string => info.fields.get(k)?.trim() ?? '';
    const qidRaw = f('QID');
    if (!/^\d+$/.test(qidRaw)) {
      ctx.problem({ line: info.line, column: info.column, code: qidRaw === '' ? 'missing-qid' : 'bad-qid', effect: 'row-skipped',
        message: qidRaw === '' ? PROBLEM.vulnNoQid() : PROBLEM.qidNotNumber(qidRaw) });
      return;
    }
    const qid = Number(qidRaw);
    if (!QUALYS_TLS_QIDS[qid]) {
      this.skipped.add(qidRaw, '');
      return;
    }
    if (/^fixed$/i.test(f('VULN_STATUS'))) {
      this.fixed.add(qidRaw, QUALYS_TLS_QIDS[qid]?.title ?? '');
      return;
    }
    const hostName = host.dns || host.ip;
    if (hostName === '') {
      ctx.problem({ line: info.line, column: info.column, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.qualysHostNoName() });
      return;
    }
    const portRaw = f('PORT');
    const port = Number(portRaw);
    if (portRaw === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
      ctx.problem({ line: info.line, column: info.column, code: portRaw === '' ? 'no-port' : 'bad-port', effect: 'row-skipped',
        message: portRaw === '' ? PROBLEM.qidNoPortElement(qid) : PROBLEM.portNotNumber(portRaw, 1) });
      return;
    }
    this.waiting.push({
      d: {
        host: ownedString(hostName), ip: ownedString(host.ip), port, qid, line: info.line,
        proto: f('PROTOCOL').toLowerCase() || 'tcp', type: f('TYPE'), result: ownedString(info.fields.get('RESULT') ?? ''),
      },
      seen: f('LAST_FOUND'),
    });
  }

  end() {
    if (!this.failed) {
      try {
        this.parser.close();
      } catch { /* reported through the error handler */ }
    }
    for (const { d, seen } of this.waiting) {
      const obs = this.findings.apply({ ...d, title: this.titles.get(d.qid) ?? '', cve: this.cves.get(d.qid) ?? '', severity: this.severities.get(d.qid) ?? '' });
      const iso = seen ? parseScannerDate(seen) : undefined;
      if (iso && (obs.observedAtSource !== 'input' || iso > obs.observedAt)) {
        obs.observedAt = iso;
        obs.observedAtSource = 'input';
      } else if (seen && !iso) {
        this.ctx.problem({ line: d.line, code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.notIsoTime('<LAST_FOUND>', seen, '2019-07-31T21:57:48Z') });
      }
    }
    if (!this.failed && this.infos === 0) {
      this.ctx.problem({ code: 'no-records', effect: 'file-skipped', message: PROBLEM.qualysNoDetections() });
    }
    const context: ScanContext = { tool: 'Qualys VM', ...(this.template ? { policy: `report template "${this.template}"` } : {}) };
    return { kind: 'scan-results' as const, observations: this.findings.finish(), records: this.infos, skipped: [...this.skipped.summary(), ...this.fixed.summary()], context };
  }
}
