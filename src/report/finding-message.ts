/**
 * A finding's message as a reader sees it. The model keeps the check's sentence with its data as
 * measured (ISO 8601 instants such as 2026-10-05T23:59:00.000Z), so the JSON stays
 * machine-readable and the message matches its data; the HTML and the PDF print the same
 * sentence with those instants written the way the rest of the report writes dates and times
 * (in UTC, saying so). The sentence is rebuilt from the check's own template and data: a message
 * that template and data do not reproduce (a model written by another version) is shown as given.
 */
import { checkById, isCheckId } from '../checks/index.js';
import { findingSentence } from '../checks/shared/message.js';
import type { Finding } from '../model/finding.js';

/** How a renderer writes a calendar date and an instant. */
export interface DateStyle {
  readonly date: (iso: string) => string;
  readonly dateTime: (iso: string) => string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type MessageParts = Pick<Finding, 'checkId' | 'messageId' | 'message' | 'data'>;

/** The finding's message with every date and instant in its data written in `style`. */
export function findingMessage(f: MessageParts, style: DateStyle): string {
  if (!isCheckId(f.checkId)) return f.message;
  const { messages } = checkById(f.checkId).meta;
  const template = Object.hasOwn(messages, f.messageId) ? messages[f.messageId] : undefined;
  if (template === undefined) return f.message;
  let display: Record<string, string | number> | undefined;
  for (const [key, value] of Object.entries(f.data)) {
    if (typeof value !== 'string') continue;
    const shown = INSTANT.test(value) ? style.dateTime(value) : DAY.test(value) ? style.date(value) : value;
    if (shown === value) continue;
    display ??= { ...f.data };
    display[key] = shown;
  }
  if (display === undefined) return f.message;
  try {
    return findingSentence(template, f.data) === f.message ? findingSentence(template, display) : f.message;
  } catch {
    return f.message;
  }
}
