/**
 * Damaged stores and store paths that are no store, through the compiled bin as a user runs it:
 * each is refused with exit 2, a message that names the file and says what to do, no report
 * written, and the store file byte for byte as it was. `store verify` never blocks on a FIFO.
 * Read-only files and folders are tried as an unprivileged user (setpriv to nobody), since root
 * writes through file modes. Every run is bounded by a kill timeout: a hang fails, it does not
 * stall the suite. Also: the chain head a report prints (JSON, PDF, HTML) is the one
 * `store verify --head` accepts, and a rewritten store fails it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from './support.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');
const INPUT = join(root, 'test/fixtures/history/real/smtp-good.csv');
const LIMIT_MS = 30_000;

interface Run { code: number | string; stdout: string; stderr: string }

function tlsproof(args: string[], opts: { asNobody?: boolean } = {}): Promise<Run> {
  const [cmd, argv] = opts.asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...args]]
    : [process.execPath, [bin, ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: root, timeout: LIMIT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : err.killed ? 'killed (hung)' : String(err.code)) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let n = 0;
/** A fresh, world-readable folder (so the unprivileged runs can reach it). */
function folder(mode = 0o755): string {
  const d = join(dir, `case-${++n}`);
  mkdirSync(d);
  chmodSync(d, mode);
  return d;
}

function report(store: string, out: string, opts: { asNobody?: boolean; formats?: string; observedAt?: string } = {}): Promise<Run> {
  return tlsproof(['report', INPUT, '--no-scan', '--format', opts.formats ?? 'json', '--out', out, '--store', store, '--org', 'Example Health',
    '--observed-at', opts.observedAt ?? '2026-12-10T00:00:00Z', '--generated-at', '2026-12-11T00:00:00Z', '--quiet'], opts);
}

/** Exit 2, the path and the words in the message, no report written, the file unchanged. */
async function expectRefused(store: string, words: RegExp, opts: { asNobody?: boolean } = {}): Promise<void> {
  const before = existsSync(store) && statSync(store).isFile() ? sha256File(store) : null;
  const out = folder(0o777);
  const r = await report(store, join(out, 'report'), opts);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(store);
  expect(r.stderr).toMatch(words);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(readdirSync(out)).toEqual([]);
  if (before !== null) expect(sha256File(store)).toBe(before);
}

