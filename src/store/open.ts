/**
 * Opening a store file: refuse what is not ours (not SQLite, another application's database, a
 * newer store format) before anything is written, switch a writable store to WAL, and apply the
 * pending migrations. Read mode never writes the file.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, linkSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { alteredError, headProblem } from './chain.js';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';
import { migrate, newerError } from './migrate.js';
import { examineStorePath } from './path.js';
import { APPLICATION_ID, MIGRATIONS, requiredTables, type Migration } from './schema.js';
import type { OpenOptions } from './types.js';

const SQLITE_HEADER = 'SQLite format 3\u0000';

function sqliteCode(err: unknown): string | undefined {
  return err instanceof Database.SqliteError ? err.code : undefined;
}

/** Maps SQLite's "this file is damaged / not a database" and lock timeouts to ReportErrors. */
export function storeFault(err: unknown, path: string): unknown {
  if (err instanceof ReportError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ') {
    return new ReportError('store-corrupt', { path, sqlite: code },
      STORE.damaged(path, code, (err as Error).message), { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code?.startsWith('SQLITE_BUSY')) {
    return new ReportError('store-busy', { path },
      STORE.busy(path), { cause: err });
  }
  return err;
}

/**
 * An in-memory database from a store file's bytes. The header's WAL marker (bytes 18 and 19) is
 * set back to the rollback journal in the copy, since an in-memory database has no WAL.
 */
function inMemory(bytes: Buffer, opts: { owned?: boolean } = {}): Database.Database {
  if (bytes.length === 0) return new Database(':memory:');
  // A buffer read for this purpose alone is changed in place: one copy less of a large store.
  const copy = opts.owned === true ? bytes : Buffer.from(bytes);
  if (copy.length >= 20) copy[18] = copy[19] = 1;
  return new Database(copy);
}

/** Refuses a file that is not SQLite before SQLite sees it (examineStorePath has refused empty files and special ones). */
function checkHeader(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw new ReportError('store-corrupt', { path },
        STORE.notSqlite(path));
    }
  } finally {
    closeSync(fd);
  }
}

interface Inspection {
  readonly applicationId: number;
  readonly tables: number;
  readonly version: number;
  readonly lastTool: string | null;
  /** Tables a store of this format must have but this one lacks. */
  readonly missing: readonly string[];
}

function inspect(db: Database.Database): Inspection {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  const hasVersion = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
  const version = hasVersion ? ((db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0) : 0;
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'store_meta'").get() !== undefined;
  const lastTool = hasMeta ? ((db.prepare("SELECT value FROM store_meta WHERE key = 'last_tool_version'").get() as { value: string } | undefined)?.value ?? null) : null;
  const names = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  const missing = version > 0 ? requiredTables(version).filter((t) => !names.has(t)) : [];
  return { applicationId, tables, version, lastTool, missing };
}

/**
 * Opens (and, in write mode, creates) the store at `path`, refusing newer formats, foreign and
 * damaged files, then applies any pending migration.
 */
export function openDatabase(path: string, opts: OpenOptions): Database.Database {
  // Setting up a connection (the first read, the switch to WAL, a migration) can meet a lock
  // that SQLite reports as busy at once instead of waiting: when two runs create or upgrade a
  // store together, the one that loses retries the whole opening until the busy timeout.
  const deadline = Date.now() + (opts.busyTimeoutMs ?? 15_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return openOnce(path, opts);
    } catch (err) {
      const busy = err instanceof ReportError && err.code === 'store-busy';
      if (!busy || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(200, 10 * 2 ** attempt));
    }
  }
}

