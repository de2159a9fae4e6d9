/** POP3 (RFC 1939) up to STLS (RFC 2595): greeting, CAPA (RFC 2449, optional), STLS. */
import type { Conn } from '../conn.js';
import { ProbeError } from '../errors.js';
import { MAX_REPLY_LINES, upperWords, type DialogueResult, type MailDialogue } from './types.js';

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

export const pop3: MailDialogue = {
  starttls: (conn) => pop3Dialogue(conn),
  async greetingOverTls(conn) {
    const g = await pop3Line(conn, 'POP3 greeting');
    if (g.startsWith('-ERR')) throw new ProbeError('blocked', `POP3 greeting: ${g.slice(0, 200)}`);
    return { banner: g };
  },
  async capabilitiesAfterTls(conn) {
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
  },
  quit(conn) {
    conn.send('QUIT');
  },
};
