/**
 * Greenbone / OpenVAS "CSV Results" reports (format c1645568-627a-11e3-a660-406186ea4fc5): the
 * legacy header without `QoD`, the current one, and the newest with EPSS columns appended.
 * Columns are found by name. Values the report XSL prefixed with `'` (against formula
 * injection) are unprefixed, host names are trimmed (gvmd pads them), multi-line quoted
 * "Specific Result" fields are read whole. Rows are mapped by NVT OID; rows of other VTs are
 * counted per OID and skipped. Each row carries its own Timestamp (the host's scan start, as the
 * report XSL writes it), so observations are dated from the input.
 *
 * The VT table and the facts each VT establishes are shared with the XML report reader
 * (greenbone-vts.ts).
 */
import { Columns, hasColumn, missingColumnLabels, raggedRow } from './csv-columns.js';
import { GreenboneFindings, tlsVt } from './greenbone-vts.js';
import { parseScannerDate, SkipCounter } from './tls-names.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';
import { PROBLEM } from './messages.js';


const COLUMNS = {
  ip: ['ip'],
  hostname: ['hostname'],
  port: ['port'],
  portProtocol: ['port protocol'],
  severity: ['severity'],
  qod: ['qod'],
  nvtName: ['nvt name'],
  result: ['specific result'],
  oid: ['nvt oid'],
  cves: ['cves'],
  timestamp: ['timestamp'],
} as const satisfies Record<string, readonly string[]>;
type Column = keyof typeof COLUMNS;

/** The report XSL writes `'=…`, `'+…`, `'-…`, `'@…` so spreadsheets do not evaluate them. */
function unprefix(value: string): string {
  return value.length > 1 && value[0] === "'" && '=+-@\t\r'.includes(value[1]!) ? value.slice(1) : value;
}

export const greenboneCsv: CsvIngester = {
  id: 'greenbone-csv',
  describe: 'Greenbone/OpenVAS "CSV Results" report (header IP,Hostname,Port,Port Protocol,CVSS,Severity,[QoD,]Solution Type,NVT Name,Summary,Specific Result,NVT OID,…)',
  rawRecords: false,
  detect(header) {
    return hasColumn(header, 'nvt oid') && hasColumn(header, 'ip', 'hostname');
  },
  missingColumns(header) {
    return missingColumnLabels(header, [['IP', 'ip'], ['Port', 'port'], ['NVT OID', 'nvt oid']]);
  },
  start(header, ctx) {
    return new GreenboneSink(header, ctx);
  },
};
class GreenboneSink implements RecordSink {
  private readonly cols: Columns<Column>;
  private readonly findings: GreenboneFindings;
  private readonly skipped = new SkipCounter();
  private records = 0;

  constructor(private readonly header: readonly string[], private readonly ctx: IngestContext) {
    this.cols = new Columns(header, COLUMNS);
    this.findings = new GreenboneFindings(ctx, 'greenbone-csv');
    if (!this.cols.has('result')) {
      ctx.problem({ line: 1, code: 'missing-column', effect: 'value-ignored',
        message: PROBLEM.greenboneNoResultColumn() });
    }
  }

  private field(fields: readonly string[], key: Column): string {
    return unprefix(this.cols.get(fields, key));
  }

  record(fields: readonly string[], line: number): void {
    this.records++;
    const ctx = this.ctx;
    if (fields.length !== this.header.length) {
      if (fields.every((f) => f.trim() === '')) return;
      raggedRow(ctx, fields, this.header.length, line);
      return;
    }
    const ip = this.field(fields, 'ip').trim();
    const hostname = this.field(fields, 'hostname').trim();
    if (ip === '' && hostname === '') {
      ctx.problem({ line, column: this.cols.column('ip')!, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.greenboneNoHostFields() });
      return;
    }
    const oid = this.field(fields, 'oid').trim();
    if (oid === '') {
      ctx.problem({ line, column: this.cols.column('oid')!, code: 'missing-oid', effect: 'row-skipped', message: PROBLEM.fieldEmpty('NVT OID') });
      return;
    }
    const name = this.field(fields, 'nvtName').trim();
    if (!tlsVt(oid)) {
      this.skipped.add(oid, name);
      return;
    }
    const portRaw = this.field(fields, 'port').trim();
    const port = Number(portRaw);
    if (portRaw === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
      ctx.problem({ line, column: this.cols.column('port')!, code: portRaw === '' ? 'no-port' : 'bad-port', effect: 'row-skipped',
        message: portRaw === '' ? PROBLEM.vtForWholeHost(oid, name, 'general/tcp') : PROBLEM.portNotNumber(portRaw, 1) });
      return;
    }
    const obs = this.findings.apply({
      host: hostname || ip, ip, hostname, port, oid, name, line,
      result: this.field(fields, 'result'),
      cves: this.field(fields, 'cves').trim(),
      severity: this.field(fields, 'severity').trim(),
      qod: this.field(fields, 'qod').trim(),
      proto: this.field(fields, 'portProtocol').trim() || 'tcp',
    });
    const stamp = this.field(fields, 'timestamp').trim();
    if (stamp) {
      const iso = parseScannerDate(stamp);
      if (!iso) {
        ctx.problem({ line, column: this.cols.column('timestamp')!, code: 'unparseable-date', effect: 'value-ignored',
          message: PROBLEM.notIsoTime('Timestamp', stamp, '2026-09-14T10:22:36Z') });
      } else if (obs.observedAtSource !== 'input' || iso > obs.observedAt) {
        obs.observedAt = iso;
        obs.observedAtSource = 'input';
      }
    }
  }

  end() {
    return { kind: 'scan-results' as const, observations: this.findings.finish(), records: this.records, skipped: this.skipped.summary() };
  }
}