function openOnce(path: string, opts: OpenOptions): Database.Database {
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const found = examineStorePath(path, opts.mode);
  if (found === 'missing' && opts.mode === 'read') {
    throw new ReportError('store-not-found', { path },
      STORE.notFound(path));
  }
  if (opts.mode === 'read') return openForReading(path, opts, migrations, latest);
  if (found === 'missing') createStore(path, opts, migrations);
  checkHeader(path);
  // Taken before SQLite opens the file (opening makes the -wal that would void it).
  const signature = opts.reuseCheck === true ? fileSignature(path) : undefined;
  const checkedBefore = signature !== undefined && checkedStores.get(realpathSync(path)) === signature;
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (err) {
    throw storeFault(err, path);
  }
  try {
    // Not persistent, no write: safe before we know whose file this is.
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 15_000}`);
    // One read transaction, so the application id and the table count come from the same
    // snapshot: read separately, a store another process was creating at that moment looked
    // like a foreign database (tables present, application id not yet visible).
    const info = db.transaction(() => inspect(db)).deferred();
    refuseForeignOrNewer(path, info, latest, opts);
    // Nothing is written to a damaged store: appending to it would bury the damage under new
    // runs, and SQLite may "repair" it by dropping what it cannot read.
    if (!checkedBefore) refuseDamaged(db, path, info);
    if (opts.reuseCheck === true) checkedConnections.add(db);
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (info.version < latest || info.tables === 0) migrate(db, path, opts, migrations);
    // A store whose last run was cut off is not extended: the next run would hide the cut.
    const problem = db.transaction(() => headProblem(db)).deferred();
    if (problem !== null) throw alteredError(path, problem);
  } catch (err) {
    db.close();
    throw storeFault(err, path);
  }
  return db;
}

/**
 * A new store is built beside its final name and linked into place, so the path never shows a
 * half-made (or empty) store: an empty file at a store path always means damage. When two runs
 * create the same store at once, one link wins and the other opens the winner's store.
 */
function createStore(path: string, opts: OpenOptions, migrations: readonly Migration[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new ReportError('store-unusable', { path }, STORE.cannotCreateFolder(path, (err as Error).message));
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.new`);
  try {
    const db = new Database(tmp);
    try {
      db.pragma('journal_mode = WAL');
      migrate(db, path, opts, migrations);
    } finally {
      db.close();
    }
    try {
      linkSync(tmp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return; // another run created it first: use theirs
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      // A file system without hard links: rename, which may replace a store created meanwhile (empty of runs).
      renameSync(tmp, path);
    }
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) {
      try { unlinkSync(f); } catch { /* already gone */ }
    }
  }
}

function refuseForeignOrNewer(path: string, info: Inspection, latest: number, opts: OpenOptions): void {
  if (info.tables > 0 && info.applicationId !== APPLICATION_ID) {
    throw new ReportError('store-foreign', { path, applicationId: info.applicationId }, STORE.foreign(path, info.applicationId));
  }
  if (info.version > latest) throw newerError(path, info.version, latest, info.lastTool, opts.toolVersion);
  if (info.applicationId === APPLICATION_ID && info.missing.length > 0) {
    throw new ReportError('store-corrupt', { path, missing: info.missing },
      STORE.missingTables(path, info.version, info.missing));
  }
}

/**
 * Stores this process quick-checked, each with the file's signature when that connection closed
 * (keyed by real path). Reopening an unchanged file needs no second check: on a store of 60 MB the
 * check reads every page (a quarter of a second or more), and nothing but a writer could have damaged
 * it since; a writer changes the size, the modification or status-change time, or leaves a -wal.
 */
const checkedStores = new Map<string, string>();
const checkedConnections = new WeakSet<Database.Database>();