/** A real store of two runs, made through the bin. */
async function realStore(): Promise<string> {
  const store = join(folder(), 'evidence.db');
  for (const at of ['2026-12-10T00:00:00Z', '2027-02-10T00:00:00Z']) {
    const r = await report(store, join(folder(), 'out'), { observedAt: at });
    expect(r.code, r.stderr).toBe(0);
  }
  return store;
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build`');
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-store-paths-'));
  chmodSync(dir, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a damaged store is never written to', () => {
  it('an empty file (a store truncated to zero bytes)', async () => {
    const store = join(folder(), 'evidence.db');
    writeFileSync(store, '');
    await expectRefused(store, /is an empty file \(0 bytes\).*tlsproof store verify/s);
    expect(statSync(store).size).toBe(0);
    const v = await tlsproof(['store', 'verify', '--store', store]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL {2}file +The file is empty \(0 bytes\)/);
  });

  it('a store corrupted in the middle', async () => {
    const store = await realStore();
    const size = statSync(store).size;
    const fd = openSync(store, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    await expectRefused(store, /is damaged .*Nothing was written to it.*tlsproof store verify/s);
    // Verifying it says so; reading it (history lists runs from undamaged pages) leaves nothing beside it either.
    expect((await tlsproof(['store', 'verify', '--store', store])).code).toBe(1);
    expect(readdirSync(join(store, '..'))).toEqual(['evidence.db']);
    await tlsproof(['history', '--store', store]);
    expect(readdirSync(join(store, '..'))).toEqual(['evidence.db']);
  }, 60_000);

  it('a store whose last run was deleted (what store verify calls altered)', async () => {
    const store = await realStore();
    const db = new Database(store);
    for (const t of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
    for (const t of ['findings', 'certificates', 'observations', 'run_inputs', 'problems', 'control_results', 'run_chain']) db.exec(`DELETE FROM ${t} WHERE run_seq = 2`);
    db.exec('DELETE FROM runs WHERE seq = 2');
    db.close();
    await expectRefused(store, /was altered: SQLite handed out run numbers up to 2, but the last run is 1: run 2 was deleted.*tlsproof store verify/s);
    const v = await tlsproof(['store', 'verify', '--store', store]);
    expect(v.code).toBe(1);
  }, 60_000);

  it('a tlsproof store missing its tables, and another application\'s database', async () => {
    const store = await realStore();
    const db = new Database(store);
    db.exec('DROP TABLE control_results');
    db.close();
    await expectRefused(store, /lacks tables a tlsproof store of format 2 has \(control_results\).*Nothing was written/s);
    const foreign = join(folder(), 'app.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    other.close();
    await expectRefused(foreign, /is an SQLite database, but not a tlsproof evidence store/);
  }, 60_000);
});

describe('a store path that is no store file', () => {
  it('a folder', async () => {
    const store = folder();
    await expectRefused(store, /is a folder, not a store file.*--store .*\/evidence\.db/s);
    expect((await tlsproof(['store', 'verify', '--store', store])).code).toBe(2);
  });

  it('a FIFO: refused at once, by report and by store verify', async () => {
    const store = join(folder(), 'evidence.db');
    execFileSync('mkfifo', [store]);
    await expectRefused(store, /is a FIFO \(named pipe\), not a file/);
    const v = await tlsproof(['store', 'verify', '--store', store]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/is a FIFO/);
  });

  it('a device', async () => {
    await expectRefused('/dev/null', /is a character device, not a file/);
    expect((await tlsproof(['store', 'verify', '--store', '/dev/null'])).code).toBe(2);
  });

  it('a symbolic link loop, and a link to nothing', async () => {
    const d = folder();
    symlinkSync(join(d, 'b.db'), join(d, 'a.db'));
    symlinkSync(join(d, 'a.db'), join(d, 'b.db'));
    await expectRefused(join(d, 'a.db'), /is a symbolic link that loops/);
    symlinkSync(join(d, 'gone.db'), join(d, 'dangling.db'));
    await expectRefused(join(d, 'dangling.db'), /is a symbolic link to a file that does not exist/);
    expect((await tlsproof(['store', 'verify', '--store', join(d, 'a.db')])).code).toBe(2);
  });
});

describe('a store this user cannot write', () => {
  it('a read-only store file', async () => {
    const store = await realStore();
    chmodSync(store, 0o644); // root's; nobody may read it, not write it
    await expectRefused(store, /is read-only for this user.*--store-read-only/s, { asNobody: true });
  }, 60_000);

  it('a store in a read-only folder, existing or not', async () => {
    const store = await realStore();
    chmodSync(store, 0o666); // the file is writable, its folder (root's, 0755) is not
    await expectRefused(store, /is in a folder this user cannot write/, { asNobody: true });
    await expectRefused(join(folder(), 'new.db'), /is in a folder this user cannot write/, { asNobody: true });
  }, 60_000);

  it('a path with nothing at it still gets a new store', async () => {
    const store = join(folder(), 'sub', 'evidence.db');
    const r = await report(store, join(folder(), 'out'));
    expect(r.code, r.stderr).toBe(0);
    expect((await tlsproof(['store', 'verify', '--store', store])).code).toBe(0);
    expect(readdirSync(join(store, '..'))).toEqual(['evidence.db']); // no leftovers of building it beside
  });
});

describe('the chain head a report prints', () => {
  it.skipIf(lacks('pdftotext'))('is in the JSON, PDF and HTML, and store verify --head checks it', async () => {
    const store = await realStore();
    const out = join(folder(), 'out');
    const r = await report(store, out, { formats: 'json,pdf,html', observedAt: '2027-05-10T00:00:00Z' });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(out);
    const model = JSON.parse(readFileSync(join(out, files.find((f) => f.endsWith('.json'))!), 'utf8')) as { evidence: { chainHead: { seq: number; sha256: string } } };
    const head = model.evidence.chainHead;
    expect(head.seq).toBe(2); // the newest run when the report was made; its own run is 3
    const printed = `${head.seq}:${head.sha256}`;
    const pdfText = execFileSync('pdftotext', ['-layout', join(out, files.find((f) => f.endsWith('.pdf'))!), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(pdfText).toContain(printed);
    expect(readFileSync(join(out, files.find((f) => f.endsWith('.html'))!), 'utf8')).toContain(printed);
    const ok = await tlsproof(['store', 'verify', '--store', store, '--head', printed]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/ok {4}expected-head +Run 2's chain hash is the one you hold/);
    // Rewritten: run 1's endpoint host, with every chain hash after it recomputed, is still caught by the held head.
    copyFileSync(store, `${store}.bak`);
    const db = new Database(store);
    for (const t of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${t}`);
    db.exec("UPDATE endpoints SET host = 'elsewhere.example.test'");
    db.close();
    const bad = await tlsproof(['store', 'verify', '--store', store, '--head', printed]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}expected-head/);
    const usage = await tlsproof(['store', 'verify', '--store', store, '--head', '2:abc']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--head "2:abc" is not SEQ:SHA256/);
  }, 120_000);
});

