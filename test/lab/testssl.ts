/**
 * Runs testssl.sh (3.0.8, command `testssl`) against lab endpoints on loopback and reads its CSV.
 * One endpoint per run, or a mass scan (`--file` + `--mode serial|parallel`) into one CSV.
 *
 * testssl's exit code is a sum of check results, not an error code, so a run "fails" only when it
 * cannot be started, times out, or leaves no CSV rows beyond its own warnings. DNS is never
 * used (`--nodns none --ip`), so host names may be invented `.example.test` names.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';

const execFileP = promisify(execFile);

/** The command to run; Debian's `testssl.sh` package installs it as `testssl`. */
export const TESTSSL_COMMAND = process.env['TESTSSL_BIN'] ?? 'testssl';

export const TESTSSL_INSTALL_HINT =
  'testssl.sh is not installed (command `testssl` not found). Install it with: apt-get install -y testssl.sh';

export type StartTlsProtocol = 'smtp' | 'imap' | 'pop3';

export interface TestsslTarget {
  ip: string;
  host: string;
  port: number;
  /** STARTTLS dialect; omit for implicit TLS (465/993/995). */
  starttls?: StartTlsProtocol;
}

export interface TestsslCommonOptions {
  /** Extra trust anchor (the lab CA) so chain checks can pass. */
  caFile?: string;
  /** Adds the `"hint"` column. */
  hints?: boolean;
  /**
   * Check selection, e.g. `['-p', '-S']`. Empty or omitted means testssl's default run
   * (everything except `-E` and `-g`).
   */
  sections?: readonly string[];
  extraArgs?: readonly string[];
  /** Network namespace to run in (`nsenter --net=…`), for servers started isolated. */
  netns?: string;
  /** Kill the whole run after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Where to keep testssl's terminal output. */
  logFile?: string;
  /** Also write testssl's pretty JSON here (`--jsonfile-pretty`: it records the scan's start time). */
  jsonFile?: string;
  /**
   * Run testssl with its clock shifted by this many seconds (libfaketime's `faketime`, relative
   * offset, so the clock keeps running): the scan then happens, and is dated, at another time,
   * and certificate validity is judged against that time, as a scan on that day would.
   */
  clockOffsetSeconds?: number;
}

export interface RunTestsslOptions extends TestsslTarget, TestsslCommonOptions {
  csvFile: string;
}

export interface TestsslRun {
  command: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  startedAt: string;
  output: string;
  csvFile: string;
  /** Mass scans: the `--file` lines (the file itself is deleted after the run) and its path. */
  massTargets?: { file: string; lines: string[] };
}

/** One CSV record as testssl writes it; `hint` only with `--hints`. */
export interface TestsslRow {
  id: string;
  fqdnIp: string;
  port: string;
  severity: string;
  finding: string;
  cve: string;
  cwe: string;
  hint?: string;
}

/** Version string such as `3.0.8`, or undefined when testssl is not installed. */
export async function testsslVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileP(TESTSSL_COMMAND, ['--version', '--color', '0'], { timeout: 30_000 });
    return /testssl(?:\.sh)?\s+(\d+\.\d+[^\s]*)/.exec(stdout)?.[1] ?? 'unknown';
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string };
    // `--version` exits non-zero in some builds but still prints the banner.
    if (e.code !== 'ENOENT' && e.stdout) return /testssl(?:\.sh)?\s+(\d+\.\d+[^\s]*)/.exec(e.stdout)?.[1];
    return undefined;
  }
}

/** Throws with install instructions when testssl is missing. */
export async function assertTestsslInstalled(): Promise<string> {
  const v = await testsslVersion();
  if (!v) throw new Error(TESTSSL_INSTALL_HINT);
  return v;
}

/** Per-target arguments; the URI must be testssl's last argument. */
export function testsslTargetArgs(t: TestsslTarget): string[] {
  return [
    '--nodns', 'none', '--ip', t.ip,
    ...(t.starttls ? ['-t', t.starttls] : []),
    `${t.host}:${t.port}`,
  ];
}

function commonArgs(o: TestsslCommonOptions, csvFile: string): string[] {
  return [
    '--quiet', '--color', '0', '--warnings', 'batch',
    // Safety nets against a hung handshake; they do not change any finding.
    '--connect-timeout', '10', '--openssl-timeout', '10',
    ...(o.caFile ? ['--add-ca', o.caFile] : []),
    ...(o.hints ? ['--hints'] : []),
    '--csvfile', csvFile,
    ...(o.jsonFile ? ['--jsonfile-pretty', o.jsonFile] : []),
    ...(o.sections ?? []),
    ...(o.extraArgs ?? []),
  ];
}

let shims: Promise<string> | undefined;

/**
 * A folder of wrappers that run the DNS tools testssl probes for at start-up (`dig -h` …) on the
 * real clock: under libfaketime, dig deadlocks in its own clock calls. Nothing is resolved in the
 * lab (--nodns none), so their time does not matter.
 */
function realClockShims(): Promise<string> {
  shims ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-clock-shims-'));
    for (const tool of ['dig', 'host', 'drill', 'nslookup']) {
      const real = ['/usr/bin', '/bin', '/usr/sbin'].map((d) => path.join(d, tool)).find((f) => existsSync(f));
      if (!real) continue;
      await writeFile(path.join(dir, tool), `#!/bin/sh\nunset LD_PRELOAD FAKETIME\nexec ${real} "$@"\n`, { mode: 0o755 });
    }
    return dir;
  })();
  return shims;
}

/** Process groups of runs in flight, so a caller being stopped can end them (see below). */
const activeGroups = new Set<number>();

