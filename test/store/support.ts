/**
 * Helpers for store tests: small synthetic run records (fast, no pipeline), SQL dumps of a store
 * (the text fixtures the migration test opens), and file hashes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { RunRecord } from '../../src/store/types.js';

export const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A run of `endpoints` endpoints observed at `observedAt`, each failing proto-tls10 unless `fixed`. */
export function syntheticRun(n: number, opts: { observedAt?: string; endpoints?: number; fixed?: boolean; input?: string } = {}): RunRecord {
  const observedAt = opts.observedAt ?? '2026-08-01T10:00:00.000Z';
  const content = Buffer.from(opts.input ?? `"id","fqdn/ip","port","severity","finding","cve","cwe"\n"TLS1","mx${n}.example.test/192.0.2.1","25","LOW","offered","",""\n`);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return {
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, recordedAt: observedAt, toolVersion: '0.1.0-test', command: ['report', 'scan.csv'],
    request: { inputs: ['scan.csv'] }, reportId: `TP-test-${n}`, period: null, reportDate: observedAt.slice(0, 10), generatedAt: observedAt,
    inputs: [{ file: 'scan.csv', kind: 'testssl-csv', sha256, bytes: content.byteLength, records: 1, problems: 0, observedAt, observedAtSource: 'option', content }],
    endpoints: Array.from({ length: opts.endpoints ?? 3 }, (_, i) => ({
      key: `mx${i}.example.test[192.0.2.${i + 1}]:25`, host: `mx${i}.example.test`, ip: `192.0.2.${i + 1}`, port: 25, service: 'smtp', transport: 'starttls',
      observedAt, observedAtSource: 'option', tool: 'testssl.sh', scanState: 'completed' as const, frameworks: ['pci-dss'],
      facts: { protocols: { 'TLSv1.0': { value: !opts.fixed, source: { file: 'scan.csv', line: 2 } } } },
      findings: [
        { localId: 'proto-tls10', checkId: 'proto-tls10', status: opts.fixed ? 'pass' as const : 'fail' as const, severity: 'medium' as const, messageId: 'offered',
          message: 'TLSv1.0 is offered', data: { protocol: 'TLSv1.0' }, evidence: [{ summary: 'TLS1: offered', file: 'scan.csv', line: 2 }] },
        { localId: 'proto-sslv3', checkId: 'proto-sslv3', status: 'pass' as const, severity: 'high' as const, messageId: 'not-offered', message: 'SSLv3 is not offered', data: {}, evidence: [] },
      ],
      certificates: [{ index: 1, commonName: `mx${i}.example.test`, issuer: 'Test CA', serial: '01', fingerprintSha256: `FP${i}`, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-12-01T00:00:00.000Z' }],
    })),
    problems: [{ file: 'scan.csv', line: 3, code: 'ragged-row', message: 'row has 3 fields, expected 7', effect: 'row-skipped' }],
    controls: [{ frameworkId: 'pci-dss', frameworkVersion: '4.0.1', controlId: '4.2.1', status: opts.fixed ? 'pass' : 'fail' }],
    summary: { findingsByStatus: { fail: opts.fixed ? 0 : opts.endpoints ?? 3, warn: 0 } }, modelSha256: 'f'.repeat(64),
  };
}

const literal = (v: unknown): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return `X'${v.toString('hex')}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
};

/** A text dump of a store: schema, rows (sqlite_sequence included), then indexes and triggers. */
export function dumpSql(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const out = [`PRAGMA application_id = ${db.pragma('application_id', { simple: true }) as number};`, 'BEGIN;'];
    const objects = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid").all() as { type: string; name: string; sql: string }[];
    const tables = objects.filter((o) => o.type === 'table' && !o.name.startsWith('sqlite_'));
    for (const t of tables) out.push(`${t.sql};`);
    for (const t of [...tables.map((x) => x.name), 'sqlite_sequence']) {
      for (const row of db.prepare(`SELECT * FROM "${t}"`).raw().iterate() as IterableIterator<unknown[]>) {
        out.push(`INSERT INTO "${t}" VALUES (${row.map(literal).join(', ')});`);
      }
    }
    for (const o of objects.filter((x) => x.type !== 'table')) out.push(`${o.sql};`);
    out.push('COMMIT;');
    return `${out.join('\n')}\n`;
  } finally {
    db.close();
  }
}

/** Creates a database file from a dump. */
export function loadSql(path: string, sql: string): void {
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
