/**
 * `tlsproof store verify`: is the file an intact tlsproof store, and does every run still hold
 * exactly what was recorded? SQLite's own integrity and foreign-key checks, then ours: format
 * and application id, the append-only triggers, each run's row counts and content hash, the
 * chain of runs (each run's hash over the previous one's and every row it refers to), the head
 * of the chain against the run numbers SQLite handed out (and against a copy the caller holds),
 * rows no run refers to, the stored signatures, and every stored input decompressed and hashed
 * against the SHA-256 the reports cite.
 *
 * Read-only: the file is opened read-only, so a damaged store or one from a newer tlsproof is
 * examined, never changed. Damage is a failed check, not a crash. What it cannot see is said in
 * VERIFY.limits (store/messages.ts), printed with every result.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { chainHash, requestBlobRefs } from './chain.js';
import { decompressInput, sha256Hex, unpackJson } from './codec.js';
import { ReportError } from '../errors.js';
import { closeDatabase, readOnlyConnection } from './open.js';
import { examineStorePath } from './path.js';
import { APPLICATION_ID, STORE_FORMAT, expectedTriggers } from './schema.js';
import { STORE, VERIFY } from './messages.js';
import { signatureProblems, type StoredSignatureRow } from './signature.js';
import { runContentHash } from './content-hash.js';
import type { FindingRowDb, InputRowDb, ObservationRowDb, ProblemRowDb, RunRowDb } from './types.js';

interface VerifyCheck {
  readonly id: 'file' | 'integrity' | 'application-id' | 'format' | 'foreign-keys' | 'append-only' | 'run-counts' | 'run-content' | 'chain' | 'chain-head'
    | 'expected-head' | 'unreferenced' | 'signatures' | 'inputs';
  readonly ok: boolean;
  readonly detail: string;
}

interface VerifyResult {
  readonly path: string;
  readonly ok: boolean;
  readonly format: number | null;
  readonly runs: number;
  readonly blobs: number;
  /** The newest link of the chain as stored (format 2 and later, with runs). */
  readonly head: { readonly seq: number; readonly sha256: string } | null;
  readonly checks: VerifyCheck[];
  /** What these checks cannot detect. */
  readonly limits: readonly string[];
}

