/**
 * Helpers that return markup rather than text. Each escapes every character of its input first,
 * exactly as `{{value}}` would, and only then adds tags of its own, so scan data can never
 * become markup through them.
 */
import Handlebars from 'handlebars';

/**
 * `mail.example.test` with a line-break opportunity after each dot and slash (`<wbr>`), so a
 * narrow column wraps a host name or a file path between its labels instead of mid-label.
 */
export function wrapPoints(text: string): Handlebars.SafeString {
  if (typeof text !== 'string') throw new Error('wrapPoints expects text');
  return new Handlebars.SafeString(text.split(/(?<=[./])/).map((part) => Handlebars.escapeExpression(part)).join('<wbr>'));
}