/** Ends every testssl run this process started that is still going (each with its children). */
export function stopActiveTestsslRuns(): void {
  for (const pgid of activeGroups) {
    try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
  }
  activeGroups.clear();
}

async function execTestssl(
  args: string[], o: TestsslCommonOptions, csvFile: string, env: NodeJS.ProcessEnv = {},
): Promise<TestsslRun> {
  // testssl refuses to overwrite a non-empty CSV ("use --append"), so each run starts clean.
  await rm(csvFile, { force: true });
  if (o.jsonFile) await rm(o.jsonFile, { force: true });
  const clock = o.clockOffsetSeconds === undefined
    ? []
    : ['faketime', '-f', `${o.clockOffsetSeconds < 0 ? '-' : '+'}${Math.abs(Math.round(o.clockOffsetSeconds))}`];
  const testssl = [...clock, TESTSSL_COMMAND, ...args];
  const clockEnv = clock.length > 0 ? { PATH: `${await realClockShims()}${path.delimiter}${process.env['PATH'] ?? ''}` } : {};
  const [cmd, argv] = o.netns
    ? ['nsenter', [`--net=${o.netns}`, '--', ...testssl]]
    : [testssl[0]!, testssl.slice(1)];
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const timeoutMs = o.timeoutMs ?? 600_000;
  const chunks: Buffer[] = [];
  let size = 0;

  const result = await new Promise<Pick<TestsslRun, 'exitCode' | 'signal' | 'timedOut'>>((resolve, reject) => {
    // Own process group, so a timeout can end testssl together with its openssl children.
    const child = spawn(cmd, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, COLUMNS: '120', TERM: 'dumb', ...clockEnv, ...env },
    });
    if (child.pid) activeGroups.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { if (child.pid) process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }, timeoutMs);
    const collect = (b: Buffer): void => {
      if (size < 4 * 1024 * 1024) { chunks.push(b); size += b.length; }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT'
        ? new Error(o.netns ? `${err.message} (nsenter)` : clock.length ? `${err.message}: install faketime (apt-get install faketime)` : TESTSSL_INSTALL_HINT)
        : err);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (child.pid) activeGroups.delete(child.pid);
      resolve({ exitCode, signal, timedOut });
    });
  });

  const output = Buffer.concat(chunks).toString('utf8');
  if (o.logFile) await writeFile(o.logFile, output);
  return { command: [cmd, ...argv], ...result, durationMs: Date.now() - started, startedAt, output, csvFile };
}

/** Scans one endpoint into `csvFile` (replaced if present). */
export async function runTestssl(opts: RunTestsslOptions): Promise<TestsslRun> {
  return execTestssl([...commonArgs(opts, opts.csvFile), ...testsslTargetArgs(opts)], opts, opts.csvFile);
}

export interface MassTestsslOptions extends TestsslCommonOptions {
  targets: readonly TestsslTarget[];
  csvFile: string;
  mode?: 'serial' | 'parallel';
  /** testssl's MAX_PARALLEL for `--mode parallel` (its default is 20). */
  maxParallel?: number;
}

/**
 * Mass scan: one `--file` with a command line per target, and a single `--csvfile` for all.
 * testssl writes the header once; in parallel mode each child writes a temp CSV that the parent
 * appends when the child ends, so rows are grouped per target in target order.
 */
export async function runTestsslMass(opts: MassTestsslOptions): Promise<TestsslRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-mass-'));
  try {
    const cmdFile = path.join(dir, 'targets.txt');
    // testssl splits each line on whitespace; lab names and addresses contain none.
    const lines = opts.targets.map((t) => testsslTargetArgs(t).join(' '));
    await writeFile(cmdFile, `# tlsproof lab mass scan\n${lines.join('\n')}\n`);
    const args = [
      ...commonArgs(opts, opts.csvFile),
      '--mode', opts.mode ?? 'parallel',
      '--file', cmdFile,
    ];
    const env = opts.maxParallel ? { MAX_PARALLEL: String(opts.maxParallel) } : {};
    const run = await execTestssl(args, opts, opts.csvFile, env);
    return { ...run, massTargets: { file: cmdFile, lines } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads a testssl CSV (header row included in the file, dropped from the result). */
export async function readTestsslCsv(file: string): Promise<TestsslRow[]> {
  const text = await readFile(file, 'utf8');
  const records = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  return records
    .filter((r) => r[0] !== 'id')
    .map((r) => ({
      id: r[0] ?? '', fqdnIp: r[1] ?? '', port: r[2] ?? '', severity: r[3] ?? '',
      finding: r[4] ?? '', cve: r[5] ?? '', cwe: r[6] ?? '',
      ...(r.length > 7 ? { hint: r[7] ?? '' } : {}),
    }));
}

/** First row with this id (ids are unique per certificate only with their `<cert#n>` suffix). */
export function rowById(rows: readonly TestsslRow[], id: string): TestsslRow | undefined {
  return rows.find((r) => r.id === id);
}

/**
 * Whether a CSV is worth keeping: testssl reached the TLS layer. A run that could not connect
 * leaves only `scanProblem`/`optimal_proto`-style rows and no protocol verdicts.
 */
export function csvLooksComplete(rows: readonly TestsslRow[]): { ok: boolean; reason: string } {
  const fatal = rows.find((r) => r.severity === 'FATAL' || r.id === 'scanProblem');
  if (fatal) return { ok: false, reason: `${fatal.id}: ${fatal.finding}` };
  const proto = rows.filter((r) => /^(SSLv[23]|TLS1(_[123])?)$/.test(r.id));
  if (proto.length === 0) return { ok: false, reason: 'no protocol rows' };
  return { ok: true, reason: `${rows.length} rows` };
}
