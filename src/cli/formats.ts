/**
 * --format on the command line: the list parsed against the output-format registry, and the
 * option's help lines written from it, so the values, the default and the help cannot drift apart.
 */
import { ReportError } from '../errors.js';
import { DEFAULT_FORMATS, fileNames, isOutputFormatId, OUTPUT_FORMAT_IDS, outputFormat, type OutputFormatId } from '../report/formats/index.js';
import { MSG } from './messages.js';

/** `--format html,pdf` → ['html', 'pdf'] (each once); absent → `fallback`; an unknown name is refused. */
export function parseFormats(value: string | undefined, fallback: readonly OutputFormatId[] = DEFAULT_FORMATS): OutputFormatId[] {
  if (value === undefined) return [...fallback];
  const names = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = names.filter((n) => !isOutputFormatId(n));
  if (bad.length > 0) throw new ReportError('format-unknown', { bad }, MSG.formatUnknown(bad, OUTPUT_FORMAT_IDS));
  return names.filter(isOutputFormatId);
}

/** The formats that carry a signature of their own (--sign needs one of them, or --bundle). */
export function signedFormats(): OutputFormatId[] {
  return OUTPUT_FORMAT_IDS.filter((id) => outputFormat(id).signature !== undefined);
}

const OPTION_COLUMN = 24;
const WIDTH = 112;

/** Words of `text` in lines of at most WIDTH, the first after `first`, the rest indented by `indent`. */
function wrap(first: string, text: string, indent: number): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > WIDTH && line.trim() !== '') {
      lines.push(line);
      line = `${' '.repeat(indent)}${word}`;
    } else {
      line = line.endsWith(' ') || line === '' ? `${line}${word}` : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/**
 * The --format lines of `tlsproof --help`: the values and the default, then one entry per format
 * with the files it writes (`<name>` is the run's base name) and its one-line help.
 */
export function formatOptionHelp(): string {
  const pad = ' '.repeat(OPTION_COLUMN);
  const idWidth = Math.max(...OUTPUT_FORMAT_IDS.map((id) => id.length)) + 2;
  const head = `${'  --format LIST'.padEnd(OPTION_COLUMN)}any of ${OUTPUT_FORMAT_IDS.join(',')} (default: ${DEFAULT_FORMATS.join(',')}):`;
  const entries = OUTPUT_FORMAT_IDS.map((id) =>
    wrap(`${pad}${id.padEnd(idWidth)}`, `${fileNames(id, '<name>').join(' and ')} — ${outputFormat(id).help}`, OPTION_COLUMN + idWidth));
  return [head, ...entries].join('\n');
}