/** A copy of the chain head held outside the store (printed in every report): `SEQ:SHA256`. */
interface ExpectedHead {
  readonly seq: number;
  readonly sha256: string;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');
const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Throws a ReportError for a path that is no file to examine (a folder, FIFO, device, symlink
 * loop): verify never opens those, so a FIFO cannot block it.
 */
export function verifyStore(path: string, opts: { expectHead?: ExpectedHead | undefined } = {}): VerifyResult {
  const checks: VerifyCheck[] = [];
  let head: VerifyResult['head'] = null;
  const done = (format: number | null, runs = 0, blobs = 0): VerifyResult => ({ path, ok: checks.every((c) => c.ok), format, runs, blobs, head, checks, limits: VERIFY.limits });
  try {
    if (examineStorePath(path, 'read') === 'missing') {
      checks.push({ id: 'file', ok: false, detail: VERIFY.noFile(path) });
      return done(null);
    }
  } catch (err) {
    if (!(err instanceof ReportError && err.code === 'store-corrupt')) throw err;
    checks.push({ id: 'file', ok: false, detail: VERIFY.emptyFile() });
    return done(null);
  }
  let db: Database.Database;
  try {
    // Look at the header before SQLite does: a file that is not SQLite at all gets a plain answer.
    const head = Buffer.alloc(16);
    const fd = openSync(path, 'r');
    const n = readSync(fd, head, 0, 16, 0);
    closeSync(fd);
    if (n > 0 && (n < 16 || !head.equals(SQLITE_HEADER))) {
      checks.push({ id: 'file', ok: false, detail: VERIFY.notSqlite() });
      return done(null);
    }
    db = readOnlyConnection(path);
  } catch (err) {
    checks.push({ id: 'file', ok: false, detail: VERIFY.cannotOpen(msg(err)) });
    return done(null);
  }
  try {
    return verifyOpen(db, checks, done, (h) => { head = h; }, opts.expectHead);
  } finally {
    closeDatabase(db, path);
  }
}

function verifyOpen(db: Database.Database, checks: VerifyCheck[], done: (format: number | null, runs?: number, blobs?: number) => VerifyResult,
  setHead: (h: VerifyResult['head']) => void, expectHead: ExpectedHead | undefined): VerifyResult {
  checks.push({ id: 'file', ok: true, detail: VERIFY.isSqlite() });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const bad = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    checks.push({ id: 'integrity', ok: bad.length === 0, detail: bad.length === 0 ? VERIFY.integrityOk() : VERIFY.integrityBad(bad) });
  } catch (err) {
    checks.push({ id: 'integrity', ok: false, detail: VERIFY.damaged(msg(err)) });
    return done(null);
  }
  let format: number;
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    checks.push({ id: 'application-id', ok: appId === APPLICATION_ID, detail: appId === APPLICATION_ID ? VERIFY.isTlsproofStore() : VERIFY.notTlsproofStore(appId) });
    if (appId !== APPLICATION_ID) return done(null);
    const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all() as number[];
    format = versions[versions.length - 1] ?? 0;
    const contiguous = versions.every((v, i) => v === i + 1);
    if (!contiguous) checks.push({ id: 'format', ok: false, detail: VERIFY.formatGaps(format, versions) });
    else if (format > STORE_FORMAT) {
      checks.push({ id: 'format', ok: false, detail: VERIFY.formatNewer(format, STORE_FORMAT) });
      return done(format);
    } else if (format < STORE_FORMAT) {
      checks.push({ id: 'format', ok: true, detail: VERIFY.formatOlder(format, STORE_FORMAT) });
      return done(format);
    } else checks.push({ id: 'format', ok: true, detail: VERIFY.formatOk(format) });
  } catch (err) {
    checks.push({ id: 'format', ok: false, detail: VERIFY.formatUnreadable(msg(err)) });
    return done(null);
  }

  let runs = 0;
  let blobs = 0;
  try {
    const fk = db.pragma('foreign_key_check') as unknown[];
    checks.push({ id: 'foreign-keys', ok: fk.length === 0, detail: fk.length === 0 ? VERIFY.foreignKeysOk() : VERIFY.foreignKeysBad(fk.length) });
    const triggers = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]);
    const missing = expectedTriggers().filter((t) => !triggers.has(t));
    checks.push({ id: 'append-only', ok: missing.length === 0, detail: missing.length === 0 ? VERIFY.triggersOk() : VERIFY.triggersMissing(missing) });

    const badCounts: string[] = [];
    const badContent: string[] = [];
    const runRows = db.prepare('SELECT * FROM runs ORDER BY seq').all() as RunRowDb[];
    runs = runRows.length;
    const inputsOf = db.prepare('SELECT * FROM run_inputs WHERE run_seq = ?');
    const obsOf = db.prepare('SELECT o.*, e.key FROM observations o JOIN endpoints e ON e.id = o.endpoint_id WHERE o.run_seq = ?');
    const findingsOf = db.prepare('SELECT f.*, e.key FROM findings f JOIN endpoints e ON e.id = f.endpoint_id WHERE f.run_seq = ?');
    const certsOf = db.prepare('SELECT c.*, e.key FROM certificates c JOIN endpoints e ON e.id = c.endpoint_id WHERE c.run_seq = ?');
    const problemsOf = db.prepare('SELECT * FROM problems WHERE run_seq = ?');
    const controlsOf = db.prepare('SELECT * FROM control_results WHERE run_seq = ?');
    for (const r of runRows) {
      try {
        const inputs = inputsOf.all(r.seq) as InputRowDb[];
        const obs = obsOf.all(r.seq) as (ObservationRowDb & { key: string })[];
        const findings = findingsOf.all(r.seq) as (FindingRowDb & { key: string })[];
        const certs = certsOf.all(r.seq) as Record<string, unknown>[];
        const problems = problemsOf.all(r.seq) as ProblemRowDb[];
        const controls = controlsOf.all(r.seq) as Record<string, unknown>[];
        const passed = obs.reduce((n, o) => n + (o.passed === '' ? 0 : o.passed.split(' ').length), 0);
        const counts: [string, number, number][] = [
          ['inputs', r.input_count, inputs.length], ['endpoints', r.endpoint_count, obs.length],
          ['findings', r.finding_count, findings.length + passed], ['problems', r.problem_count, problems.length],
        ];
        for (const [what, recorded, found] of counts) if (recorded !== found) badCounts.push(VERIFY.countDiffers(r.seq, what, recorded, found));
        for (const o of obs) unpackJson(o.facts);
        JSON.parse(r.summary);
        const hash = runContentHash({
          run: [r.uuid, r.recorded_at, r.tool_version, r.command, r.request, r.report_id, r.period_id, r.period_label, r.period_start, r.period_end,
            r.report_date, r.generated_at, r.observed_from, r.observed_to, r.input_count, r.endpoint_count, r.finding_count, r.problem_count,
            r.summary, r.model_sha256],
          inputs: inputs.map((i) => [i.ord, i.file, i.kind, i.sha256, i.bytes, i.records, i.problems, i.observed_at, i.observed_at_source]),
          observations: obs.map((o) => [o.key, o.observed_at, o.observed_at_source, o.tool, o.scan_state, o.frameworks, o.passed, o.facts]),
          findings: findings.map((f) => [f.key, f.local_id, f.check_id, f.status, f.severity, f.message_id, f.message, f.data, f.evidence]),
          certificates: certs.map((c) => [c['key'], c['idx'], c['common_name'], c['issuer'], c['serial'], c['fingerprint_sha256'], c['not_before'], c['not_after']]),
          problems: problems.map((p) => [p.ord, p.file, p.line, p.col, p.code, p.message, p.effect]),
          controls: controls.map((c) => [c['framework_id'], c['framework_version'], c['control_id'], c['status']]),
        });
        if (hash !== r.content_sha256) badContent.push(VERIFY.contentDiffers(r.seq, hash, r.content_sha256));
      } catch (err) {
        badContent.push(VERIFY.runUnreadable(r.seq, msg(err)));
      }
    }
    checks.push({ id: 'run-counts', ok: badCounts.length === 0, detail: badCounts.length === 0 ? VERIFY.countsOk(runs) : VERIFY.list(badCounts) });
    checks.push({ id: 'run-content', ok: badContent.length === 0, detail: badContent.length === 0 ? VERIFY.contentOk(runs) : VERIFY.list(badContent) });

    verifyChain(db, runRows.map((r) => r.seq), checks, setHead, expectHead);
    verifySignatures(db, checks);

    const badInputs: string[] = [];
    const sizes = new Map<string, number>();
    for (const b of db.prepare('SELECT sha256, bytes, encoding, data FROM blobs').iterate() as IterableIterator<{ sha256: string; bytes: number; encoding: string; data: Buffer }>) {
      blobs++;
      try {
        const raw = decompressInput(b.encoding, b.data);
        const h = sha256Hex(raw);
        if (h !== b.sha256) badInputs.push(VERIFY.inputHashDiffers(b.sha256, h));
        else if (raw.byteLength !== b.bytes) badInputs.push(VERIFY.inputSizeDiffers(b.sha256, raw.byteLength, b.bytes));
        sizes.set(b.sha256, raw.byteLength);
      } catch (err) {
        badInputs.push(VERIFY.inputUndecompressable(b.sha256, msg(err)));
      }
    }
    for (const i of db.prepare('SELECT run_seq, file, sha256, bytes FROM run_inputs').iterate() as IterableIterator<{ run_seq: number; file: string; sha256: string; bytes: number }>) {
      const size = sizes.get(i.sha256);
      if (size === undefined) badInputs.push(VERIFY.inputMissing(i.run_seq, i.file));
      else if (size !== i.bytes) badInputs.push(VERIFY.inputSizeMismatch(i.run_seq, i.file, i.bytes, size));
    }
    // The exceptions file a run applied is cited by hash from its request: its content must be stored too.
    for (const r of db.prepare('SELECT seq, request FROM runs').iterate() as IterableIterator<{ seq: number; request: string }>) {
      let cited: { file?: unknown; sha256?: unknown } | null | undefined;
      try {
        cited = (JSON.parse(r.request) as { exceptions?: { file?: unknown; sha256?: unknown } | null }).exceptions;
      } catch { continue; /* the run-content check reports an unreadable request */ }
      if (cited && typeof cited.sha256 === 'string' && !sizes.has(cited.sha256)) badInputs.push(VERIFY.exceptionsMissing(r.seq, String(cited.file)));
    }
    checks.push({ id: 'inputs', ok: badInputs.length === 0, detail: badInputs.length === 0 ? VERIFY.inputsOk(blobs) : VERIFY.list(badInputs) });
  } catch (err) {
    checks.push({ id: 'run-content', ok: false, detail: VERIFY.damaged(msg(err)) });
  }
  return done(format, runs, blobs);
}

