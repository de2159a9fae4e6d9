/**
 * Lab mail servers for scanning on loopback: just enough SMTP, IMAP and POP3 for a TLS scanner
 * (banner, capabilities, STARTTLS/STLS, QUIT/LOGOUT), over STARTTLS, implicit TLS or plaintext,
 * with a chosen TLS profile. Also a `gnutls-serv` wrapper for 3DES/RC4 suites that OpenSSL 3 on
 * this machine cannot serve.
 *
 * A scanner such as testssl.sh opens hundreds of connections and drops most of them mid-handshake,
 * so every socket has an error handler and an idle timeout, and nothing here may throw out of an
 * event handler. Servers bind only 127.0.0.0/8 addresses.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

export type MailProtocol = 'smtp' | 'imap' | 'pop3';
export type LabTransport = 'starttls' | 'implicit' | 'none';
/**
 * - `modern`: TLS 1.2 + 1.3, ECDHE with AEAD only (Mozilla "intermediate" suites), server cipher
 *   order, no client-initiated renegotiation.
 * - `legacy`: TLS 1.0–1.3 with OpenSSL's DEFAULT list at security level 0: static-RSA (no forward
 *   secrecy), CBC and SHA-1 MAC suites, DHE with the given (1024-bit) group; client order and
 *   client-initiated renegotiation allowed, as old servers did.
 * - `weak-cert`: like modern but at security level 0, so OpenSSL accepts a 1024-bit or SHA-1
 *   certificate on the server side at all; the certificate is then the only defect.
 */
export type TlsProfile = 'modern' | 'legacy' | 'weak-cert';

export interface LabCertPair {
  certFile: string;
  keyFile: string;
}

