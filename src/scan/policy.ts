/**
 * Email-domain policies: MTA-STS (RFC 8461: `_mta-sts` TXT plus the HTTPS policy) and TLS-RPT
 * (RFC 8460: `_smtp._tls` TXT). Parsers are pure; the policy fetch resolves the policy host through
 * the scan's own resolver, validates its certificate, follows no redirects and stops at 64 KB.
 */
import https from 'node:https';
import { checkServerIdentity as tlsCheck } from 'node:tls';
import type { MtaStsFacts, TlsRptFacts } from '../model/observation.js';
import type { Resolver } from './dns.js';
import type { TrustStore } from './tls-client.js';

/** Longest policy accepted (RFC 8461 §3.3 suggests senders limit the size; 64 KB like Postfix' mta-sts resolvers). */
const MAX_POLICY_BYTES = 65_536;
const MAX_AGE_LIMIT = 31_557_600;

type TxtVerdict<T> = { readonly status: 'valid'; readonly value: T; readonly text: string }
  | { readonly status: 'missing' | 'multiple' | 'invalid'; readonly text?: string; readonly problem: string };

/** `v=STSv1; id=20260101T000000;` — exactly one record starting with `v=STSv1`, with a valid id. */
export function parseMtaStsTxt(records: readonly string[]): TxtVerdict<{ id: string }> {
  const ours = records.filter((r) => r.startsWith('v=STSv1'));
  if (ours.length === 0) return { status: 'missing', problem: 'no TXT record starting with v=STSv1' };
  if (ours.length > 1) return { status: 'multiple', text: ours.join(' | '), problem: `${ours.length} v=STSv1 records (exactly one is allowed)` };
  const text = ours[0]!;
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) return { status: 'invalid', text, problem: `field "${p}" is not name=value` };
    fields.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
  }
  const id = fields.get('id');
  if (id === undefined) return { status: 'invalid', text, problem: 'no id= field' };
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) return { status: 'invalid', text, problem: `id "${id}" must be 1 to 32 letters and digits` };
  return { status: 'valid', value: { id }, text };
}

interface MtaStsPolicy {
  readonly mode: 'enforce' | 'testing' | 'none';
  readonly maxAge: number;
  readonly mx: readonly string[];
}

/** Parses a policy body (CRLF or LF lines of `key: value`). */
export function parseMtaStsPolicy(body: string): { ok: true; policy: MtaStsPolicy } | { ok: false; problem: string } {
  const fields: [string, string][] = [];
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, problem: `line "${line.slice(0, 60)}" is not key: value` };
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const one = (k: string) => fields.find(([key]) => key === k)?.[1];
  if (one('version') !== 'STSv1') return { ok: false, problem: `version is ${JSON.stringify(one('version') ?? null)}, not STSv1` };
  const mode = one('mode');
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') return { ok: false, problem: `mode is ${JSON.stringify(mode ?? null)}, not enforce, testing or none` };
  const maxAgeText = one('max_age');
  if (maxAgeText === undefined || !/^\d{1,10}$/.test(maxAgeText)) return { ok: false, problem: `max_age is ${JSON.stringify(maxAgeText ?? null)}, not a whole number of seconds` };
  const maxAge = Number(maxAgeText);
  if (maxAge > MAX_AGE_LIMIT) return { ok: false, problem: `max_age ${maxAge} exceeds ${MAX_AGE_LIMIT} (one year)` };
  const mx = fields.filter(([k]) => k === 'mx').map(([, v]) => v.toLowerCase().replace(/\.$/, ''));
  if (mode !== 'none' && mx.length === 0) return { ok: false, problem: `mode ${mode} needs at least one mx: line` };
  return { ok: true, policy: { mode, maxAge, mx } };
}

/** RFC 8461 §4.1: exact match, or `*.` matching exactly one leftmost label. */
export function mxMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => {
    if (p.startsWith('*.')) {
      const rest = p.slice(2);
      const dot = h.indexOf('.');
      return dot > 0 && h.slice(dot + 1) === rest;
    }
    return p === h;
  });
}

/** `v=TLSRPTv1; rua=mailto:…,https://…` — exactly one record, every rua URI mailto: or https:. */
export function parseTlsRptTxt(records: readonly string[]): TxtVerdict<{ rua: string[] }> {
  const ours = records.filter((r) => /^v=TLSRPTv1\s*(;|$)/.test(r));
  if (ours.length === 0) return { status: 'missing', problem: 'no TXT record starting with v=TLSRPTv1' };
  if (ours.length > 1) return { status: 'multiple', text: ours.join(' | '), problem: `${ours.length} v=TLSRPTv1 records (exactly one is allowed)` };
  const text = ours[0]!;
  const rua = /(?:^|;)\s*rua\s*=\s*([^;]*)/.exec(text)?.[1]?.trim();
  if (!rua) return { status: 'invalid', text, problem: 'no rua= field' };
  const uris = rua.split(',').map((u) => u.trim()).filter(Boolean);
  const bad = uris.filter((u) => !/^mailto:[^@\s]+@[^@\s]+$/i.test(u) && !/^https:\/\/\S+$/i.test(u));
  if (uris.length === 0 || bad.length > 0) return { status: 'invalid', text, problem: `rua URIs must be mailto: or https: (${bad.join(', ') || 'none given'})` };
  return { status: 'valid', value: { rua: uris }, text };
}

