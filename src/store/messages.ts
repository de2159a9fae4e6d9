/**
 * The evidence store's prose, in one place: every refusal names the store (or the input) by its
 * path, says what was found and whether anything was written, and what to do about it.
 */

const LEAVE = 'Give --store a path to a store file, or --no-store to make the report without the store.';

/** A store path SQLite must not be handed: what is there, and what to do instead. */
const unusable = (path: string, what: string, todo: string = LEAVE): string =>
  `The evidence store path "${path}" ${what}; nothing was read or written. ${todo}`;

const RESTORE_OR_NEW = 'Run "tlsproof store verify" for details; restore it from a backup, or give --store another path to start a new one.';

export const STORE = {
  // ── What is at the path (before SQLite sees it) ──
  pathHidden: (path: string) =>
    unusable(path, 'cannot be looked at (permission denied on a folder above it)', 'Give --store a path you can read and write.'),
  linkLoops: (path: string) =>
    unusable(path, 'is a symbolic link that loops (it leads back to itself)', 'Fix or remove the link, or give --store another path.'),
  linkDangling: (path: string) =>
    unusable(path, 'is a symbolic link to a file that does not exist', 'Point the link at the store, or give --store the store file itself.'),
  isFolder: (path: string) =>
    unusable(path, 'is a folder, not a store file', `Give --store the store file inside it (for example --store ${path.replace(/\/+$/, '')}/evidence.db).`),
  notAFile: (path: string, kind: string) => unusable(path, `is ${kind}, not a file (SQLite would block on it or read it forever)`),
  readOnly: (path: string) =>
    unusable(path, 'is read-only for this user', 'Make it writable (chmod u+w), compare without recording with --store-read-only, or use --no-store.'),
  parentNotFolder: (path: string) =>
    unusable(path, 'has a file where a folder should be (a part of the path above the store is not a folder)'),
  folderNotWritable: (path: string, dir: string) =>
    unusable(path, `is in a folder this user cannot write (${dir}); SQLite needs to create its -wal and -shm files beside the store`,
      'Make the folder writable, compare without recording with --store-read-only, or use --no-store.'),
  cannotCreateFolder: (path: string, detail: string) =>
    `Cannot create the folder of the evidence store "${path}" (${detail}); nothing was written. Give --store another path, or --no-store.`,
  empty: (path: string) =>
    `The evidence store "${path}" is an empty file (0 bytes): a store truncated to nothing, or a file made by hand. tlsproof does not write into it, ` +
    'so a truncated store is never silently replaced by a new one. Run "tlsproof store verify" on it, restore the store from a backup, ' +
    'or delete the empty file to start a new store there.',

  // ── What SQLite finds in the file ──
  notSqlite: (path: string) =>
    `"${path}" is not an evidence store: it is not an SQLite database at all (it may be damaged or another kind of file). ` +
    'Nothing was written to it. Give --store another path, or restore the store from a backup.',
  damaged: (path: string, code: string, detail: string) =>
    `The evidence store "${path}" is damaged (${code}: ${detail}). Nothing was written to it. ` + RESTORE_OR_NEW,
  quickCheckFailed: (path: string, problems: readonly string[]) =>
    `The evidence store "${path}" is damaged (SQLite: ${problems.join('; ')}). Nothing was written to it. ` + RESTORE_OR_NEW,
  busy: (path: string) =>
    `The evidence store "${path}" stayed locked by another tlsproof process; nothing was written. Try again when it has finished.`,
  notFound: (path: string) =>
    `No evidence store at "${path}". tlsproof report creates one (unless --no-store); give --store PATH if it is elsewhere.`,
  foreign: (path: string, applicationId: number) =>
    `"${path}" is an SQLite database, but not a tlsproof evidence store (application id ${applicationId}). It was not changed. Give --store another path.`,
  missingTables: (path: string, version: number, missing: readonly string[]) =>
    `The evidence store "${path}" lacks tables a tlsproof store of format ${version} has (${missing.join(', ')}): it was damaged or edited by hand. ` +
    'Nothing was written to it. Run "tlsproof store verify" on it, and restore it from a backup.',
  // ── What the chain check finds (chain.ts, verify.ts), for `altered` and store verify ──
  chainEndsEarly: (linkSeq: number | null, last: number | null) =>
    `the chain of runs ends at run ${linkSeq ?? '(none)'}, but the last run is ${last ?? '(none)'}`,
  runsDeleted: (counter: number, last: number | null) =>
    `SQLite handed out run numbers up to ${counter}, but the last run is ${last ?? '(none)'}: ${counter - (last ?? 0) === 1 ? `run ${counter} was` : `runs ${(last ?? 0) + 1}–${counter} were`} deleted`,
  headNoteDisagrees: (note: string | undefined, expected: string | undefined) =>
    `the store's note of the chain head (${note ?? 'none'}) is not its last link (${expected ?? 'none'})`,

  /** `problem` is what the chain check found (chainEndsEarly, runsDeleted, headNoteDisagrees). */
  altered: (path: string, problem: string) =>
    `The evidence store "${path}" was altered: ${problem}. Nothing was written to it. Run "tlsproof store verify --store ${path}" for details, and restore the store from a backup.`,
  newer: (path: string, version: number, latest: number, lastTool: string | null, toolVersion: string) =>
    `The evidence store "${path}" was written by a newer tlsproof${lastTool ? ` (${lastTool})` : ''}: it is in store format ${version}, ` +
    `and this tlsproof ${toolVersion} knows formats up to ${latest}. It was not changed. ` +
    'Upgrade tlsproof to use it, or give --store another path.',
  migrationFailed: (path: string, version: number, detail: string, current: number) =>
    `Upgrading the evidence store "${path}" to format ${version} failed (${detail}); ` +
    `it was left unchanged at format ${current}.`,

  // ── Runs ──
  runNotFound: (ref: string, path: string, lastSeq: number | undefined) =>
    `No run "${ref}" in "${path}". Give a run number (see tlsproof history), a uuid prefix of 6+ characters, or a report id.${
      lastSeq !== undefined ? ` Runs: 1–${lastSeq}.` : ' The store holds no runs yet.'}`,
  runAmbiguous: (ref: string, seqs: readonly number[]) =>
    `"${ref}" matches runs ${seqs.join(', ')} (the same report id regenerated). Give the run number instead.`,
  runSeqNotFound: (seq: number, path: string) => `No run ${seq} in "${path}".`,
  storedExceptionsMissing: (seq: number, file: string, sha256: string) =>
    `Run ${seq} applied the exceptions file "${file}" (SHA-256 ${sha256}), but the store holds no content with that hash, ` +
    'so the report cannot be rebuilt with the exceptions in force then. Run "tlsproof store verify" to check the store.',

  // ── Recording a run ──
  inputChanged: (file: string, whenRead: string, now: string) =>
    `Input "${file}" changed while tlsproof was reading it (SHA-256 ${whenRead.slice(0, 12)}… when read, ${now.slice(0, 12)}… now). The run was not recorded; run the report again.`,
  exceptionsChanged: (file: string, whenRead: string, now: string) =>
    `The exceptions file "${file}" changed while tlsproof was reading it (SHA-256 ${whenRead.slice(0, 12)}… when read, ${now.slice(0, 12)}… now). ` +
    'The run was not recorded; run the report again.',
} as const;
