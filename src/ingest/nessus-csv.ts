/**
 * Nessus CSV exports (Nessus Professional / Manager "CSV", also Tenable.io's legacy CSV): the
 * legacy header (`CVSS`) and the current one (`CVSS v2.0 Base Score`), with or without optional
 * columns, comma or semicolon separated. One row per plugin × host × port, repeated once per CVE
 * (the repeats are merged). Rows are mapped by plugin id (never by Risk, which is `None` for the
 * informational plugins that carry the most detail); the TLS plugins' "Plugin Output" is read for
 * offered protocols, cipher lists and certificate details. Rows of other plugins are counted per
 * plugin id and skipped.
 *
 * Nessus reports what it found, not what it checked: a missing "TLS 1.0 detected" row does not
 * prove TLS 1.0 is off. Facts are therefore stated as "not offered" only from the inventory
 * plugins that enumerate everything (56984 versions, 21643 cipher suites).
 *
 * The plugin table and the facts each plugin establishes are shared with the `.nessus` reader
 * (nessus-plugins.ts).
 */
import type { Observation } from '../model/observation.js';
import { Columns, hasColumn, missingColumnLabels, raggedRow } from './csv-columns.js';
import { NESSUS_TLS_PLUGINS, NessusFindings } from './nessus-plugins.js';
import { isIpAddress, parseScannerDate, SkipCounter } from './tls-names.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';
import { PROBLEM } from './messages.js';


const COLUMNS = {
  pluginId: ['plugin id', 'plugin'],
  cve: ['cve'],
  risk: ['risk', 'risk factor', 'severity'],
  host: ['host', 'dns name', 'fqdn', 'ip address'],
  fqdn: ['fqdn', 'dns name'],
  ip: ['ip address'],
  protocol: ['protocol'],
  port: ['port'],
  name: ['name', 'plugin name'],
  output: ['plugin output', 'plugin text'],
  hostEnd: ['host end', 'host end time'],
} as const satisfies Record<string, readonly string[]>;
type Column = keyof typeof COLUMNS;

export const nessusCsv: CsvIngester = {
  id: 'nessus-csv',
  describe: 'Nessus CSV export (header "Plugin ID","CVE","CVSS" or "CVSS v2.0 Base Score","Risk","Host","Protocol","Port","Name",…,"Plugin Output"; "," or ";" separated)',
  rawRecords: false,
  detect(header) {
    return hasColumn(header, 'plugin id') && hasColumn(header, 'plugin output', 'risk', 'synopsis', 'name', 'plugin name');
  },
  missingColumns(header) {
    return missingColumnLabels(header, [['Plugin ID', ...COLUMNS.pluginId], ['Host', ...COLUMNS.host], ['Port', ...COLUMNS.port]]);
  },
  start(header, ctx) {
    return new NessusSink(header, ctx);
  },
};


class NessusSink implements RecordSink {
  private readonly cols: Columns<Column>;
  private readonly findings: NessusFindings;
  private readonly skipped = new SkipCounter();
  private records = 0;
  private latestHostEnd: string | undefined;

  constructor(private readonly header: readonly string[], private readonly ctx: IngestContext) {
    this.cols = new Columns(header, COLUMNS);
    this.findings = new NessusFindings(ctx, 'nessus-csv');
    if (!this.cols.has('output')) {
      ctx.problem({ line: 1, code: 'missing-column', effect: 'value-ignored',
        message: PROBLEM.nessusNoOutputColumn() });
    }
  }

  record(fields: readonly string[], line: number): void {
    this.records++;
    const ctx = this.ctx;
    if (fields.length !== this.header.length) {
      if (fields.every((f) => f.trim() === '')) return;
      raggedRow(ctx, fields, this.header.length, line);
      return;
    }
    const pluginRaw = this.cols.get(fields, 'pluginId').trim();
    if (pluginRaw === '') {
      ctx.problem({ line, column: this.cols.column('pluginId')!, code: 'missing-plugin-id', effect: 'row-skipped', message: PROBLEM.fieldEmpty('Plugin ID') });
      return;
    }
    if (!/^\d+$/.test(pluginRaw)) {
      ctx.problem({ line, column: this.cols.column('pluginId')!, code: 'bad-plugin-id', effect: 'row-skipped', message: PROBLEM.pluginIdNotNumber(pluginRaw) });
      return;
    }
    const fqdn = this.cols.get(fields, 'fqdn').trim();
    const hostField = this.cols.get(fields, 'host').trim();
    const ipField = this.cols.get(fields, 'ip').trim();
    const host = fqdn || hostField || ipField;
    if (host === '') {
      ctx.problem({ line, column: this.cols.column('host')!, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.fieldEmpty('Host') });
      return;
    }
    const pluginId = Number(pluginRaw);
    const handler = NESSUS_TLS_PLUGINS[pluginId];
    const name = this.cols.get(fields, 'name').trim();
    if (!handler) {
      this.skipped.add(pluginRaw, name);
      return;
    }
    const portRaw = this.cols.get(fields, 'port').trim();
    const port = Number(portRaw);
    if (portRaw === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.problem({ line, column: this.cols.column('port')!, code: 'bad-port', effect: 'row-skipped', message: PROBLEM.portNotNumber(portRaw, 0) });
      return;
    }
    if (port === 0) {
      ctx.problem({ line, column: this.cols.column('port')!, code: 'no-port', effect: 'row-skipped',
        message: PROBLEM.pluginOnPortZero(pluginId, name) });
      return;
    }
    const ip = ipField || (isIpAddress(hostField) ? hostField : undefined);
    const obs = this.findings.apply({
      host, ip, port, pluginId, name, line,
      output: this.cols.get(fields, 'output'),
      cve: this.cols.get(fields, 'cve').trim(),
      proto: this.cols.get(fields, 'protocol').trim() || 'tcp',
      risk: this.cols.get(fields, 'risk').trim(),
    });
    const hostEnd = this.cols.get(fields, 'hostEnd').trim();
    if (hostEnd) this.noteTime(obs, hostEnd);
  }

  private noteTime(obs: Observation, text: string): void {
    // Only the shapes parseScannerDate knows: Date.parse would roll 30 February over to 2 March.
    // Nessus writes "Mon Jul 20 11:09:29 2017"; the weekday adds nothing.
    const iso = parseScannerDate(text.replace(/^[A-Za-z]{3}\s+(?=[A-Za-z]{3}\s)/, ''));
    if (!iso) return;
    if (obs.observedAtSource !== 'input' || iso > obs.observedAt) {
      obs.observedAt = iso;
      obs.observedAtSource = 'input';
    }
    if (!this.latestHostEnd || iso > this.latestHostEnd) this.latestHostEnd = iso;
  }

  end() {
    return { kind: 'scan-results' as const, observations: this.findings.finish(), records: this.records, skipped: this.skipped.summary() };
  }
}
