/**
 * The evidence store's schema as a list of versioned migrations. A store records every migration
 * applied to it in `schema_version` (one row per version, with the tool version that applied it);
 * opening a store applies the missing ones in order, each in the same transaction as its row, so
 * a store is always exactly at one version. A store whose newest version is above the last one
 * here was written by a newer tlsproof and is refused unchanged.
 *
 * Rules for adding a version: append a Migration (never edit a released one), add
 * `test/fixtures/history/store-v<N>.sql` made by the release that introduced it (the migration
 * test opens every such file with the current code), and bump nothing else: STORE_FORMAT follows.
 */
import type Database from 'better-sqlite3';
import { chainHash } from './chain.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  /** Tables this version creates (a store of this format or later must have them). */
  readonly tables?: readonly string[];
  /** Runs inside the migration's transaction; must not commit or change journal mode. */
  up(db: Database.Database): void;
}

/** `PRAGMA application_id` of a tlsproof store: "TLSP". Tells our files from other SQLite databases. */
export const APPLICATION_ID = 0x544c5350;

/** Tables a run writes to in format 1; every one is append-only (see the triggers in v1). */
const RUN_TABLES = ['runs', 'run_inputs', 'observations', 'findings', 'certificates', 'problems', 'control_results'] as const;

/**
 * Version 0 is these two tables alone: what the migration mechanism itself needs. They are created
 * (if missing) in the same transaction as the first migration, so they never change shape.
 */
export const BOOTSTRAP = `
CREATE TABLE IF NOT EXISTS schema_version (
  version      INTEGER PRIMARY KEY,
  description  TEXT NOT NULL,
  applied_at   TEXT NOT NULL,
  tool_version TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

const V1 = `
-- Content-addressed raw inputs, compressed; shared by every run that read the same bytes.
CREATE TABLE blobs (
  sha256   TEXT PRIMARY KEY,
  bytes    INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  data     BLOB NOT NULL
) STRICT;

CREATE TABLE runs (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid           TEXT NOT NULL UNIQUE,
  recorded_at    TEXT NOT NULL,
  tool_version   TEXT NOT NULL,
  command        TEXT NOT NULL,   -- JSON array: the arguments as given
  request        TEXT NOT NULL,   -- JSON: the options needed to regenerate the report
  report_id      TEXT NOT NULL,
  period_id      TEXT,
  period_label   TEXT,
  period_start   TEXT,
  period_end     TEXT,
  report_date    TEXT NOT NULL,
  generated_at   TEXT NOT NULL,
  observed_from  TEXT,
  observed_to    TEXT,
  input_count    INTEGER NOT NULL,
  endpoint_count INTEGER NOT NULL,
  finding_count  INTEGER NOT NULL,
  problem_count  INTEGER NOT NULL,
  summary        TEXT NOT NULL,   -- JSON: ReportModel.summary
  model_sha256   TEXT NOT NULL,   -- canonical JSON of the ReportModel without history
  content_sha256 TEXT NOT NULL    -- of the run's rows, recomputed by store verify
) STRICT;

CREATE TABLE run_inputs (
  run_seq            INTEGER NOT NULL REFERENCES runs(seq),
  ord                INTEGER NOT NULL,
  file               TEXT NOT NULL,
  kind               TEXT NOT NULL,
  sha256             TEXT NOT NULL REFERENCES blobs(sha256),
  bytes              INTEGER NOT NULL,
  records            INTEGER NOT NULL,
  problems           INTEGER NOT NULL,
  observed_at        TEXT NOT NULL,   -- the time given to records that carry none
  observed_at_source TEXT NOT NULL,   -- option | file-mtime
  PRIMARY KEY (run_seq, ord)
) STRICT, WITHOUT ROWID;

CREATE TABLE endpoints (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL UNIQUE,
  host      TEXT NOT NULL,
  ip        TEXT,
  port      INTEGER NOT NULL,
  service   TEXT NOT NULL,
  transport TEXT NOT NULL
) STRICT;

-- One row per endpoint per run: the merged observation the run's findings came from.
CREATE TABLE observations (
  run_seq            INTEGER NOT NULL REFERENCES runs(seq),
  endpoint_id        INTEGER NOT NULL REFERENCES endpoints(id),
  observed_at        TEXT NOT NULL,   -- ISO 8601 UTC
  observed_at_source TEXT NOT NULL,
  tool               TEXT,
  scan_state         TEXT NOT NULL,
  frameworks         TEXT NOT NULL,   -- space-separated framework ids in scope for this endpoint
  passed             TEXT NOT NULL,   -- space-separated local ids of the passing findings
  facts              BLOB NOT NULL,   -- deflated JSON: the observation, sources cut to file:line
  PRIMARY KEY (run_seq, endpoint_id)
) STRICT; -- a rowid table: its rows (about 2 kB) are too large for WITHOUT ROWID to pay off
CREATE INDEX observations_by_endpoint ON observations (endpoint_id, observed_at);