describe('a command that only reads the store leaves its folder as it found it', () => {
  it('history, history show, diff, store verify, store export, store regenerate, exceptions check and report --store-read-only', async () => {
    const store = await realStore();
    const folderOf = join(store, '..');
    const listing = () => readdirSync(folderOf).sort();
    const before = listing();
    expect(before).toEqual(['evidence.db']);
    const hash = sha256File(store);
    const exceptions = join(folder(), 'exceptions.yaml');
    writeFileSync(exceptions, [
      'schema: tlsproof-exceptions/v1', 'exceptions:', '  - id: EXC-1', '    match: { checks: [proto-tls10] }',
      '    justification: A partner relay needs it until its migration.', '    compensatingControl: none',
      '    approver: { name: A. Person, role: CISO }', '    approvedOn: "2026-11-01"', '    ticket: RISK-1', '    expires: "2027-06-30"', '',
    ].join('\n'));
    const commands: [string[], number[]][] = [
      [['history', '--store', store], [0]],
      [['history', 'show', '1', '--store', store], [0]],
      [['diff', '2027-Q1', '--store', store], [0]],
      [['store', 'verify', '--store', store], [0]],
      [['store', 'export', '--store', store], [0]],
      [['store', 'regenerate', '2', '--store', store, '--out', join(folder(), 'regenerated'), '--format', 'json'], [0]],
      [['exceptions', 'check', exceptions, '--store', store, '--report-date', '2027-03-01'], [0, 1]],
    ];
    for (const [args, codes] of commands) {
      const r = await tlsproof(args);
      expect(codes, `${args.join(' ')}: ${r.stderr}`).toContain(r.code);
      expect(listing(), args.join(' ')).toEqual(before);
    }
    const r = await tlsproof(['report', INPUT, '--no-scan', '--format', 'json', '--out', join(folder(), 'read-only'), '--store', store, '--store-read-only',
      '--org', 'Example Health', '--observed-at', '2027-05-10T00:00:00Z', '--generated-at', '2027-05-11T00:00:00Z', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(listing()).toEqual(before);
    expect(sha256File(store)).toBe(hash);
  }, 120_000);

  it('also when this user may not write the store file but may write its folder (read from a copy in memory)', async () => {
    const source = await realStore();
    const d = folder(0o777);
    const store = join(d, 'evidence.db');
    copyFileSync(source, store);
    chmodSync(store, 0o644); // root's: nobody reads it and could create files beside it, but not write it
    const hash = sha256File(store);
    for (const args of [['history', '--store', store], ['store', 'verify', '--store', store]]) {
      const r = await tlsproof(args, { asNobody: true });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(readdirSync(d), args.join(' ')).toEqual(['evidence.db']);
    }
    expect(sha256File(store)).toBe(hash);
  }, 120_000);
});
