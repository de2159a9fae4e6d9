/**
 * What a streamed XML reader says when saxes stops on a broken document: whether the file was cut
 * short or is malformed, where (inside which record), and what was kept. One wording for every
 * XML format (nmap, .nessus, Greenbone, Qualys), so a user reads the same sentence from each.
 */
import { PROBLEM } from './messages.js';

interface XmlFailure {
  readonly code: 'truncated' | 'malformed-xml';
  readonly message: string;
}

/**
 * @param where e.g. ` inside <port> 25 that starts on line 40`, or '' outside any record
 * @param kept how many records were read before the failure
 * @param unit the record's name in the singular, e.g. "host"
 */
export function xmlFailure(err: Error, where: string, kept: number, unit: string): XmlFailure {
  const truncated = /unclosed|unexpected end/i.test(err.message);
  // saxes prefixes its messages with "file:line:column: "; the problem carries the position already.
  const detail = err.message.replace(/^[^:]*:\d+:\d+:\s*/, '');
  return {
    code: truncated ? 'truncated' : 'malformed-xml',
    message: PROBLEM.xmlFailure(truncated, where, detail, kept, unit),
  };
}
