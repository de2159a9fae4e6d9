/**
 * The plaintext part of a mail connection, one small dialogue per protocol (SSLyze's
 * opportunistic_tls_helpers): SMTP banner → EHLO → (MAIL test) → STARTTLS (RFC 3207), IMAP
 * greeting → CAPABILITY → STARTTLS (RFC 3501), POP3 greeting → CAPA → STLS (RFC 2595). Each ends
 * with the socket ready for a TLS ClientHello, or says STARTTLS is not offered.
 */
import type { Service } from '../model/endpoint.js';
import { Conn } from './conn.js';
import { ProbeError } from './errors.js';

export type MailProtocol = 'smtp' | 'imap' | 'pop3';

export function protocolOf(service: Service): MailProtocol | undefined {
  if (service === 'smtp' || service === 'submission' || service === 'submissions') return 'smtp';
  if (service === 'imap' || service === 'imaps') return 'imap';
  if (service === 'pop3' || service === 'pop3s') return 'pop3';
  return undefined;
}

/** A transcript slice that backs one fact. */
export interface Excerpt {
  readonly from: number;
  readonly to: number;
}

export interface DialogueResult {
  readonly protocol: MailProtocol;
  readonly starttls: 'accepted' | 'not-offered';
  banner?: string;
  capabilities?: string[];
  authBeforeTls?: string[];
  loginDisabled?: boolean;
  mailAcceptedBeforeTls?: boolean;
  /** Transcript ranges per fact. */
  readonly spans: Partial<Record<'banner' | 'capabilities' | 'starttls' | 'mail', Excerpt>>;
}

export interface DialogueOptions {
  /** Name we give in EHLO. */
  readonly ehloName: string;
  /** Only what is needed to reach TLS (secondary connections): no MAIL test. */
  readonly quick: boolean;
  /** Try `MAIL FROM` before STARTTLS (submission). */
  readonly testMail: boolean;
}

interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
  readonly text: string;
}

const MAX_REPLY_LINES = 200;

async function smtpReply(conn: Conn, what: string): Promise<SmtpReply> {
  const deadline = Date.now() + conn.timeouts.readMs;
  const lines: string[] = [];
  for (;;) {
    const line = await conn.readLine(deadline, what);
    const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!m) {
      conn.destroy();
      throw new ProbeError('protocol-error', `${what}: not an SMTP reply: ${JSON.stringify(line.slice(0, 80))}`);
    }
    lines.push(m[3] ?? '');
    if (m[2] !== '-') return { code: Number(m[1]), lines, text: line };
    if (lines.length > MAX_REPLY_LINES) {
      conn.destroy();
      throw new ProbeError('protocol-error', `${what}: reply longer than ${MAX_REPLY_LINES} lines`);
    }
  }
}

/** 4xx/5xx as a ProbeError: 421 and other 4xx are temporary (retried), 5xx is a refusal. */
function refusal(r: SmtpReply, what: string, reason: 'blocked' | 'starttls-rejected'): ProbeError {
  const temporary = r.code >= 400 && r.code < 500;
  const why = r.code === 421 ? 'rate-limited' : reason;
  return new ProbeError(why, `${what}: ${r.code} ${r.lines.join(' ').slice(0, 200)}`, { reply: String(r.code), temporary });
}

const CHALLENGE_ONLY = new Set<string>();

function upperWords(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean).map((w) => w.toUpperCase());
}

