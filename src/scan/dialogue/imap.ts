/** IMAP (RFC 3501) up to STARTTLS: greeting, CAPABILITY, STARTTLS. */
import type { Conn } from '../conn.js';
import { ProbeError } from '../errors.js';
import { MAX_REPLY_LINES, upperWords, type DialogueResult, type MailDialogue } from './types.js';

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

export const imap: MailDialogue = {
  starttls: (conn) => imapDialogue(conn),
  async greetingOverTls(conn) {
    const g = await conn.readLine(Date.now() + conn.timeouts.readMs, 'IMAP greeting');
    if (/^\*\s+BYE/i.test(g)) throw new ProbeError('blocked', `IMAP greeting: ${g.slice(0, 200)}`);
    const cap = await imapCommand(conn, 't1', 'CAPABILITY', 'IMAP CAPABILITY');
    const caps = imapCapabilities(cap.untagged);
    return { banner: g, ...(caps ? { capabilities: caps } : {}) };
  },
  async capabilitiesAfterTls(conn) {
    const cap = await imapCommand(conn, 't3', 'CAPABILITY', 'IMAP CAPABILITY after STARTTLS');
    conn.send('t4 LOGOUT');
    return imapCapabilities(cap.untagged);
  },
  quit(conn) {
    conn.send('t9 LOGOUT');
  },
};
