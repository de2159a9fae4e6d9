/**
 * Text formatting shared by the PDF sections: dates in UTC, counts, booleans and service names.
 * Pure functions of their arguments: the report never reads the clock or the locale.
 */
import { domainToASCII } from 'node:url';
import type { EndpointSummary } from '../../model/report-model.js';
import { findingMessage } from '../finding-message.js';

/** 12345 → "12,345" without depending on the ICU data Node was built with. */
export function num(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "2026-10-01T09:00:00.000Z" → "2026-10-01 09:00 UTC"; anything unparsable is shown as given. */
export function dateTime(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/** Date part only ("2026-10-01"). */
export function date(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 10);
}

export function yesNo(v: boolean | null, unknown = 'not tested'): string {
  return v === null ? unknown : v ? 'yes' : 'no';
}

export function bytes(n: number): string {
  if (n < 1024) return `${num(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const SERVICE_NAMES: Readonly<Record<EndpointSummary['service'], string>> = {
  smtp: 'SMTP', submission: 'Submission', submissions: 'Submissions', imap: 'IMAP', imaps: 'IMAPS',
  pop3: 'POP3', pop3s: 'POP3S', https: 'HTTPS', other: 'Other',
};

const TRANSPORT_NAMES: Readonly<Record<EndpointSummary['transport'], string>> = {
  starttls: 'STARTTLS', implicit: 'implicit TLS', none: 'no TLS',
};

export function serviceLabel(ep: Pick<EndpointSummary, 'service' | 'transport'>): string {
  return `${SERVICE_NAMES[ep.service]} (${TRANSPORT_NAMES[ep.transport]})`;
}

const TRANSPORT_SHORT: Readonly<Record<EndpointSummary['transport'], string>> = {
  starttls: 'STARTTLS', implicit: 'TLS', none: 'plain',
};

/** "SMTP STARTTLS", "IMAPS TLS": fits a narrow table column on one line. */
export function serviceShort(ep: Pick<EndpointSummary, 'service' | 'transport'>): string {
  return `${SERVICE_NAMES[ep.service]} ${TRANSPORT_SHORT[ep.transport]}`;
}

const OBSERVED_SOURCE: Readonly<Record<EndpointSummary['observedAtSource'], string>> = {
  input: 'timestamp in the scan output',
  option: 'given with --observed-at',
  'file-mtime': 'modification time of the input file (no timestamp in the scan output)',
};

export function observedSourceLabel(s: EndpointSummary['observedAtSource']): string {
  return OBSERVED_SOURCE[s];
}

/** The IDNA (xn--) form of a non-ASCII host, so a reader can match it against DNS; null for ASCII hosts. */
export function asciiHost(host: string): string | null {
  if (!/[^\x00-\x7f]/.test(host)) return null;
  const ascii = domainToASCII(host);
  return ascii.length > 0 && ascii !== host ? ascii : null;
}

/** Protocol names as auditors write them ("TLSv1.0" → "TLS 1.0"). */
export function protocolName(p: string): string {
  return p.replace(/^TLSv/, 'TLS ').replace(/^SSLv/, 'SSL ');
}

/** A finding's message with the dates and instants in its data written as the rest of the PDF writes them. */
export function findingText(f: Parameters<typeof findingMessage>[0]): string {
  return findingMessage(f, { date, dateTime });
}