async function smtpDialogue(conn: Conn, opts: DialogueOptions, service: Service): Promise<DialogueResult> {
  const spans: DialogueResult['spans'] = {};
  let at = conn.transcript.length;
  const banner = await smtpReply(conn, 'SMTP banner');
  if (banner.code !== 220) throw refusal(banner, 'SMTP banner', 'blocked');
  spans.banner = { from: at, to: conn.transcript.length };
  at = conn.transcript.length;
  conn.send(`EHLO ${opts.ehloName}`);
  let ehlo = await smtpReply(conn, 'EHLO');
  let extensions: string[] = [];
  if (ehlo.code === 250) {
    extensions = ehlo.lines.slice(1).map((l) => l.trim().toUpperCase()).filter(Boolean);
  } else if (ehlo.code >= 500) {
    // An SMTP server without ESMTP cannot offer STARTTLS; HELO keeps the session usable.
    conn.send(`HELO ${opts.ehloName}`);
    ehlo = await smtpReply(conn, 'HELO');
    if (ehlo.code !== 250) throw refusal(ehlo, 'HELO', 'blocked');
  } else {
    throw refusal(ehlo, 'EHLO', 'blocked');
  }
  spans.capabilities = { from: at, to: conn.transcript.length };
  const result: DialogueResult = { protocol: 'smtp', starttls: 'not-offered', spans, banner: banner.lines.join(' ').trim(), capabilities: extensions };
  const auth = extensions.find((e) => e.startsWith('AUTH ') || e.startsWith('AUTH='));
  result.authBeforeTls = auth === undefined ? [] : upperWords(auth.slice(5)).filter((m) => !CHALLENGE_ONLY.has(m));
  const offered = extensions.some((e) => e === 'STARTTLS' || e.startsWith('STARTTLS '));

  if (!opts.quick && opts.testMail && service === 'submission') {
    at = conn.transcript.length;
    conn.send(`MAIL FROM:<tlsproof-probe@${opts.ehloName}>`);
    const mail = await smtpReply(conn, 'MAIL FROM before STARTTLS');
    result.mailAcceptedBeforeTls = mail.code >= 200 && mail.code < 300;
    if (mail.code === 421) throw refusal(mail, 'MAIL FROM', 'blocked');
    conn.send('RSET');
    const rset = await smtpReply(conn, 'RSET');
    if (rset.code === 421) throw refusal(rset, 'RSET', 'blocked');
    spans.mail = { from: at, to: conn.transcript.length };
  }
  if (!offered) return result;
  at = conn.transcript.length;
  conn.send('STARTTLS');
  const st = await smtpReply(conn, 'STARTTLS');
  spans.starttls = { from: at, to: conn.transcript.length };
  if (st.code !== 220) throw refusal(st, 'STARTTLS', 'starttls-rejected');
  return { ...result, starttls: 'accepted' };
}

/** Tagged IMAP command: untagged lines, then the tagged status. */
async function imapCommand(conn: Conn, tag: string, command: string, what: string): Promise<{ untagged: string[]; status: string; text: string }> {
  conn.send(`${tag} ${command}`);
  const deadline = Date.now() + conn.timeouts.readMs;
  const untagged: string[] = [];
  for (;;) {
    const line = await conn.readLine(deadline, what);
    if (line.startsWith(`${tag} `)) {
      const status = (line.slice(tag.length + 1).split(' ', 1)[0] ?? '').toUpperCase();
      return { untagged, status, text: line };
    }
    if (line.startsWith('* BYE')) throw new ProbeError('blocked', `${what}: ${line.slice(0, 200)}`);
    untagged.push(line);
    if (untagged.length > MAX_REPLY_LINES) throw new ProbeError('protocol-error', `${what}: reply longer than ${MAX_REPLY_LINES} lines`);
  }
}

function imapCapabilities(lines: readonly string[]): string[] | undefined {
  for (const l of lines) {
    const m = /^\*\s+CAPABILITY\s+(.*)$/i.exec(l) ?? /\[CAPABILITY\s+([^\]]*)\]/i.exec(l);
    if (m) return upperWords(m[1] ?? '');
  }
  return undefined;
}

