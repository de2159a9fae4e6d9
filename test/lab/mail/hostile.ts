/**
 * Deliberately hostile mail servers for resilience tests: each misbehaves in one way a real
 * scanner meets on the Internet. They bind 127.0.0.0/8 only and `stop()` destroys every socket.
 *
 * - `silent`: accepts and never says anything.
 * - `trickle`: sends its banner one byte per second.
 * - `huge-banner`: a 1 MB banner line without a line end.
 * - `starttls-454`: a normal SMTP dialogue, but STARTTLS gets `454 4.7.0 TLS not available`.
 * - `garbage-tls`: answers a ClientHello with bytes that are not TLS.
 * - `reset-handshake`: resets the connection as soon as the ClientHello arrives.
 * - `banner-421`: `421 4.7.0 Too many connections` and close, every time (rate limiting).
 * - `banner-554`: `554 5.7.1 Access denied` (the server refuses us).
 * - `flaky-421`: the first `failures` connections get 421, later ones are relayed to `upstream`.
 */
import net from 'node:net';

export type HostileKind =
  | 'silent' | 'trickle' | 'huge-banner' | 'starttls-454' | 'garbage-tls' | 'reset-handshake'
  | 'banner-421' | 'banner-554' | 'flaky-421';

export interface HostileOptions {
  kind: HostileKind;
  ip: string;
  port: number;
  /** flaky-421: how many connections to refuse before relaying. */
  failures?: number;
  /** flaky-421: where later connections go. */
  upstream?: { ip: string; port: number };
}

export interface HostileServer {
  readonly kind: HostileKind;
  readonly ip: string;
  readonly port: number;
  connections: number;
  stop(): Promise<void>;
}

function assertLoopback(ip: string): void {
  if (!(net.isIPv4(ip) && ip.startsWith('127.'))) throw new Error(`hostile servers bind 127.0.0.0/8 only, not ${ip}`);
}

export async function startHostileServer(opts: HostileOptions): Promise<HostileServer> {
  assertLoopback(opts.ip);
  const open = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state: HostileServer = { kind: opts.kind, ip: opts.ip, port: opts.port, connections: 0, stop: async () => undefined };

  const smtpLines = (s: net.Socket): void => {
    s.write('220 hostile.example.test ESMTP\r\n');
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '').toUpperCase();
        buf = buf.slice(nl + 1);
        if (line.startsWith('EHLO')) s.write('250-hostile.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
        else if (line.startsWith('STARTTLS')) s.write('454 4.7.0 TLS not available due to local problem\r\n');
        else if (line.startsWith('QUIT')) s.end('221 Bye\r\n');
        else s.write('250 Ok\r\n');
      }
    });
  };

  const server = net.createServer((s) => {
    state.connections++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
    switch (opts.kind) {
      case 'silent':
        return;
      case 'trickle': {
        const text = Buffer.from('220 trickle.example.test ESMTP, slowly\r\n');
        let i = 0;
        const t = setInterval(() => {
          if (s.destroyed || i >= text.length) { clearInterval(t); timers.delete(t); return; }
          s.write(text.subarray(i, i + 1));
          i++;
        }, 1000);
        timers.add(t);
        return;
      }
      case 'huge-banner': {
        s.write('220 ');
        const chunk = Buffer.alloc(64 * 1024, 'A');
        let sent = 0;
        const pump = (): void => {
          while (sent < 1024 * 1024 && !s.destroyed) {
            sent += chunk.length;
            if (!s.write(chunk)) { s.once('drain', pump); return; }
          }
        };
        pump();
        return;
      }
      case 'starttls-454':
        smtpLines(s);
        return;
      case 'garbage-tls':
        s.once('data', () => s.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
        return;
      case 'reset-handshake':
        s.once('data', () => s.resetAndDestroy());
        return;
      case 'banner-421':
        s.end('421 4.7.0 hostile.example.test Too many connections from your address, try again later\r\n');
        return;
      case 'banner-554':
        s.end('554 5.7.1 hostile.example.test Access denied\r\n');
        return;
      case 'flaky-421': {
        if (state.connections <= (opts.failures ?? 1) || !opts.upstream) {
          s.end('421 4.7.0 Try again later\r\n');
          return;
        }
        const up = net.connect(opts.upstream.port, opts.upstream.ip);
        open.add(up);
        up.on('close', () => { open.delete(up); s.destroy(); });
        up.on('error', () => s.destroy());
        s.on('close', () => up.destroy());
        s.pipe(up);
        up.pipe(s);
        return;
      }
    }
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.ip, port: opts.port, exclusive: true }, () => resolve());
  });
  state.stop = () => new Promise<void>((resolve) => {
    for (const t of timers) clearInterval(t);
    for (const s of open) s.destroy();
    server.close(() => resolve());
  });
  return state;
}