const first = VERIFY.first;

/** The chain, its head against SQLite's run counter, the store's note and a held copy, and rows no run refers to. */
function verifyChain(db: Database.Database, seqs: readonly number[], checks: VerifyCheck[], setHead: (h: VerifyResult['head']) => void, expectHead: ExpectedHead | undefined): void {
  const links = new Map((db.prepare('SELECT run_seq, prev_sha256, chain_sha256 FROM run_chain ORDER BY run_seq').raw().all() as [number, string | null, string][])
    .map(([seq, prev, sha]) => [seq, { prev, sha }]));
  const broken: string[] = [];
  let prev: string | null = null;
  let expected = 1;
  for (const seq of seqs) {
    if (seq !== expected) broken.push(VERIFY.runsMissing(expected, seq));
    expected = seq + 1;
    const link = links.get(seq);
    links.delete(seq);
    if (link === undefined) {
      broken.push(VERIFY.noLink(seq));
      prev = null;
      continue;
    }
    if (link.prev !== prev) broken.push(VERIFY.doesNotFollow(seq));
    const actual = chainHash(db, seq, link.prev);
    if (actual !== link.sha) broken.push(VERIFY.chainHashDiffers(seq, link.sha, actual));
    prev = link.sha;
  }
  for (const seq of links.keys()) broken.push(VERIFY.strayLink(seq));
  checks.push({ id: 'chain', ok: broken.length === 0, detail: broken.length === 0 ? VERIFY.chainOk(seqs.length) : first(broken) });

  const last = seqs.length === 0 ? null : seqs[seqs.length - 1]!;
  const lastLink = last === null ? undefined : (db.prepare('SELECT chain_sha256 FROM run_chain WHERE run_seq = ?').pluck().get(last) as string | undefined);
  setHead(last === null || lastLink === undefined ? null : { seq: last, sha256: lastLink });
  const headProblems: string[] = [];
  const counter = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").pluck().get() as number | undefined;
  if ((counter ?? 0) > (last ?? 0)) {
    headProblems.push(STORE.runsDeleted(counter!, last));
  }
  const note = db.prepare("SELECT value FROM store_meta WHERE key = 'chain_head'").pluck().get() as string | undefined;
  const stated = last === null ? undefined : `${last} ${lastLink}`;
  if (note !== stated && !(note === undefined && last === null)) {
    headProblems.push(VERIFY.headNoteSays(note, last));
  }
  checks.push({ id: 'chain-head', ok: headProblems.length === 0,
    detail: headProblems.length === 0 ? (last === null ? VERIFY.noRuns() : VERIFY.head(last, lastLink)) : first(headProblems) });

  if (expectHead !== undefined) {
    const held = db.prepare('SELECT chain_sha256 FROM run_chain WHERE run_seq = ?').pluck().get(expectHead.seq) as string | undefined;
    const ok = held === expectHead.sha256 && !broken.some((b) => /^run (\d+)/.exec(b) !== null && Number(/^run (\d+)/.exec(b)![1]) <= expectHead.seq);
    checks.push({ id: 'expected-head', ok,
      detail: held === undefined ? VERIFY.heldRunGone(expectHead.seq)
        : held !== expectHead.sha256 ? VERIFY.heldDiffers(expectHead.seq, held, expectHead.sha256)
        : ok ? VERIFY.heldOk(expectHead.seq)
        : VERIFY.heldChainBroken(expectHead.seq) });
  }

  const orphans: string[] = [];
  const endpoints = db.prepare(`SELECT key FROM endpoints WHERE id NOT IN (SELECT endpoint_id FROM observations UNION SELECT endpoint_id FROM findings
    UNION SELECT endpoint_id FROM certificates)`).pluck().all() as string[];
  if (endpoints.length > 0) orphans.push(VERIFY.orphanEndpoints(endpoints));
  const used = new Set(db.prepare('SELECT sha256 FROM run_inputs').pluck().all() as string[]);
  for (const req of db.prepare('SELECT request FROM runs').pluck().iterate() as IterableIterator<string>) for (const sha of requestBlobRefs(req)) used.add(sha);
  const blobs = (db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[]).filter((b) => !used.has(b));
  if (blobs.length > 0) orphans.push(VERIFY.orphanInputs(blobs));
  checks.push({ id: 'unreferenced', ok: orphans.length === 0,
    detail: orphans.length === 0 ? VERIFY.referencedOk() : VERIFY.leftBehind(orphans) });
}

function verifySignatures(db: Database.Database, checks: VerifyCheck[]): void {
  const problems: string[] = [];
  let n = 0;
  for (const row of db.prepare('SELECT * FROM run_signatures ORDER BY run_seq, ord').iterate() as IterableIterator<StoredSignatureRow>) {
    n++;
    try {
      problems.push(...signatureProblems(row));
    } catch (err) {
      problems.push(VERIFY.signatureUnreadable(row.run_seq, row.file, msg(err)));
    }
  }
  checks.push({ id: 'signatures', ok: problems.length === 0,
    detail: problems.length > 0 ? first(problems) : n === 0 ? VERIFY.noSignatures() : VERIFY.signaturesOk(n) });
}
