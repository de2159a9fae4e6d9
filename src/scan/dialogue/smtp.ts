/**
 * SMTP (RFC 5321) up to STARTTLS (RFC 3207): banner, EHLO (HELO for a server without ESMTP), an
 * optional MAIL FROM test on submission, STARTTLS.
 */
import type { Service } from '../../model/endpoint.js';
import type { Conn } from '../conn.js';
import { ProbeError } from '../errors.js';
import { MAX_REPLY_LINES, upperWords, type DialogueOptions, type DialogueResult, type MailDialogue } from './types.js';

interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
  readonly text: string;
}

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

export const smtp: MailDialogue = {
  starttls: smtpDialogue,
  async greetingOverTls(conn, ehloName) {
    const b = await smtpReply(conn, 'SMTP banner');
    if (b.code !== 220) throw refusal(b, 'SMTP banner', 'blocked');
    conn.send(`EHLO ${ehloName}`);
    const e = await smtpReply(conn, 'EHLO');
    return { banner: b.lines.join(' ').trim(), ...(e.code === 250 ? { capabilities: e.lines.slice(1).map((l) => l.trim().toUpperCase()) } : {}) };
  },
  async capabilitiesAfterTls(conn, ehloName) {
    conn.send(`EHLO ${ehloName}`);
    const e = await smtpReply(conn, 'EHLO after STARTTLS');
    conn.send('QUIT');
    return e.code === 250 ? e.lines.slice(1).map((l) => l.trim().toUpperCase()) : undefined;
  },
  quit(conn) {
    conn.send('QUIT');
  },
};
