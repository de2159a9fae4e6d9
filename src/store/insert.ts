/**
 * Recording one run: every row it stores, inserted in a single IMMEDIATE transaction.
 */
import type Database from 'better-sqlite3';
import { canonicalJson, compressInput, packJson, sha256Hex } from './codec.js';
import { runContentHash, type RunRows } from './content-hash.js';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';
import { linkRun } from './chain.js';
import type { RecordedRun, RecordHooks, RunRecord } from './types.js';

const q = (s: string | null | undefined) => s ?? null;


/**
 * Stores one run in a single IMMEDIATE transaction and returns its sequence number. Input
 * compression and observation packing happen before the transaction, so the write lock is held
 * only for the inserts.
 */
export function insertRun(db: Database.Database, path: string, record: RunRecord, hooks: RecordHooks = {}): RecordedRun {
  const blobs = [...record.inputs, ...(record.blobs ?? []).map((b) => ({ ...b, file: `blob ${b.sha256.slice(0, 12)}…` }))].map((i) => {
    const actual = sha256Hex(i.content);
    if (actual !== i.sha256) {
      throw new ReportError('input-changed', { file: i.file },
        STORE.inputChanged(i.file, i.sha256, actual));
    }
    return { sha256: i.sha256, bytes: i.content.byteLength, ...compressInput(i.content) };
  });
  const observed = record.endpoints.map((e) => e.observedAt).sort();
  const runRow = [
    record.uuid, record.recordedAt, record.toolVersion, JSON.stringify(record.command), canonicalJson(record.request),
    record.reportId, q(record.period?.id), q(record.period?.label), q(record.period?.start), q(record.period?.end),
    record.reportDate, record.generatedAt, observed[0] ?? null, observed[observed.length - 1] ?? null,
    record.inputs.length, record.endpoints.length, record.endpoints.reduce((n, e) => n + e.findings.length, 0), record.problems.length,
    canonicalJson(record.summary), record.modelSha256,
  ] as const;
  const rows: RunRows = {
    run: runRow,
    inputs: record.inputs.map((i, ord) => [ord, i.file, i.kind, i.sha256, i.bytes, i.records, i.problems, i.observedAt, i.observedAtSource]),
    observations: record.endpoints.map((e) => [e.key, e.observedAt, e.observedAtSource, q(e.tool), e.scanState, e.frameworks.join(' '),
      e.findings.filter((f) => f.status === 'pass').map((f) => f.localId).join(' '), packJson(e.facts)]),
    findings: record.endpoints.flatMap((e) => e.findings.filter((f) => f.status !== 'pass').map((f) => [e.key, f.localId, f.checkId, f.status, f.severity,
      f.messageId, f.message, canonicalJson(f.data), canonicalJson(f.evidence)])),
    certificates: record.endpoints.flatMap((e) => e.certificates.map((c) => [e.key, c.index, c.commonName, c.issuer, c.serial, c.fingerprintSha256, c.notBefore, c.notAfter])),
    problems: record.problems.map((p, ord) => [ord, p.file, p.line ?? null, p.column ?? null, p.code, p.message, p.effect]),
    controls: record.controls.map((c) => [c.frameworkId, c.frameworkVersion, c.controlId, c.status]),
  };
  const contentSha = runContentHash(rows);
  hooks.onStage?.('prepared');

  const tx = db.transaction(() => {
    const info = db.prepare(`INSERT INTO runs (uuid, recorded_at, tool_version, command, request, report_id, period_id, period_label, period_start,
      period_end, report_date, generated_at, observed_from, observed_to, input_count, endpoint_count, finding_count, problem_count, summary,
      model_sha256, content_sha256) VALUES (${Array(21).fill('?').join(', ')})`).run(...runRow, contentSha);
    const seq = Number(info.lastInsertRowid);
    hooks.onStage?.('run');

    const blob = db.prepare('INSERT INTO blobs (sha256, bytes, encoding, data) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING');
    for (const b of blobs) blob.run(b.sha256, b.bytes, b.encoding, b.data);
    const input = db.prepare('INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows.inputs) input.run(seq, ...r);
    hooks.onStage?.('inputs');

    const findId = db.prepare('SELECT id FROM endpoints WHERE key = ?').pluck();
    const addEndpoint = db.prepare('INSERT INTO endpoints (key, host, ip, port, service, transport) VALUES (?, ?, ?, ?, ?, ?)');
    const ids = new Map<string, number>();
    for (const e of record.endpoints) {
      let id = findId.get(e.key) as number | undefined;
      if (id === undefined) id = Number(addEndpoint.run(e.key, e.host, e.ip, e.port, e.service, e.transport).lastInsertRowid);
      ids.set(e.key, id);
    }
    const obs = db.prepare('INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [key, ...rest] of rows.observations) obs.run(seq, ids.get(key as string), ...rest);
    hooks.onStage?.('observations');

    const finding = db.prepare('INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [key, ...rest] of rows.findings) finding.run(seq, ids.get(key as string), ...rest);
    const cert = db.prepare('INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [key, ...rest] of rows.certificates) cert.run(seq, ids.get(key as string), ...rest);
    hooks.onStage?.('findings');

    const problem = db.prepare('INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows.problems) problem.run(seq, ...r);
    const control = db.prepare('INSERT INTO control_results VALUES (?, ?, ?, ?, ?)');
    for (const r of rows.controls) control.run(seq, ...r);
    const signature = db.prepare('INSERT INTO run_signatures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [ord, g] of (record.signatures ?? []).entries()) {
      signature.run(seq, ord, g.file, g.pdfSha256, g.pdfBytes, g.signerSubject, g.signerSha256, g.signingTime, g.timestampTime, Buffer.from(g.cms));
    }
    // Last: the link hashes every row above, read back as verify will read them.
    const link = linkRun(db, path, seq);
    hooks.onStage?.('before-commit');
    return link;
  });
  const link = tx.immediate();
  return { seq: link.seq, uuid: record.uuid, chain: { seq: link.seq, sha256: link.sha256 }, prev: link.prev };
}
