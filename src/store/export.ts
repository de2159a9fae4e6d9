/**
 * `tlsproof store export`: everything in the store as JSON lines, one record per row.
 */
import type Database from 'better-sqlite3';
import { decompressInput, unpackJson } from './codec.js';
import { storeFormat } from './query.js';
import type { FindingRowDb, InputRowDb, ObservationRowDb, ProblemRowDb, RunRowDb } from './types.js';
/** Writes everything in the store as JSON lines (see export.ts for the record types). Returns the number of lines. */
export function exportJsonLines(db: Database.Database, write: (line: string) => void): number {
  let n = 0;
  const out = (o: unknown) => {
    write(`${JSON.stringify(o)}\n`);
    n++;
  };
  const meta = Object.fromEntries((db.prepare('SELECT key, value FROM store_meta ORDER BY key').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  out({ type: 'store', application: 'tlsproof-evidence-store', format: storeFormat(db), meta,
    migrations: db.prepare('SELECT version, description, applied_at AS appliedAt, tool_version AS toolVersion FROM schema_version ORDER BY version').all() });
  for (const r of db.prepare('SELECT * FROM runs ORDER BY seq').iterate() as IterableIterator<RunRowDb>) {
    out({ type: 'run', seq: r.seq, uuid: r.uuid, recordedAt: r.recorded_at, toolVersion: r.tool_version, command: JSON.parse(r.command) as unknown,
      request: JSON.parse(r.request) as unknown, reportId: r.report_id,
      period: r.period_label === null ? null : { id: r.period_id, label: r.period_label, start: r.period_start, end: r.period_end },
      reportDate: r.report_date, generatedAt: r.generated_at, observedFrom: r.observed_from, observedTo: r.observed_to,
      counts: { inputs: r.input_count, endpoints: r.endpoint_count, findings: r.finding_count, problems: r.problem_count },
      summary: JSON.parse(r.summary) as unknown, modelSha256: r.model_sha256, contentSha256: r.content_sha256 });
  }
  for (const r of db.prepare('SELECT * FROM blobs ORDER BY sha256').iterate() as IterableIterator<{ sha256: string; bytes: number; encoding: string; data: Buffer }>) {
    out({ type: 'blob', sha256: r.sha256, bytes: r.bytes, contentBase64: decompressInput(r.encoding, r.data).toString('base64') });
  }
  for (const r of db.prepare('SELECT * FROM run_inputs ORDER BY run_seq, ord').iterate() as IterableIterator<InputRowDb>) {
    out({ type: 'input', run: r.run_seq, ord: r.ord, file: r.file, kind: r.kind, sha256: r.sha256, bytes: r.bytes, records: r.records,
      problems: r.problems, observedAt: r.observed_at, observedAtSource: r.observed_at_source });
  }
  for (const r of db.prepare('SELECT * FROM endpoints ORDER BY id').iterate() as IterableIterator<{ key: string; host: string; ip: string | null; port: number; service: string; transport: string }>) {
    out({ type: 'endpoint', key: r.key, host: r.host, ip: r.ip, port: r.port, service: r.service, transport: r.transport });
  }
  for (const r of db.prepare(`SELECT o.*, e.key FROM observations o JOIN endpoints e ON e.id = o.endpoint_id ORDER BY o.run_seq, e.key`).iterate() as IterableIterator<ObservationRowDb & { key: string }>) {
    out({ type: 'observation', run: r.run_seq, endpoint: r.key, observedAt: r.observed_at, observedAtSource: r.observed_at_source, tool: r.tool,
      scanState: r.scan_state, frameworks: r.frameworks === '' ? [] : r.frameworks.split(' '), passed: r.passed === '' ? [] : r.passed.split(' '),
      facts: unpackJson(r.facts) });
  }
  for (const r of db.prepare(`SELECT f.*, e.key FROM findings f JOIN endpoints e ON e.id = f.endpoint_id ORDER BY f.run_seq, e.key, f.local_id`).iterate() as IterableIterator<FindingRowDb & { key: string }>) {
    out({ type: 'finding', run: r.run_seq, endpoint: r.key, id: r.local_id, checkId: r.check_id, status: r.status, severity: r.severity,
      messageId: r.message_id, message: r.message, data: JSON.parse(r.data) as unknown, evidence: JSON.parse(r.evidence) as unknown });
  }
  for (const r of db.prepare(`SELECT c.*, e.key FROM certificates c JOIN endpoints e ON e.id = c.endpoint_id ORDER BY c.run_seq, e.key, c.idx`).iterate() as IterableIterator<Record<string, unknown>>) {
    out({ type: 'certificate', run: r['run_seq'], endpoint: r['key'], index: r['idx'], commonName: r['common_name'], issuer: r['issuer'],
      serial: r['serial'], fingerprintSha256: r['fingerprint_sha256'], notBefore: r['not_before'], notAfter: r['not_after'] });
  }
  for (const r of db.prepare('SELECT * FROM problems ORDER BY run_seq, ord').iterate() as IterableIterator<ProblemRowDb>) {
    out({ type: 'problem', run: r.run_seq, ord: r.ord, file: r.file, line: r.line, column: r.col, code: r.code, message: r.message, effect: r.effect });
  }
  for (const r of db.prepare('SELECT * FROM control_results ORDER BY run_seq, framework_id, control_id').iterate() as IterableIterator<Record<string, unknown>>) {
    out({ type: 'control', run: r['run_seq'], frameworkId: r['framework_id'], frameworkVersion: r['framework_version'], controlId: r['control_id'], status: r['status'] });
  }
  return n;
}
