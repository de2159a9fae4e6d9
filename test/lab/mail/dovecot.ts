/**
 * A real Dovecot (Debian's 2.3) for tests: one config file and base_dir per instance, run in the
 * foreground (`dovecot -c FILE -F`) so the test owns its PID, listening on one 127.0.0.x for IMAP
 * (143), IMAPS (993), POP3 (110) and POP3S (995).
 *
 * Profiles:
 * - `good`: `ssl = required`, TLS 1.2+, plaintext authentication disabled (LOGINDISABLED).
 * - `legacy`: `ssl = yes`, TLS 1.0+ at `@SECLEVEL=0`, plaintext LOGIN allowed before STARTTLS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { waitForPort } from './postfix.js';

export type DovecotProfile = 'good' | 'legacy';

export interface DovecotOptions {
  dir: string;
  ip: string;
  certFile: string;
  keyFile: string;
  /** A second certificate of the other key type (`ssl_alt_cert` / `ssl_alt_key`, e.g. ECDSA next to RSA). */
  altCert?: { certFile: string; keyFile: string };
  profile: DovecotProfile;
  dhParamFile?: string;
}

export interface DovecotInstance {
  readonly ip: string;
  readonly pid: number;
  log(): string;
  stop(): Promise<void>;
}

export async function startDovecot(opts: DovecotOptions): Promise<DovecotInstance> {
  if (!(net.isIPv4(opts.ip) && opts.ip.startsWith('127.'))) throw new Error(`Dovecot binds 127.0.0.0/8 only, not ${opts.ip}`);
  const run = path.join(opts.dir, 'run');
  const state = path.join(opts.dir, 'state');
  mkdirSync(run, { recursive: true });
  mkdirSync(state, { recursive: true });
  const legacy = opts.profile === 'legacy';
  const conf = [
    `base_dir = ${run}`,
    `state_dir = ${state}`,
    `listen = ${opts.ip}`,
    'protocols = imap pop3',
    `ssl = ${legacy ? 'yes' : 'required'}`,
    `ssl_cert = <${opts.certFile}`,
    `ssl_key = <${opts.keyFile}`,
    ...(opts.altCert ? [`ssl_alt_cert = <${opts.altCert.certFile}`, `ssl_alt_key = <${opts.altCert.keyFile}`] : []),
    `ssl_min_protocol = ${legacy ? 'TLSv1' : 'TLSv1.2'}`,
    ...(legacy ? ['ssl_cipher_list = ALL:!aNULL:!eNULL:@SECLEVEL=0', ...(opts.dhParamFile ? [`ssl_dh = <${opts.dhParamFile}`] : [])] : []),
    'ssl_prefer_server_ciphers = yes',
    `disable_plaintext_auth = ${legacy ? 'no' : 'yes'}`,
    `log_path = ${path.join(opts.dir, 'dovecot.log')}`,
    'default_login_user = dovenull',
    'default_internal_user = dovecot',
    'passdb {', '  driver = static', '  args = password=lab-password-never-used', '}',
    'userdb {', '  driver = static', `  args = uid=dovecot gid=dovecot home=${path.join(opts.dir, 'home')}`, '}',
    'service imap-login {', '  inet_listener imap {', '    port = 143', '  }', '  inet_listener imaps {', '    port = 993', '    ssl = yes', '  }', '}',
    'service pop3-login {', '  inet_listener pop3 {', '    port = 110', '  }', '  inet_listener pop3s {', '    port = 995', '    ssl = yes', '  }', '}',
    '',
  ].join('\n');
  const file = path.join(opts.dir, 'dovecot.conf');
  writeFileSync(file, conf);
  const child: ChildProcess = spawn('dovecot', ['-c', file, '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => out.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (const port of [143, 993, 110, 995]) await waitForPort(opts.ip, port);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`dovecot did not start: ${(err as Error).message}\n${out.join('')}`);
  }
  return {
    ip: opts.ip,
    pid: child.pid!,
    log: () => { try { return readFileSync(path.join(opts.dir, 'dovecot.log'), 'utf8'); } catch { return out.join(''); } },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}