async function imapDialogue(conn: Conn): Promise<DialogueResult> {
  const spans: DialogueResult['spans'] = {};
  let at = conn.transcript.length;
  const greeting = await conn.readLine(Date.now() + conn.timeouts.readMs, 'IMAP greeting');
  if (/^\*\s+BYE/i.test(greeting)) throw new ProbeError('blocked', `IMAP greeting: ${greeting.slice(0, 200)}`);
  if (!/^\*\s+(OK|PREAUTH)/i.test(greeting)) throw new ProbeError('protocol-error', `IMAP greeting: not an IMAP greeting: ${JSON.stringify(greeting.slice(0, 80))}`);
  spans.banner = { from: at, to: conn.transcript.length };
  at = conn.transcript.length;
  const cap = await imapCommand(conn, 't1', 'CAPABILITY', 'IMAP CAPABILITY');
  const caps = (cap.status === 'OK' ? imapCapabilities(cap.untagged) : undefined) ?? imapCapabilities([greeting]) ?? [];
  spans.capabilities = { from: at, to: conn.transcript.length };
  const loginDisabled = caps.includes('LOGINDISABLED');
  const auth = caps.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
  const result: DialogueResult = {
    protocol: 'imap', starttls: 'not-offered', spans, banner: greeting, capabilities: caps, loginDisabled,
    authBeforeTls: [...(loginDisabled ? [] : ['LOGIN']), ...auth],
  };
  if (!caps.includes('STARTTLS')) return result;
  at = conn.transcript.length;
  const st = await imapCommand(conn, 't2', 'STARTTLS', 'IMAP STARTTLS');
  spans.starttls = { from: at, to: conn.transcript.length };
  if (st.status !== 'OK') throw new ProbeError('starttls-rejected', `IMAP STARTTLS: ${st.text.slice(0, 200)}`);
  return { ...result, starttls: 'accepted' };
}

async function pop3Line(conn: Conn, what: string): Promise<string> {
  return conn.readLine(Date.now() + conn.timeouts.readMs, what);
}

async function pop3Dialogue(conn: Conn): Promise<DialogueResult> {
  const spans: DialogueResult['spans'] = {};
  let at = conn.transcript.length;
  const greeting = await pop3Line(conn, 'POP3 greeting');
  if (greeting.startsWith('-ERR')) throw new ProbeError('blocked', `POP3 greeting: ${greeting.slice(0, 200)}`);
  if (!greeting.startsWith('+OK')) throw new ProbeError('protocol-error', `POP3 greeting: not a POP3 greeting: ${JSON.stringify(greeting.slice(0, 80))}`);
  spans.banner = { from: at, to: conn.transcript.length };
  at = conn.transcript.length;
  conn.send('CAPA');
  const first = await pop3Line(conn, 'POP3 CAPA');
  let caps: string[] | undefined;
  if (first.startsWith('+OK')) {
    caps = [];
    const deadline = Date.now() + conn.timeouts.readMs;
    for (;;) {
      const l = await conn.readLine(deadline, 'POP3 CAPA');
      if (l === '.') break;
      caps.push(l.trim().toUpperCase());
      if (caps.length > MAX_REPLY_LINES) throw new ProbeError('protocol-error', `POP3 CAPA: longer than ${MAX_REPLY_LINES} lines`);
    }
  }
  spans.capabilities = { from: at, to: conn.transcript.length };
  const result: DialogueResult = { protocol: 'pop3', starttls: 'not-offered', spans, banner: greeting };
  if (caps !== undefined) {
    result.capabilities = caps;
    const sasl = caps.find((c) => c.startsWith('SASL'));
    result.authBeforeTls = [...(caps.includes('USER') ? ['USER'] : []), ...(sasl ? upperWords(sasl.slice(4)) : [])];
  }
  // Without CAPA (RFC 2449 is optional) STLS may still work: try it.
  if (caps !== undefined && !caps.includes('STLS')) return result;
  at = conn.transcript.length;
  conn.send('STLS');
  const st = await pop3Line(conn, 'POP3 STLS');
  spans.starttls = { from: at, to: conn.transcript.length };
  if (!st.startsWith('+OK')) {
    if (caps === undefined) return result;
    throw new ProbeError('starttls-rejected', `POP3 STLS: ${st.slice(0, 200)}`);
  }
  return { ...result, starttls: 'accepted' };
}

