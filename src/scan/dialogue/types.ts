/**
 * What every mail protocol's plaintext dialogue provides (one module per protocol beside this
 * one, registered in index.ts), and what it returns.
 */
import type { Service } from '../../model/endpoint.js';
import type { Conn } from '../conn.js';

export type MailProtocol = 'smtp' | 'imap' | 'pop3';

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

/** The most reply or capability lines read before a server is treated as misbehaving. */
export const MAX_REPLY_LINES = 200;

export function upperWords(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean).map((w) => w.toUpperCase());
}

export interface MailDialogue {
  /** Greeting, capabilities, then STARTTLS (or STLS) if offered: the socket is then ready for TLS. */
  starttls(conn: Conn, opts: DialogueOptions, service: Service): Promise<DialogueResult>;
  /** On an implicit-TLS connection, the greeting and capabilities read after the handshake. */
  greetingOverTls(conn: Conn, ehloName: string): Promise<{ banner?: string; capabilities?: string[] }>;
  /** After TLS on a STARTTLS connection: the capabilities again, then a polite goodbye. */
  capabilitiesAfterTls(conn: Conn, ehloName: string): Promise<string[] | undefined>;
  /** The polite goodbye when STARTTLS was not offered. */
  quit(conn: Conn): void;
}
