/**
 * Applying the schema's migrations to an open store, in one IMMEDIATE transaction (see schema.ts
 * for the rules of adding one).
 */
import type Database from 'better-sqlite3';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';
import { APPLICATION_ID, BOOTSTRAP, type Migration } from './schema.js';
import type { OpenOptions } from './types.js';

/** The refusal of a store written by a newer tlsproof. */
export function newerError(path: string, version: number, latest: number, lastTool: string | null, toolVersion: string): ReportError {
  return new ReportError('store-newer', { path, version, latest, lastTool },
    STORE.newer(path, version, latest, lastTool, toolVersion));
}


/** Applies the pending migrations in one IMMEDIATE transaction; the version is re-read inside it. */
export function migrate(db: Database.Database, path: string, opts: OpenOptions, migrations: readonly Migration[]): void {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const tx = db.transaction(() => {
    db.exec(BOOTSTRAP);
    const current = (db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
    if (current > latest) throw newerError(path, current, latest, null, opts.toolVersion);
    const add = db.prepare('INSERT INTO schema_version (version, description, applied_at, tool_version) VALUES (?, ?, ?, ?)');
    for (const m of migrations) {
      if (m.version <= current) continue;
      try {
        m.up(db);
      } catch (err) {
        throw new ReportError('migration-failed', { path, version: m.version },
          STORE.migrationFailed(path, m.version, err instanceof Error ? err.message : String(err), current), { cause: err });
      }
      add.run(m.version, m.description, now, opts.toolVersion);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    const meta = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    if (db.prepare("SELECT 1 FROM store_meta WHERE key = 'created_by'").get() === undefined) {
      meta.run('created_by', `tlsproof ${opts.toolVersion}`);
      meta.run('created_at', now);
    }
    meta.run('last_tool_version', `tlsproof ${opts.toolVersion}`);
  });
  tx.immediate();
}