/** Runs the plaintext dialogue for `service` on a fresh connection. */
export function runDialogue(conn: Conn, service: Service, opts: DialogueOptions): Promise<DialogueResult> {
  const protocol = protocolOf(service);
  if (protocol === 'smtp') return smtpDialogue(conn, opts, service);
  if (protocol === 'imap') return imapDialogue(conn);
  if (protocol === 'pop3') return pop3Dialogue(conn);
  throw new ProbeError('protocol-error', `no STARTTLS dialogue for service ${service}`);
}

/**
 * Implicit-TLS mail services still greet after the handshake; reading the greeting (and capabilities)
 * there gives the banner facts for 465/993/995.
 */
export async function greetingOverTls(conn: Conn, service: Service, ehloName: string): Promise<{ banner?: string; capabilities?: string[] }> {
  const protocol = protocolOf(service);
  if (protocol === 'smtp') {
    const b = await smtpReply(conn, 'SMTP banner');
    if (b.code !== 220) throw refusal(b, 'SMTP banner', 'blocked');
    conn.send(`EHLO ${ehloName}`);
    const e = await smtpReply(conn, 'EHLO');
    return { banner: b.lines.join(' ').trim(), ...(e.code === 250 ? { capabilities: e.lines.slice(1).map((l) => l.trim().toUpperCase()) } : {}) };
  }
  if (protocol === 'imap') {
    const g = await conn.readLine(Date.now() + conn.timeouts.readMs, 'IMAP greeting');
    if (/^\*\s+BYE/i.test(g)) throw new ProbeError('blocked', `IMAP greeting: ${g.slice(0, 200)}`);
    const cap = await imapCommand(conn, 't1', 'CAPABILITY', 'IMAP CAPABILITY');
    const caps = imapCapabilities(cap.untagged);
    return { banner: g, ...(caps ? { capabilities: caps } : {}) };
  }
  if (protocol === 'pop3') {
    const g = await pop3Line(conn, 'POP3 greeting');
    if (g.startsWith('-ERR')) throw new ProbeError('blocked', `POP3 greeting: ${g.slice(0, 200)}`);
    return { banner: g };
  }
  return {};
}

/** After TLS on a STARTTLS connection: the capabilities again (EHLO / CAPABILITY / CAPA), then a polite goodbye. */
export async function capabilitiesAfterTls(conn: Conn, protocol: MailProtocol, ehloName: string): Promise<string[] | undefined> {
  if (protocol === 'smtp') {
    conn.send(`EHLO ${ehloName}`);
    const e = await smtpReply(conn, 'EHLO after STARTTLS');
    conn.send('QUIT');
    return e.code === 250 ? e.lines.slice(1).map((l) => l.trim().toUpperCase()) : undefined;
  }
  if (protocol === 'imap') {
    const cap = await imapCommand(conn, 't3', 'CAPABILITY', 'IMAP CAPABILITY after STARTTLS');
    conn.send('t4 LOGOUT');
    return imapCapabilities(cap.untagged);
  }
  conn.send('CAPA');
  const first = await pop3Line(conn, 'POP3 CAPA after STLS');
  if (!first.startsWith('+OK')) return undefined;
  const caps: string[] = [];
  const deadline = Date.now() + conn.timeouts.readMs;
  for (;;) {
    const l = await conn.readLine(deadline, 'POP3 CAPA after STLS');
    if (l === '.') break;
    caps.push(l.trim().toUpperCase());
    if (caps.length > MAX_REPLY_LINES) break;
  }
  conn.send('QUIT');
  return caps;
}

/** The polite goodbye when STARTTLS was not offered. */
export function quit(conn: Conn, protocol: MailProtocol): void {
  conn.send(protocol === 'imap' ? 't9 LOGOUT' : 'QUIT');
}
