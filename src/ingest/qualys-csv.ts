/**
 * Qualys VM scan report CSV, header row first (the layout of a report template's CSV export as
 * DefectDojo's public sample `unittests/scans/qualys/Qualys_Sample_Report.csv` shows it:
 * "IP","Network","DNS","NetBIOS","Tracking Method","OS","IP Status","QID","Title","Vuln Status",
 * "Type","Severity","Port","Protocol","FQDN","SSL","First Detected","Last Detected",…,"Results"),
 * and the shorter PCI layout (IP,HOSTNAME,LAST SCAN,QID,VULN TITLE,TYPE,SEVERITY,PORT,PROTOCOL,…,
 * RESULT). Columns are found by name. Rows are mapped by QID (qualys-qids.ts, shared with the XML
 * reader); rows of other QIDs and rows whose Vuln Status is Fixed are counted and skipped.
 *
 * "Last Detected" dates the observation: Qualys writes MM/DD/YYYY HH:MM:SS without a zone (read
 * as UTC; a first number above 12 is read as a day, DD/MM/YYYY).
 */
import { strictUtc } from '../time.js';
import { Columns, hasColumn, missingColumnLabels, raggedRow } from './csv-columns.js';
import { QUALYS_TLS_QIDS, QualysFindings } from './qualys-qids.js';
import { parseScannerDate, SkipCounter } from './tls-names.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';
import { PROBLEM } from './messages.js';

const COLUMNS = {
  ip: ['ip'],
  dns: ['dns', 'hostname'],
  fqdn: ['fqdn'],
  qid: ['qid'],
  title: ['title', 'vuln title'],
  type: ['type'],
  severity: ['severity'],
  port: ['port'],
  protocol: ['protocol'],
  result: ['results', 'result'],
  cve: ['cve id', 'cveid'],
  status: ['vuln status'],
  lastDetected: ['last detected', 'last scan'],
} as const satisfies Record<string, readonly string[]>;
type Column = keyof typeof COLUMNS;

/** `05/25/2021 07:36:58`, `22/09/2022 13:01` or ISO 8601 → ISO (UTC when no zone). */
export function parseQualysDate(text: string): string | undefined {
  const iso = parseScannerDate(text);
  if (iso) return iso;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  const [month, day] = a > 12 ? [b, a] : [a, b];
  const ms = strictUtc(Number(m[3]), month, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export const qualysCsv: CsvIngester = {
  id: 'qualys-csv',
  describe: 'Qualys VM scan report CSV, header row first ("IP","DNS",…,"QID","Title","Vuln Status","Type","Severity","Port","Protocol","FQDN","SSL",…,"Results")',
  rawRecords: false,
  detect(header) {
    return hasColumn(header, 'qid') && hasColumn(header, 'ip') && hasColumn(header, 'title', 'vuln title', 'results', 'result');
  },
  missingColumns(header) {
    return missingColumnLabels(header, [['IP', 'ip'], ['QID', 'qid'], ['Port', 'port']]);
  },
  start(header, ctx) {
    return new QualysSink(header, ctx);
  },
};

class QualysSink implements RecordSink {
  private readonly cols: Columns<Column>;
  private readonly findings: QualysFindings;
  private readonly skipped = new SkipCounter();
  private readonly fixed = new SkipCounter('fixed');
  private records = 0;

  constructor(private readonly header: readonly string[], private readonly ctx: IngestContext) {
    this.cols = new Columns(header, COLUMNS);
    this.findings = new QualysFindings(ctx, 'qualys-csv');
  }

  record(fields: readonly string[], line: number): void {
    this.records++;
    const ctx = this.ctx;
    if (fields.length !== this.header.length) {
      if (fields.every((f) => f.trim() === '')) return;
      raggedRow(ctx, fields, this.header.length, line);
      return;
    }
    const get = (k: Column): string => this.cols.get(fields, k).trim();
    const qidRaw = get('qid');
    if (!/^\d+$/.test(qidRaw)) {
      ctx.problem({ line, column: this.cols.column('qid')!, code: qidRaw === '' ? 'missing-qid' : 'bad-qid', effect: 'row-skipped',
        message: qidRaw === '' ? PROBLEM.fieldEmpty('QID') : PROBLEM.qidNotNumber(qidRaw) });
      return;
    }
    const ip = get('ip');
    const host = get('fqdn') || get('dns') || ip;
    if (host === '') {
      ctx.problem({ line, column: this.cols.column('ip')!, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.fieldEmpty('IP') });
      return;
    }
    const qid = Number(qidRaw);
    const title = get('title');
    if (!QUALYS_TLS_QIDS[qid]) {
      this.skipped.add(qidRaw, title);
      return;
    }
    if (/^fixed$/i.test(get('status'))) {
      this.fixed.add(qidRaw, title);
      return;
    }
    const portRaw = get('port');
    const port = Number(portRaw);
    if (portRaw === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
      ctx.problem({ line, column: this.cols.column('port')!, code: portRaw === '' ? 'no-port' : 'bad-port', effect: 'row-skipped',
        message: portRaw === '' ? PROBLEM.qidNoPort(qid, title) : PROBLEM.portNotNumber(portRaw, 1) });
      return;
    }
    const obs = this.findings.apply({
      host, ip, port, qid, title, line,
      proto: get('protocol').toLowerCase() || 'tcp',
      type: get('type'), severity: get('severity'), result: this.cols.get(fields, 'result'), cve: get('cve'),
    });
    const seen = get('lastDetected');
    if (seen) {
      const iso = parseQualysDate(seen);
      if (!iso) {
        ctx.problem({ line, column: this.cols.column('lastDetected')!, code: 'unparseable-date', effect: 'value-ignored',
          message: PROBLEM.qualysDate(seen) });
      } else if (obs.observedAtSource !== 'input' || iso > obs.observedAt) {
        obs.observedAt = iso;
        obs.observedAtSource = 'input';
      }
    }
  }

  end() {
    return { kind: 'scan-results' as const, observations: this.findings.finish(), records: this.records, skipped: [...this.skipped.summary(), ...this.fixed.summary()] };
  }
}