export interface LabServerOptions {
  protocol: MailProtocol;
  transport: LabTransport;
  /** 127.x.y.z; other addresses are refused so a lab never listens on a real network. */
  ip: string;
  port: number;
  /** Name the server gives in banners. */
  host: string;
  /** One or more certificates (e.g. RSA + ECDSA); required unless transport is `none`. */
  certs?: readonly LabCertPair[];
  profile?: TlsProfile;
  /** PEM DH parameters file for DHE suites (legacy profile); OpenSSL's built-in groups otherwise. */
  dhParamFile?: string;
  /** Overrides applied on top of the profile. */
  tlsOverrides?: tls.SecureContextOptions;
  /**
   * OCSP stapling: called with the DER of the certificate being served when a client sends a
   * status request; the DER OCSP response it returns is stapled (nothing is stapled for undefined).
   */
  ocspStaple?: (certificate: Buffer) => Buffer | undefined;
  /** Close a connection after this long without traffic (default 20 s). */
  idleTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface LabServerStats {
  connections: number;
  tlsHandshakes: number;
  tlsErrors: number;
  socketErrors: number;
}

export interface LabServer {
  host: string;
  ip: string;
  port: number;
  protocol: MailProtocol;
  transport: LabTransport;
  stats: LabServerStats;
  stop(): Promise<void>;
}

/** ECDHE + AEAD for TLS 1.2; TLS 1.3 suites are configured separately by OpenSSL. */
const MODERN_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** The TLS options a profile stands for (exported so fixtures can record what was configured). */
export function tlsProfileOptions(profile: TlsProfile): tls.SecureContextOptions {
  switch (profile) {
    case 'modern':
      return { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: MODERN_CIPHERS, honorCipherOrder: true };
    case 'weak-cert':
      return {
        minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: `${MODERN_CIPHERS}:@SECLEVEL=0`, honorCipherOrder: true,
      };
    case 'legacy':
      // TLS 1.0/1.1 need SECLEVEL=0 in OpenSSL 3 (SHA-1 signatures in the handshake).
      return { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' };
  }
}

function assertLoopback(ip: string): void {
  if (net.isIPv4(ip) && ip.startsWith('127.')) return;
  throw new Error(`lab servers bind 127.0.0.0/8 only, not ${ip}`);
}

function contextOptions(opts: LabServerOptions): tls.SecureContextOptions {
  if (!opts.certs || opts.certs.length === 0) throw new Error(`${opts.host}:${opts.port}: TLS needs a certificate`);
  const base = tlsProfileOptions(opts.profile ?? 'modern');
  return {
    ...base,
    cert: opts.certs.map((c) => readFileSync(c.certFile)),
    key: opts.certs.map((c) => readFileSync(c.keyFile)),
    ...(opts.dhParamFile ? { dhparam: readFileSync(opts.dhParamFile) } : {}),
    ...opts.tlsOverrides,
  };
}

/** What a protocol session may do with its connection. */
interface SessionIo {
  send(text: string): void;
  /** Flush and close. */
  end(text?: string): void;
  /** Reply `text`, then hand the raw connection to TLS; only valid before TLS. */
  startTls(text: string): void;
  readonly secure: boolean;
  readonly startTlsAvailable: boolean;
}

type LineHandler = (line: string, io: SessionIo) => void;

interface Protocol {
  greeting(host: string, io: SessionIo): string;
  handler(host: string): LineHandler;
}

function smtpProtocol(): Protocol {
  return {
    greeting: (host) => `220 ${host} ESMTP tlsproof-lab\r\n`,
    handler(host) {
      let mailFrom = false;
      let rcpt = false;
      return (line, io) => {
        const verb = (line.split(' ', 1)[0] ?? '').toUpperCase();
        switch (verb) {
          case 'EHLO': {
            const caps = ['PIPELINING', 'SIZE 10240000', '8BITMIME', 'ENHANCEDSTATUSCODES'];
            if (io.startTlsAvailable && !io.secure) caps.push('STARTTLS');
            if (io.secure) caps.push('AUTH PLAIN LOGIN');
            caps.push('SMTPUTF8');
            const lines = [`${host} greets ${line.slice(5).trim() || 'client'}`, ...caps];
            io.send(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
            mailFrom = false; rcpt = false;
            return;
          }
          case 'HELO':
            io.send(`250 ${host}\r\n`);
            return;
          case 'STARTTLS':
            if (io.secure) io.send('503 5.5.1 Error: TLS already active\r\n');
            else if (!io.startTlsAvailable) io.send('502 5.5.1 Error: command not implemented\r\n');
            else { mailFrom = false; rcpt = false; io.startTls('220 2.0.0 Ready to start TLS\r\n'); }
            return;
          case 'MAIL':
            mailFrom = true; rcpt = false;
            io.send('250 2.1.0 Ok\r\n');
            return;
          case 'RCPT':
            if (!mailFrom) { io.send('503 5.5.1 Error: need MAIL command\r\n'); return; }
            rcpt = true;
            io.send('250 2.1.5 Ok\r\n');
            return;
          case 'DATA':
            io.send(rcpt ? '554 5.7.1 Lab server accepts no mail\r\n' : '554 5.5.1 Error: no valid recipients\r\n');
            return;
          case 'RSET':
            mailFrom = false; rcpt = false;
            io.send('250 2.0.0 Ok\r\n');
            return;
          case 'NOOP':
            io.send('250 2.0.0 Ok\r\n');
            return;
          case 'VRFY':
            io.send('252 2.0.0 Cannot VRFY user\r\n');
            return;
          case 'QUIT':
            io.end('221 2.0.0 Bye\r\n');
            return;
          default:
            io.send('502 5.5.2 Error: command not recognized\r\n');
        }
      };
    },
  };
}

function imapProtocol(): Protocol {
  const caps = (io: SessionIo): string => [
    'IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID', 'IDLE',
    ...(io.startTlsAvailable && !io.secure ? ['STARTTLS', 'LOGINDISABLED'] : ['AUTH=PLAIN']),
  ].join(' ');
  return {
    greeting: (host, io) => `* OK [CAPABILITY ${caps(io)}] ${host} tlsproof-lab IMAP ready\r\n`,
    handler() {
      return (line, io) => {
        const m = /^(\S+)\s+(\S+)/.exec(line);
        if (!m) { io.send('* BAD Error in IMAP command received by server\r\n'); return; }
        const tag = m[1] ?? '*';
        const cmd = (m[2] ?? '').toUpperCase();
        switch (cmd) {
          case 'CAPABILITY':
            io.send(`* CAPABILITY ${caps(io)}\r\n${tag} OK Capability completed\r\n`);
            return;
          case 'NOOP':
            io.send(`${tag} OK NOOP completed\r\n`);
            return;
          case 'STARTTLS':
            if (io.secure) io.send(`${tag} BAD TLS is already active\r\n`);
            else if (!io.startTlsAvailable) io.send(`${tag} BAD Unknown command\r\n`);
            else io.startTls(`${tag} OK Begin TLS negotiation now\r\n`);
            return;
          case 'LOGIN':
          case 'AUTHENTICATE':
            io.send(io.secure
              ? `${tag} NO [AUTHENTICATIONFAILED] Lab server has no users\r\n`
              : `${tag} NO [PRIVACYREQUIRED] Use STARTTLS first\r\n`);
            return;
          case 'LOGOUT':
            io.end(`* BYE Logging out\r\n${tag} OK Logout completed\r\n`);
            return;
          default:
            io.send(`${tag} BAD Unknown command\r\n`);
        }
      };
    },
  };
}

function pop3Protocol(): Protocol {
  return {
    greeting: (host) => `+OK ${host} tlsproof-lab POP3 ready\r\n`,
    handler() {
      return (line, io) => {
        const verb = (line.split(' ', 1)[0] ?? '').toUpperCase();
        switch (verb) {
          case 'CAPA': {
            const caps = ['TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE',
              ...(io.startTlsAvailable && !io.secure ? ['STLS'] : ['USER', 'SASL PLAIN'])];
            io.send(`+OK Capability list follows\r\n${caps.join('\r\n')}\r\n.\r\n`);
            return;
          }
          case 'STLS':
            if (io.secure) io.send('-ERR TLS already active\r\n');
            else if (!io.startTlsAvailable) io.send('-ERR Unknown command\r\n');
            else io.startTls('+OK Begin TLS negotiation now\r\n');
            return;
          case 'NOOP':
          case 'RSET':
            io.send('+OK\r\n');
            return;
          case 'USER':
          case 'PASS':
          case 'AUTH':
            io.send(io.secure ? '-ERR [AUTH] Lab server has no users\r\n' : '-ERR [AUTH] Use STLS first\r\n');
            return;
          case 'QUIT':
            io.end('+OK Bye\r\n');
            return;
          default:
            io.send('-ERR Unknown command\r\n');
        }
      };
    },
  };
}

const PROTOCOLS: Record<MailProtocol, () => Protocol> = {
  smtp: smtpProtocol, imap: imapProtocol, pop3: pop3Protocol,
};

/** Longest command line we buffer; a client that sends more is dropped. */
const MAX_LINE = 8192;

/**
 * Starts one lab mail server. Resolves once it listens; `stop()` closes the listener and destroys
 * every open connection (a scanner may leave many half-open).
 */
export async function startLabServer(opts: LabServerOptions): Promise<LabServer> {
  assertLoopback(opts.ip);
  const log = opts.log ?? (() => undefined);
  const idleMs = opts.idleTimeoutMs ?? 20_000;
  const protocol = PROTOCOLS[opts.protocol]();
  const ctxOptions = opts.transport === 'none' ? undefined : contextOptions(opts);
  // Node answers a client's renegotiation request (testssl: secure_client_renego VULNERABLE);
  // a well-run server refuses it, so only the legacy profile keeps it.
  const refuseRenegotiation = (opts.profile ?? 'modern') !== 'legacy';
  const stats: LabServerStats = { connections: 0, tlsHandshakes: 0, tlsErrors: 0, socketErrors: 0 };
  const open = new Set<net.Socket>();

  const track = (s: net.Socket): void => {
    open.add(s);
    s.once('close', () => open.delete(s));
  };
  const guard = (s: net.Socket, what: string): void => {
    s.on('error', (err: NodeJS.ErrnoException) => {
      // Resets and aborted handshakes are the normal life of a scanned port.
      if (what === 'tls') stats.tlsErrors += 1; else stats.socketErrors += 1;
      // Handshake refusals, bad records and refused renegotiations are what a scanner provokes.
      const expected = err.code === 'ECONNRESET' || err.code === 'EPIPE' || /^ERR_(SSL|OSSL|TLS)_/.test(err.code ?? '')
        || 'library' in err;
      if (!expected) log(`${opts.host}:${opts.port} ${what}: ${err.code ?? ''} ${err.message.trim()}`);
      s.destroy();
    });
    s.setTimeout(idleMs, () => s.destroy());
  };

  /** Runs the line protocol on a (plain or TLS) stream. */
  const runSession = (stream: net.Socket, secure: boolean, greet: boolean): void => {
    let buffer = '';
    let closed = false;
    let upgrading = false;
    const handle = protocol.handler(opts.host);
    const io: SessionIo = {
      secure,
      startTlsAvailable: opts.transport === 'starttls',
      send(text) {
        if (!closed && stream.writable) stream.write(text);
      },
      end(text) {
        closed = true;
        if (!stream.writable) stream.destroy();
        else if (text === undefined) stream.end();
        else stream.end(text);
      },
      startTls(text) {
        if (secure || !tlsServer) return;
        upgrading = true;
        closed = true;
        // Anything the client pipelined after STARTTLS is dropped, not executed after the
        // handshake (the CVE-2011-0411 class of STARTTLS command injection).
        buffer = '';
        stream.removeListener('data', onData);
        stream.pause();
        stream.write(text, () => upgradeToTls(stream));
      },
    };
    const onData = (chunk: Buffer): void => {
      if (closed) return;
      buffer += chunk.toString('latin1');
      let nl: number;
      while (!closed && (nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        try {
          handle(line, io);
        } catch (err) {
          log(`${opts.host}:${opts.port} handler: ${(err as Error).message}`);
          io.end();
        }
      }
      if (!upgrading && buffer.length > MAX_LINE) io.end();
    };
    stream.on('data', onData);
    if (greet) io.send(protocol.greeting(opts.host, io));
  };

  /**
   * One tls.Server does every handshake, for implicit TLS (it listens) and for STARTTLS (it is
   * handed the upgraded socket via a 'connection' event and never listens). A hand-made server
   * TLSSocket would miss the server's handshake timeout, error reporting and renegotiation refusal.
   * tls.Server builds its context from these options itself (a `secureContext` option is ignored).
   */
  const tlsServer = ctxOptions && tls.createServer({ ...ctxOptions, handshakeTimeout: idleMs });
  if (tlsServer && opts.ocspStaple) {
    const staple = opts.ocspStaple;
    tlsServer.on('OCSPRequest', (certificate: Buffer, _issuer: Buffer, callback: (err: Error | null, resp: Buffer | null) => void) => {
      let resp: Buffer | undefined;
      try {
        resp = staple(certificate);
      } catch (err) {
        log(`${opts.host}:${opts.port} OCSP: ${(err as Error).message}`);
      }
      callback(null, resp ?? null);
    });
  }
  if (tlsServer) {
    tlsServer.on('tlsClientError', (_err, s) => { stats.tlsErrors += 1; s.destroy(); });
    tlsServer.on('secureConnection', (s: tls.TLSSocket) => {
      stats.tlsHandshakes += 1;
      if (refuseRenegotiation) s.disableRenegotiation();
      track(s);
      guard(s, 'tls');
      // After STARTTLS the client speaks first (EHLO, CAPABILITY…); implicit TLS greets.
      runSession(s, true, opts.transport === 'implicit');
    });
  }

  const upgradeToTls = (raw: net.Socket): void => {
    if (raw.destroyed || !tlsServer) return;
    // From here the TLS socket reads the handle, so only its idle timer sees traffic.
    raw.setTimeout(0);
    tlsServer.emit('connection', raw);
  };

  let server: net.Server;
  if (opts.transport === 'implicit' && tlsServer) {
    tlsServer.on('connection', (raw: net.Socket) => {
      stats.connections += 1;
      track(raw);
      guard(raw, 'socket');
    });
    server = tlsServer;
  } else {
    server = net.createServer((raw) => {
      stats.connections += 1;
      track(raw);
      guard(raw, 'socket');
      raw.setNoDelay(true);
      runSession(raw, false, true);
    });
  }
  server.on('error', (err) => log(`${opts.host}:${opts.port} server: ${err.message}`));
  server.maxConnections = 512;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`cannot listen on ${opts.ip}:${opts.port}: ${err.message}`));
    server.once('error', onError);
    server.listen({ host: opts.ip, port: opts.port, exclusive: true }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  log(`${opts.protocol}/${opts.transport} ${opts.host} listening on ${opts.ip}:${opts.port}`);

  return {
    host: opts.host,
    ip: opts.ip,
    port: opts.port,
    protocol: opts.protocol,
    transport: opts.transport,
    stats,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of open) s.destroy();
    }),
  };
}