/** The file's identity, size and times; undefined while anything lies beside it (a -wal: someone has it open). */
function fileSignature(path: string): string | undefined {
  const real = realpathSync(path);
  if (existsSync(`${real}-wal`) || existsSync(`${real}-journal`)) return undefined;
  const s = statSync(real, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/**
 * Closes a connection openDatabase or readOnlyConnection made: a read-only one removes the files
 * it made beside the store; one opened with `reuseCheck` leaves its check for the next.
 */
export function closeDatabase(db: Database.Database, path: string): void {
  if (!db.open) return;
  db.close();
  const made = madeFiles.get(db);
  if (made !== undefined) tidyAfterReading(made);
  if (!checkedConnections.has(db)) return;
  try {
    const signature = fileSignature(path);
    const real = realpathSync(path);
    if (signature === undefined) checkedStores.delete(real);
    else checkedStores.set(real, signature);
  } catch {
    // The store went away meanwhile: there is nothing to remember.
  }
}

/** SQLite's quick check (every page and row readable, in order); a few ms per MB of store. */
function refuseDamaged(db: Database.Database, path: string, info: Inspection): void {
  if (info.tables === 0) return;
  const bad = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (bad.length === 0) return;
  throw new ReportError('store-corrupt', { path, quickCheck: bad },
    STORE.quickCheckFailed(path, bad));
}

/**
 * Read mode never writes the file: SQLite opens it read-only (no journal-mode switch, no
 * migration), so its bytes and modification time stay as they were and a file the user cannot
 * write (or a store on read-only media) still reads. A store in an older format is upgraded in
 * a copy in memory, never on disk.
 */
function openForReading(path: string, opts: OpenOptions, migrations: readonly Migration[], latest: number): Database.Database {
  checkHeader(path);
  const look = (db: Database.Database): Inspection => {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 15_000}`);
    return db.transaction(() => inspect(db)).deferred();
  };
  let db = readOnlyConnection(path);
  let info: Inspection;
  try {
    info = look(db);
  } catch (err) {
    closeDatabase(db, path);
    throw storeFault(err, path);
  }
  try {
    if (info.tables > 0 && info.applicationId !== APPLICATION_ID) {
      throw new ReportError('store-foreign', { path, applicationId: info.applicationId }, STORE.foreign(path, info.applicationId));
    }
    if (info.version > latest) throw newerError(path, info.version, latest, info.lastTool, opts.toolVersion);
    if (info.version < latest || info.tables === 0) {
      const copy = inMemory(db.serialize(), { owned: true });
      closeDatabase(db, path);
      db = copy;
      migrate(db, path, opts, migrations);
    }
  } catch (err) {
    closeDatabase(db, path);
    throw storeFault(err, path);
  }
  return db;
}

/** Read-only connections that made the -wal and -shm beside their store, with the store's real path. */
const madeFiles = new WeakMap<Database.Database, string>();

/**
 * A connection that reads the store and leaves its folder as it was. A read-only SQLite
 * connection to a WAL store creates the -wal and -shm files beside it when they are missing and,
 * unable to write, cannot remove them when it closes: a command that only reads would leave two
 * new files next to the evidence. When nothing lay beside the store (nobody had it open), closing
 * such a connection with closeDatabase removes them the way SQLite itself does: a read-write
 * connection that reads one row and closes as the last one deletes them, only if no other
 * connection has the store open, and writes nothing to the store file (its bytes and times stay).
 * A store file this user cannot write is read from a copy in memory instead, as is a store in a
 * folder SQLite cannot create those files in (nobody can be writing there).
 * Damage is not looked for here: queries on the connection meet it.
 */
export function readOnlyConnection(path: string): Database.Database {
  const real = realpathSync(path);
  const quiet = !['-wal', '-shm', '-journal'].some((suffix) => existsSync(`${real}${suffix}`));
  if (quiet && !writable(real)) {
    const copy = stableCopy(real);
    if (copy !== undefined) return inMemory(copy, { owned: true });
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  // Registered before the first read, which makes the files: a damaged store makes them too.
  if (quiet) madeFiles.set(db, real);
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    if (sqliteCode(err) !== 'SQLITE_CANTOPEN') return db;
    closeDatabase(db, path);
    return inMemory(readFileSync(path), { owned: true });
  }
  return db;
}

function writable(real: string): boolean {
  try {
    accessSync(real, constants.W_OK);
    accessSync(dirname(real), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Removes the -wal and -shm a read-only connection made, when no other connection uses them. */
function tidyAfterReading(real: string): void {
  if (!existsSync(`${real}-wal`) && !existsSync(`${real}-shm`)) return;
  try {
    const db = new Database(real, { fileMustExist: true, timeout: 0 });
    try {
      // SQLite opens the write-ahead log on the first read; closing as the last connection then
      // checkpoints and deletes both files. The log is empty (nothing is written to the store)
      // unless a writer committed meanwhile, whose frames it copies in, as that writer would have.
      db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get();
    } finally {
      db.close();
    }
  } catch {
    // Busy or unwritable after all: the files stay, as they would have without this.
  }
}

/** The file's bytes, if nothing changed it while it was read (a writer would mix two states in the copy). */
function stableCopy(real: string): Buffer | undefined {
  const before = statSync(real, { bigint: true });
  const bytes = readFileSync(real);
  const after = statSync(real, { bigint: true });
  const same = before.ino === after.ino && before.size === after.size && before.mtimeNs === after.mtimeNs && before.ctimeNs === after.ctimeNs;
  return same && bytes.length === Number(after.size) ? bytes : undefined;
}