-- Every finding that did not pass (fail, warn, not-tested, error); passes are listed in observations.passed.
CREATE TABLE findings (
  run_seq     INTEGER NOT NULL,
  endpoint_id INTEGER NOT NULL,
  local_id    TEXT NOT NULL,          -- checkId, plus #n for per-certificate outcomes
  check_id    TEXT NOT NULL,
  status      TEXT NOT NULL,
  severity    TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  message     TEXT NOT NULL,
  data        TEXT NOT NULL,          -- JSON
  evidence    TEXT NOT NULL,          -- JSON [{summary, file, line}]
  PRIMARY KEY (run_seq, endpoint_id, local_id),
  FOREIGN KEY (run_seq, endpoint_id) REFERENCES observations(run_seq, endpoint_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE certificates (
  run_seq            INTEGER NOT NULL,
  endpoint_id        INTEGER NOT NULL,
  idx                INTEGER NOT NULL,
  common_name        TEXT,
  issuer             TEXT,
  serial             TEXT,
  fingerprint_sha256 TEXT,
  not_before         TEXT,
  not_after          TEXT,
  PRIMARY KEY (run_seq, endpoint_id, idx),
  FOREIGN KEY (run_seq, endpoint_id) REFERENCES observations(run_seq, endpoint_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE problems (
  run_seq INTEGER NOT NULL REFERENCES runs(seq),
  ord     INTEGER NOT NULL,
  file    TEXT NOT NULL,
  line    INTEGER,
  col     INTEGER,
  code    TEXT NOT NULL,
  message TEXT NOT NULL,
  effect  TEXT NOT NULL,
  PRIMARY KEY (run_seq, ord)
) STRICT, WITHOUT ROWID;

CREATE TABLE control_results (
  run_seq           INTEGER NOT NULL REFERENCES runs(seq),
  framework_id      TEXT NOT NULL,
  framework_version TEXT NOT NULL,
  control_id        TEXT NOT NULL,
  status            TEXT NOT NULL,
  PRIMARY KEY (run_seq, framework_id, control_id)
) STRICT, WITHOUT ROWID;
`;

const V2 = `
-- One link per run: its chain hash covers the previous link and every row of the run (chain.ts).
CREATE TABLE run_chain (
  run_seq      INTEGER PRIMARY KEY REFERENCES runs(seq),
  prev_sha256  TEXT,            -- the previous run's chain_sha256; NULL for the first run
  chain_sha256 TEXT NOT NULL
) STRICT;

-- The signature of each signed PDF the run wrote (--sign), and who signed it.
CREATE TABLE run_signatures (
  run_seq        INTEGER NOT NULL REFERENCES runs(seq),
  ord            INTEGER NOT NULL,
  file           TEXT NOT NULL,    -- the signed PDF's name as written
  pdf_sha256     TEXT NOT NULL,    -- of the signed PDF, as written
  pdf_bytes      INTEGER NOT NULL,
  signer_subject TEXT NOT NULL,    -- the signer certificate's subject
  signer_sha256  TEXT NOT NULL,    -- SHA-256 fingerprint of the signer certificate (DER)
  signing_time   TEXT NOT NULL,    -- the signing time the PDF states (ISO 8601)
  timestamp_time TEXT,             -- the RFC 3161 time-stamp's time (--tsa); NULL without one
  cms            BLOB NOT NULL,    -- the CMS SignedData embedded in the PDF (DER)
  PRIMARY KEY (run_seq, ord)
) STRICT, WITHOUT ROWID;
`;

/** Tables a store of format 1 has; format 2 adds V2_TABLES. */
const V1_TABLES = ['schema_version', 'store_meta', 'blobs', 'runs', 'run_inputs', 'endpoints', 'observations', 'findings', 'certificates', 'problems', 'control_results'];
const V2_TABLES = ['run_chain', 'run_signatures'] as const;

/** Runs and their rows are never changed or removed: the store is append-only evidence. */
function appendOnlyTriggers(tables: readonly string[] = [...RUN_TABLES, 'blobs']): string {
  return tables.map((t) => `
CREATE TRIGGER ${t}_append_only_update BEFORE UPDATE ON ${t}
BEGIN SELECT RAISE(ABORT, 'tlsproof evidence store: ${t} is append-only'); END;
CREATE TRIGGER ${t}_append_only_delete BEFORE DELETE ON ${t}
BEGIN SELECT RAISE(ABORT, 'tlsproof evidence store: ${t} is append-only'); END;`).join('\n');
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, inputs (compressed, content-addressed), endpoints, observations, findings, certificates, problems, control results; append-only triggers',
    tables: V1_TABLES,
    up(db) {
      db.exec(V1);
      db.exec(appendOnlyTriggers());
    },
  },
  {
    version: 2,
    description: 'chain of runs (each run hashed with the previous one and every row it refers to); signatures of signed PDFs; both append-only',
    tables: V2_TABLES,
    up(db) {
      db.exec(V2);
      // Endpoints are only ever added; format 1 left them without triggers.
      db.exec(appendOnlyTriggers([...V2_TABLES, 'endpoints']));
      // Runs recorded before the chain are linked as they stand now: the chain proves nothing
      // about changes made before this upgrade (their format-1 content hashes still do).
      const link = db.prepare('INSERT INTO run_chain (run_seq, prev_sha256, chain_sha256) VALUES (?, ?, ?)');
      let prev: string | null = null;
      let last: number | null = null;
      for (const seq of db.prepare('SELECT seq FROM runs ORDER BY seq').pluck().all() as number[]) {
        const sha: string = chainHash(db, seq, prev)!;
        link.run(seq, prev, sha);
        prev = sha;
        last = seq;
      }
      if (last !== null) {
        db.prepare("INSERT INTO store_meta (key, value) VALUES ('chain_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(`${last} ${prev}`);
      }
    },
  },
];

/** The store format this tlsproof writes: the last migration's version. */
export const STORE_FORMAT: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Names of the append-only triggers a healthy store of the current format has. */
export function expectedTriggers(): string[] {
  return [...RUN_TABLES, 'blobs', ...V2_TABLES, 'endpoints'].flatMap((t) => [`${t}_append_only_update`, `${t}_append_only_delete`]);
}

/** Tables a store of format `version` must have. */
export function requiredTables(version: number, migrations: readonly Migration[] = MIGRATIONS): string[] {
  return migrations.filter((m) => m.version <= version).flatMap((m) => [...(m.tables ?? [])]);
}
