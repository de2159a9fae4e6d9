/**
 * The plaintext part of a mail connection, one small dialogue per protocol (SSLyze's
 * opportunistic_tls_helpers): SMTP banner → EHLO → (MAIL test) → STARTTLS (RFC 3207), IMAP
 * greeting → CAPABILITY → STARTTLS (RFC 3501), POP3 greeting → CAPA → STLS (RFC 2595). Each ends
 * with the socket ready for a TLS ClientHello, or says STARTTLS is not offered. The registry below
 * is the one list of protocols; adding one is its module plus one line.
 */
import type { Service } from '../../model/endpoint.js';
import type { Conn } from '../conn.js';
import { ProbeError } from '../errors.js';
import { imap } from './imap.js';
import { pop3 } from './pop3.js';
import { smtp } from './smtp.js';
import type { DialogueOptions, DialogueResult, MailDialogue, MailProtocol } from './types.js';

export type { DialogueResult, Excerpt } from './types.js';

const DIALOGUES: Readonly<Record<MailProtocol, MailDialogue>> = { smtp, imap, pop3 };

export function protocolOf(service: Service): MailProtocol | undefined {
  if (service === 'smtp' || service === 'submission' || service === 'submissions') return 'smtp';
  if (service === 'imap' || service === 'imaps') return 'imap';
  if (service === 'pop3' || service === 'pop3s') return 'pop3';
  return undefined;
}

/** Runs the plaintext dialogue for `service` on a fresh connection. */
export function runDialogue(conn: Conn, service: Service, opts: DialogueOptions): Promise<DialogueResult> {
  const protocol = protocolOf(service);
  if (protocol === undefined) throw new ProbeError('protocol-error', `no STARTTLS dialogue for service ${service}`);
  return DIALOGUES[protocol].starttls(conn, opts, service);
}

/**
 * Implicit-TLS mail services still greet after the handshake; reading the greeting (and capabilities)
 * there gives the banner facts for 465/993/995.
 */
export async function greetingOverTls(conn: Conn, service: Service, ehloName: string): Promise<{ banner?: string; capabilities?: string[] }> {
  const protocol = protocolOf(service);
  return protocol === undefined ? {} : DIALOGUES[protocol].greetingOverTls(conn, ehloName);
}

/** After TLS on a STARTTLS connection: the capabilities again (EHLO / CAPABILITY / CAPA), then a polite goodbye. */
export function capabilitiesAfterTls(conn: Conn, protocol: MailProtocol, ehloName: string): Promise<string[] | undefined> {
  return DIALOGUES[protocol].capabilitiesAfterTls(conn, ehloName);
}

/** The polite goodbye when STARTTLS was not offered. */
export function quit(conn: Conn, protocol: MailProtocol): void {
  DIALOGUES[protocol].quit(conn);
}