export interface GnutlsServerOptions {
  ip: string;
  port: number;
  certFile: string;
  keyFile: string;
  /** GnuTLS priority string (default: {@link GNUTLS_LEGACY_PRIORITY}). */
  priority?: string;
  /**
   * Run inside a private network namespace (default true). gnutls-serv cannot choose its listen
   * address and binds every interface; in its own namespace it only has a loopback device, and
   * the scanner must join it (see `netns` and `runTestssl({ netns })`).
   */
  isolate?: boolean;
  log?: (message: string) => void;
}

export interface GnutlsServer {
  ip: string;
  port: number;
  priority: string;
  /** Path of the namespace to join (`nsenter --net=<netns>`), when isolated. */
  netns?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * TLS 1.0–1.3 with 3DES-CBC and RC4-128 added to GnuTLS's NORMAL set, plus static-RSA key
 * exchange and SHA-1 MACs: the old-server profile OpenSSL 3 cannot emulate. (SSLv3 is not compiled
 * into Debian's GnuTLS, so `+VERS-SSL3.0` has no effect there.)
 */
export const GNUTLS_LEGACY_PRIORITY =
  'NORMAL:+VERS-TLS1.1:+VERS-TLS1.0:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1';

/** Starts `gnutls-serv` as an implicit-TLS echo server; resolves once it says it is listening. */
export async function startGnutlsServer(opts: GnutlsServerOptions): Promise<GnutlsServer> {
  assertLoopback(opts.ip);
  const log = opts.log ?? (() => undefined);
  const priority = opts.priority ?? GNUTLS_LEGACY_PRIORITY;
  const isolate = opts.isolate ?? true;
  const serverArgs = [
    '--echo', '--crlf', '--disable-client-cert', '--nodb',
    '--port', String(opts.port),
    '--x509certfile', opts.certFile, '--x509keyfile', opts.keyFile,
    '--priority', priority,
  ];
  // Arguments travel as "$@"; the only shell text is fixed.
  const child: ChildProcess = isolate
    ? spawn('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', 'gnutls-serv', ...serverArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('gnutls-serv', serverArgs, { stdio: ['ignore', 'pipe', 'pipe'] });

  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error('gnutls-serv did not start listening within 15 s')), 15_000);
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) { child.kill('SIGTERM'); reject(new Error(`${err.message}\n${tail.join('\n')}`)); } else resolve();
    };
    // Both pipes are drained for the server's whole life: it logs every connection, and a full
    // pipe would block it mid-scan.
    const onOutput = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (/listening on/i.test(line)) finish();
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (err) => finish(err));
    child.once('exit', (code, signal) => finish(new Error(`gnutls-serv exited early (${code ?? signal})`)));
  });
  const pid = child.pid!;
  log(`gnutls-serv pid ${pid} listening on ${isolate ? `${opts.ip}:${opts.port} in its own netns` : `*:${opts.port}`}`);

  return {
    ip: opts.ip,
    port: opts.port,
    priority,
    ...(isolate ? { netns: `/proc/${pid}/ns/net` } : {}),
    pid,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => { clearTimeout(killTimer); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
