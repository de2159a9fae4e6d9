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

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
const short = (sha: string): string => `${sha.slice(0, 12)}…`;

/**
 * What `tlsproof store verify` says of each check: one sentence when it holds, one per problem
 * when it does not (the problems of a check are joined with `list` or `first`).
 */
export const VERIFY = {
  /** What these checks cannot detect, printed with every result. */
  limits: [
    'Detected: any change to a stored row (a run, its inputs, endpoints, observations, findings, certificates, problems, control results, ' +
      'signatures), a run inserted or deleted before the last one, and a deleted last run while SQLite\'s run counter (sqlite_sequence) still counts it, ' +
      'or while the store\'s own note of the head (store_meta chain_head) names it, or while endpoints or inputs only it referred to remain.',
    'Not detected from the file alone: someone who edits or deletes runs and then recomputes every later hash, the counter and the head note. ' +
      'Only a copy of the chain head kept elsewhere catches that: every report prints the head it was made from; check it with --head SEQ:SHA256 ' +
      '(a signed report keeps that copy tamper-evident).',
    'Signatures: the signed PDFs are not in the store; their SHA-256 is. Check a PDF with "tlsproof verify FILE.pdf" and compare its SHA-256 with the stored one.',
  ] as readonly string[],
  /** The first ten problems of a check. */
  list: (problems: readonly string[]) => problems.slice(0, 10).join('; '),
  /** The first `n` problems of a check, and how many more there are. */
  first: (problems: readonly string[], n = 10) =>
    `${problems.slice(0, n).join('; ')}${problems.length > n ? ` … and ${problems.length - n} more` : ''}`,

  // ── file ──
  noFile: (path: string) => `No file at "${path}".`,
  emptyFile: () => 'The file is empty (0 bytes): a store truncated to nothing. Restore it from a backup.',
  notSqlite: () => 'Not an SQLite database: the file does not start with the SQLite header (damaged, truncated, or another kind of file).',
  cannotOpen: (detail: string) => `Cannot open: ${detail}`,
  isSqlite: () => 'SQLite database.',

  // ── integrity, application-id, format ──
  integrityOk: () => 'PRAGMA integrity_check: ok.',
  integrityBad: (bad: readonly string[]) => `PRAGMA integrity_check: ${bad.slice(0, 5).join('; ')}${bad.length > 5 ? ` … ${bad.length - 5} more` : ''}`,
  damaged: (detail: string) => `The database is damaged: ${detail}`,
  isTlsproofStore: () => 'tlsproof evidence store.',
  notTlsproofStore: (appId: number) => `Application id ${appId}: not a tlsproof evidence store.`,
  formatGaps: (format: number, versions: readonly number[]) => `schema_version is not 1..${format} without gaps: ${versions.join(', ')}.`,
  formatNewer: (format: number, known: number) =>
    `Store format ${format} was written by a newer tlsproof (this one knows up to ${known}); not examined further, and not changed.`,
  formatOlder: (format: number, current: number) =>
    `Store format ${format} (older; the next tlsproof run that writes upgrades it to ${current}). Only SQLite's checks apply to it.`,
  formatOk: (format: number) => `Store format ${format}.`,
  formatUnreadable: (detail: string) => `Cannot read the store's format: ${detail}`,

  // ── foreign-keys, append-only ──
  foreignKeysOk: () => 'Every row refers to existing runs, endpoints and inputs.',
  foreignKeysBad: (rows: number) => `${plural(rows, 'row')} refer to missing rows.`,
  triggersOk: () => 'Runs cannot be changed or deleted (triggers in place).',
  triggersMissing: (missing: readonly string[]) => `Missing append-only triggers: ${missing.join(', ')}.`,

  // ── run-counts, run-content ──
  countDiffers: (seq: number, what: string, recorded: number, found: number) => `run ${seq}: ${what} recorded ${recorded}, stored ${found}`,
  countsOk: (runs: number) => `${plural(runs, 'run')}: row counts match.`,
  contentDiffers: (seq: number, hash: string, recorded: string) =>
    `run ${seq}: rows differ from what was recorded (content hash ${short(hash)}, recorded ${short(recorded)})`,
  runUnreadable: (seq: number, detail: string) => `run ${seq}: unreadable (${detail})`,
  contentOk: (runs: number) => `${plural(runs, 'run')}: content hashes match.`,

  // ── inputs ──
  inputHashDiffers: (sha: string, actual: string) => `input ${short(sha)}: content hashes to ${short(actual)}`,
  inputSizeDiffers: (sha: string, bytes: number, recorded: number) => `input ${short(sha)}: ${bytes} bytes, recorded ${recorded}`,
  inputUndecompressable: (sha: string, detail: string) => `input ${short(sha)}: cannot decompress (${detail})`,
  inputMissing: (seq: number, file: string) => `run ${seq} ${file}: stored input missing`,
  inputSizeMismatch: (seq: number, file: string, recorded: number, stored: number) => `run ${seq} ${file}: ${recorded} bytes recorded, ${stored} stored`,
  exceptionsMissing: (seq: number, file: string) => `run ${seq} exceptions file ${file}: stored content missing`,
  inputsOk: (blobs: number) => `${plural(blobs, 'stored input')}: SHA-256 and size match.`,

  // ── chain ──
  /** Runs `expected` up to `seq` - 1 are absent before run `seq`. */
  runsMissing: (expected: number, seq: number) => seq === expected + 1 ? `run ${expected} is missing` : `runs ${expected}–${seq - 1} are missing`,
  noLink: (seq: number) => `run ${seq} has no link in the chain`,
  doesNotFollow: (seq: number) => `run ${seq} does not follow the run before it (a run before it was removed, inserted or re-hashed)`,
  chainHashDiffers: (seq: number, recorded: string, now: string | null | undefined) =>
    `run ${seq}: its rows no longer give its chain hash (recorded ${recorded.slice(0, 12)}…, now ${now?.slice(0, 12)}…)`,
  strayLink: (seq: number) => `a link for run ${seq}, which is not in the store`,
  chainOk: (runs: number) => `${plural(runs, 'run')} chained: every link holds.`,

  // ── chain-head ──
  /** `note` is the store's note as stored, "SEQ SHA256". */
  headNoteSays: (note: string | undefined, last: number | null) =>
    `the store's note of the chain head says ${note === undefined ? 'nothing' : `run ${note.split(' ')[0]} (${note.split(' ')[1]?.slice(0, 12)}…)`}, the last run is ${last ?? '(none)'}`,
  noRuns: () => 'No runs yet.',
  head: (seq: number, sha256: string | undefined) => `Head: run ${seq}, ${sha256}.`,

  // ── expected-head (a copy of the head held outside the store) ──
  heldRunGone: (seq: number) => `Run ${seq}, whose hash you hold, is not in the store: it or runs before it were deleted.`,
  heldDiffers: (seq: number, stored: string, held: string) =>
    `Run ${seq}'s chain hash is ${stored.slice(0, 16)}…, not the ${held.slice(0, 16)}… you hold: the store was rewritten up to that run.`,
  heldOk: (seq: number) => `Run ${seq}'s chain hash is the one you hold: runs 1–${seq} are as they were when it was printed.`,
  heldChainBroken: (seq: number) => `Run ${seq}'s stored hash is the one you hold, but the chain up to it no longer holds (see chain).`,

  // ── unreferenced ──
  orphanEndpoints: (keys: readonly string[]) =>
    `${plural(keys.length, 'endpoint')} no run refers to (${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''})`,
  orphanInputs: (shas: readonly string[]) => `${plural(shas.length, 'stored input')} no run refers to (${shas.slice(0, 3).map(short).join(', ')})`,
  referencedOk: () => 'Every endpoint and stored input belongs to a run.',
  leftBehind: (orphans: readonly string[]) => `${orphans.join('; ')}: left behind by a deleted run.`,

  // ── signatures ──
  signatureUnreadable: (seq: number, file: string, detail: string) => `run ${seq} ${file}: ${detail}`,
  noSignatures: () => 'No signed reports recorded.',
  signaturesOk: (n: number) =>
    `${plural(n, 'signed report')}: each stored signature verifies with its signer's key, and the signer certificate and time-stamp are the recorded ones (the PDFs themselves are not stored).`,
} as const;
