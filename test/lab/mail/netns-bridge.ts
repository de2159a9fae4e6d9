/**
 * Reaches a server that lives in its own network namespace (gnutls-serv, which cannot choose its
 * listen address and so runs isolated, see ../servers.ts) from the test's namespace: a helper
 * process inside the namespace listens on a Unix socket (the filesystem is shared, the network is
 * not) and connects to the server there; here, a TCP listener on 127.0.0.0/8 pipes each
 * connection to that Unix socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface NetnsBridge {
  readonly ip: string;
  readonly port: number;
  stop(): Promise<void>;
}

// Plain JavaScript run by `node -e` inside the namespace; arguments come through argv, never the text.
const INNER = `
const net = require('node:net');
const [sock, port] = process.argv.slice(1);
net.createServer((c) => {
  const t = net.connect(Number(port), '127.0.0.1');
  c.pipe(t); t.pipe(c);
  c.on('error', () => t.destroy()); t.on('error', () => c.destroy());
  c.on('close', () => t.destroy()); t.on('close', () => c.destroy());
}).listen(sock, () => process.stdout.write('ready\\n'));
`;

export async function startNetnsBridge(opts: { netns: string; innerPort: number; ip: string; port: number }): Promise<NetnsBridge> {
  if (!(net.isIPv4(opts.ip) && opts.ip.startsWith('127.'))) throw new Error(`bridges bind 127.0.0.0/8 only, not ${opts.ip}`);
  const sock = path.join(os.tmpdir(), `tlsproof-bridge-${process.pid}-${opts.port}-${Date.now()}.sock`);
  const child: ChildProcess = spawn('nsenter', [`--net=${opts.netns}`, '--', process.execPath, '-e', INNER, sock, String(opts.innerPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('netns bridge did not start')), 10_000);
    child.stdout?.once('data', () => { clearTimeout(timer); resolve(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`netns bridge exited (${code})`)); });
  });
  const open = new Set<net.Socket>();
  const server = net.createServer((c) => {
    const u = net.connect(sock);
    open.add(c); open.add(u);
    c.pipe(u); u.pipe(c);
    const end = (): void => { c.destroy(); u.destroy(); open.delete(c); open.delete(u); };
    c.on('error', end); u.on('error', end); c.on('close', end); u.on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.ip, port: opts.port, exclusive: true }, () => resolve());
  });
  return {
    ip: opts.ip,
    port: opts.port,
    stop: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => {
        child.kill('SIGTERM');
        try { rmSync(sock, { force: true }); } catch { /* gone */ }
        resolve();
      });
    }),
  };
}
