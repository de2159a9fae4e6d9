/**
 * A real Postfix (Debian's 3.7) for tests: one private instance per call, with its own config,
 * queue and data directories, listening only on explicit 127.0.0.x:port lines in master.cf
 * (`inet_interfaces = loopback-only`; a single 127.0.0.x is refused because only 127.0.0.1 is
 * configured on lo). Started with `postfix -c DIR start`, stopped with `postfix -c DIR stop`,
 * and the master killed by its PID if that fails. Logs go to DIR/maillog (no syslog here).
 *
 * Profiles:
 * - `good`: TLS 1.2+ only, Postfix's default cipher grades, submission (587) with
 *   `smtpd_tls_security_level = encrypt`, implicit TLS on 465.
 * - `legacy`: TLS 1.0+ at `@SECLEVEL=0`, static RSA and CBC suites, 1024-bit DH, and submission
 *   that does not enforce TLS.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export type PostfixProfile = 'good' | 'legacy';

export interface PostfixOptions {
  dir: string;
  ip: string;
  hostname: string;
  certFile: string;
  keyFile: string;
  /**
   * More certificates served side by side with the first, e.g. an ECDSA one next to RSA (Postfix
   * 3.4+ `smtpd_tls_chain_files` takes one key and chain per algorithm).
   */
  moreCerts?: readonly { certFile: string; keyFile: string }[];
  profile: PostfixProfile;
  /** Ports to open: 25 (smtp), 587 (submission STARTTLS), 465 (submissions). */
  ports: readonly (25 | 587 | 465)[];
  dhParamFile?: string;
}

export interface PostfixInstance {
  readonly ip: string;
  readonly dir: string;
  readonly pid: number;
  log(): string;
  stop(): Promise<void>;
}

const MASTER_CF_SERVICES = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

/** Runs the postfix command; with a pseudo-terminal its errors reach us (it logs to syslog otherwise). */
async function postfix(dir: string, action: 'start' | 'stop' | 'abort'): Promise<string> {
  try {
    const { stdout, stderr } = await execFileP('script', ['-qec', `postfix -c ${dir} ${action}`, '/dev/null'], { timeout: 30_000 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`postfix ${action} failed: ${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}

export async function startPostfix(opts: PostfixOptions): Promise<PostfixInstance> {
  if (!(net.isIPv4(opts.ip) && opts.ip.startsWith('127.'))) throw new Error(`Postfix binds 127.0.0.0/8 only, not ${opts.ip}`);
  if (/\s/.test(opts.dir)) throw new Error('the Postfix directory must not contain spaces');
  const cfg = path.join(opts.dir, 'cfg');
  const queue = path.join(opts.dir, 'queue');
  const data = path.join(opts.dir, 'data');
  for (const d of [cfg, queue, data]) mkdirSync(d, { recursive: true });
  // Postfix daemons run as the postfix user and must reach data_directory: open up the path to it
  // (mkdtemp makes 0700 folders). Keys stay root-only; the master reads them before dropping privileges.
  for (let d = opts.dir; d !== path.dirname(d) && d.startsWith(path.dirname(opts.dir)); d = path.dirname(d)) chmodSync(d, 0o755);
  chownSync(data, Number((await execFileP('id', ['-u', 'postfix'])).stdout.trim()), Number((await execFileP('id', ['-g', 'postfix'])).stdout.trim()));
  const legacy = opts.profile === 'legacy';
  const main = [
    'compatibility_level = 3.6',
    `queue_directory = ${queue}`,
    `data_directory = ${data}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    'inet_interfaces = loopback-only',
    'inet_protocols = ipv4',
    `myhostname = ${opts.hostname}`,
    'mydestination =',
    'alias_maps =',
    'alias_database =',
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    'mynetworks =',
    `maillog_file = ${path.join(opts.dir, 'maillog')}`,
    `maillog_file_prefixes = ${opts.dir}`,
    `smtpd_tls_chain_files = ${[opts, ...(opts.moreCerts ?? [])].map((c) => `${c.keyFile}, ${c.certFile}`).join(', ')}`,
    'smtpd_tls_security_level = may',
    'smtpd_tls_auth_only = yes',
    ...(legacy
      ? [
        'smtpd_tls_protocols = >=TLSv1',
        'smtpd_tls_mandatory_protocols = >=TLSv1',
        'smtpd_tls_ciphers = medium',
        'smtpd_tls_mandatory_ciphers = medium',
        'tls_medium_cipherlist = ALL:!aNULL:!eNULL:@SECLEVEL=0',
        ...(opts.dhParamFile ? [`smtpd_tls_dh1024_param_file = ${opts.dhParamFile}`] : []),
      ]
      : ['smtpd_tls_protocols = >=TLSv1.2', 'smtpd_tls_mandatory_protocols = >=TLSv1.2', 'tls_preempt_cipherlist = yes']),
    '',
  ].join('\n');
  writeFileSync(path.join(cfg, 'main.cf'), main);
  const lines: string[] = [];
  for (const port of opts.ports) {
    const svc = `${opts.ip}:${port} inet n - n - - smtpd`;
    if (port === 25) lines.push(svc);
    if (port === 587) lines.push(legacy ? svc : `${svc}\n  -o smtpd_tls_security_level=encrypt`);
    if (port === 465) lines.push(`${svc}\n  -o smtpd_tls_wrappermode=yes`);
  }
  writeFileSync(path.join(cfg, 'master.cf'), `${lines.join('\n')}\n${MASTER_CF_SERVICES}`);
  try {
    await postfix(cfg, 'start');
  } catch (err) {
    let log = '';
    try { log = readFileSync(path.join(opts.dir, 'maillog'), 'utf8').slice(-2000); } catch { /* no log yet */ }
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  const pidFile = path.join(queue, 'pid', 'master.pid');
  for (let i = 0; i < 50 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  // Wait until every listener answers.
  for (const port of opts.ports) await waitForPort(opts.ip, port);
  return {
    ip: opts.ip, dir: opts.dir, pid,
    log: () => { try { return readFileSync(path.join(opts.dir, 'maillog'), 'utf8'); } catch { return ''; } },
    stop: async () => {
      await postfix(cfg, 'stop').catch(() => undefined);
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitForPort(ip: string, port: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: ip, port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`${ip}:${port} did not start listening within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
