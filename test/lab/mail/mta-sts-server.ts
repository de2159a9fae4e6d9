/**
 * A local MTA-STS policy host: Node's https on 127.0.0.0/8 serving
 * /.well-known/mta-sts.txt per Host header (text/plain, CRLF lines as RFC 8461 wants), with a
 * certificate from the lab CA. Other paths get 404; a host can be set to redirect or to an
 * oversized body, to test that the scanner refuses both.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { LabCertPair } from '../servers.js';

export type PolicyResponse =
  | { kind: 'policy'; mode: 'enforce' | 'testing' | 'none'; mx: string[]; maxAge?: number }
  | { kind: 'raw'; body: string; contentType?: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'huge' };

export interface MtaStsServer {
  readonly ip: string;
  readonly port: number;
  requests: string[];
  stop(): Promise<void>;
}

export function policyText(mode: string, mx: readonly string[], maxAge = 604800): string {
  return ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`, ''].join('\r\n');
}

/** `certs` must cover every `mta-sts.<domain>` served (one certificate per host name, chosen by SNI). */
export async function startMtaStsServer(ip: string, port: number, policies: Record<string, PolicyResponse>, certs: Record<string, LabCertPair>): Promise<MtaStsServer> {
  if (!(net.isIPv4(ip) && ip.startsWith('127.'))) throw new Error(`policy servers bind 127.0.0.0/8 only, not ${ip}`);
  const contexts = Object.fromEntries(Object.entries(certs).map(([name, c]) => [name, { cert: readFileSync(c.certFile), key: readFileSync(c.keyFile) }]));
  const first = Object.values(contexts)[0];
  if (!first) throw new Error('at least one certificate is needed');
  const state: MtaStsServer = { ip, port, requests: [], stop: async () => undefined };
  const server = https.createServer({
    ...first,
    SNICallback: (name, cb) => {
      const c = contexts[name] ?? first;
      cb(null, tls.createSecureContext(c));
    },
  }, (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    state.requests.push(`${host}${req.url ?? ''}`);
    const p = policies[host];
    if (req.url !== '/.well-known/mta-sts.txt' || !p) { res.writeHead(404); res.end('not found'); return; }
    if (p.kind === 'redirect') { res.writeHead(301, { location: p.location }); res.end(); return; }
    if (p.kind === 'huge') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(`version: STSv1\r\n${'x: y\r\n'.repeat(20000)}`); return; }
    const body = p.kind === 'raw' ? p.body : policyText(p.mode, p.mx, p.maxAge);
    res.writeHead(200, { 'content-type': p.kind === 'raw' ? (p.contentType ?? 'text/plain') : 'text/plain; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: ip, port, exclusive: true }, () => resolve());
  });
  state.stop = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}