export interface FetchOptions {
  readonly resolver: Resolver;
  readonly trust: TrustStore;
  readonly timeoutMs: number;
  /** Default 443; tests may use another. */
  readonly port?: number;
  readonly ipv6: boolean;
}

type FetchResult = { ok: true; body: string; ip: string; status: number; contentType: string } | { ok: false; problem: string };

/** GET https://mta-sts.<domain>/.well-known/mta-sts.txt with a validated certificate, no redirects, size and time limits. */
async function fetchMtaStsPolicy(domain: string, opts: FetchOptions): Promise<FetchResult> {
  const host = `mta-sts.${domain}`;
  let ips: string[];
  try {
    ips = (await opts.resolver.addresses(host, opts.ipv6)).ips;
  } catch (err) {
    return { ok: false, problem: `cannot resolve ${host}: ${(err as Error).message}` };
  }
  const ip = ips[0];
  if (ip === undefined) return { ok: false, problem: `${host} has no address` };
  return new Promise<FetchResult>((resolve) => {
    let settled = false;
    const done = (r: FetchResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const reqOpts: https.RequestOptions = {
      host: ip, port: opts.port ?? 443, method: 'GET', path: '/.well-known/mta-sts.txt',
      servername: host, headers: { host, 'user-agent': 'tlsproof' }, agent: false,
      ca: [...opts.trust.ca], minVersion: 'TLSv1.2', rejectUnauthorized: true,
      // The certificate must name the policy host, not the address we connected to.
      checkServerIdentity: (_h, cert) => tlsCheck(host, cert),
    };
    const req = https.request(reqOpts, (res) => {
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? '');
      if (status !== 200) return done({ ok: false, problem: `HTTP ${status} from https://${host}/.well-known/mta-sts.txt (redirects are not followed)` });
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_POLICY_BYTES) return done({ ok: false, problem: `policy larger than ${MAX_POLICY_BYTES} bytes` });
        chunks.push(c);
      });
      res.on('end', () => done({ ok: true, body: Buffer.concat(chunks).toString('utf8'), ip, status, contentType }));
      res.on('error', (e) => done({ ok: false, problem: `reading the policy: ${e.message}` }));
    });
    const timer = setTimeout(() => done({ ok: false, problem: `no complete policy within ${opts.timeoutMs} ms` }), opts.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, problem: `https://${host}/ (${ip}): ${e.code ?? ''} ${e.message}`.trim() }));
    req.end();
  });
}


/** The MTA-STS facts for a domain, given its TXT answer and (when the TXT is valid) a policy fetch. */
export async function assessMtaSts(domain: string, txt: readonly string[], opts: FetchOptions): Promise<{ facts: MtaStsFacts; policyText?: string }> {
  const record = parseMtaStsTxt(txt);
  if (record.status !== 'valid') {
    return { facts: { record: record.status, ...(record.text ? { recordText: record.text } : {}), policy: 'not-fetched', policyDetail: record.problem } };
  }
  const base = { record: 'valid' as const, recordText: record.text, id: record.value.id };
  const fetched = await fetchMtaStsPolicy(domain, opts);
  if (!fetched.ok) return { facts: { ...base, policy: 'fetch-failed', policyDetail: fetched.problem } };
  if (!/^text\/plain\b/i.test(fetched.contentType)) {
    return { facts: { ...base, policy: 'invalid', policyDetail: `Content-Type is "${fetched.contentType}", not text/plain` }, policyText: fetched.body };
  }
  const parsed = parseMtaStsPolicy(fetched.body);
  if (!parsed.ok) return { facts: { ...base, policy: 'invalid', policyDetail: parsed.problem }, policyText: fetched.body };
  const p = parsed.policy;
  return { facts: { ...base, policy: 'valid', policyDetail: `fetched from ${fetched.ip}`, mode: p.mode, maxAge: p.maxAge, mx: p.mx }, policyText: fetched.body };
}

export function assessTlsRpt(txt: readonly string[]): TlsRptFacts {
  const r = parseTlsRptTxt(txt);
  if (r.status === 'valid') return { record: 'valid', recordText: r.text, rua: r.value.rua };
  return { record: r.status, ...(r.text ? { recordText: r.text } : {}), problem: r.problem };
}
