/**
 * `tlsproof frameworks [--mappings DIR]... [--json]`: every loaded framework version with its
 * date, relevance and control count, marking which version a report uses by default.
 */
import { frameworkSummaries } from '../../map/catalog.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';
import { jsonText, loadCatalogue } from './catalog-common.js';
import { ReportError } from '../../errors.js';
import { MSG, OUT } from '../messages.js';

const FRAMEWORKS_HELP = `Usage: tlsproof frameworks [--mappings DIR]... [--json]

Lists every framework tlsproof can report against: id, version, the date of that version,
how it relates to mail TLS (direct, supporting, or evidence: it governs the report itself),
the number of controls, and the title. When several versions of one framework are loaded,
* marks the one a report uses unless --frameworks id@version asks for another.

  --mappings DIR   also load mapping files from DIR (<id>/<version>.yaml); repeatable; a file
                   with the id and version of a built-in one replaces it
  --json           print the list as JSON`;

export async function frameworksCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: { mappings: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, FRAMEWORKS_HELP);
  if (values.help) {
    io.stdout(`${FRAMEWORKS_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) {
    throw new ReportError('usage', { found: positionals }, MSG.frameworksNoArguments(positionals));
  }
  const summaries = frameworkSummaries(loadCatalogue(values.mappings, io));
  if (values.json) {
    io.stdout(jsonText(summaries));
    return EXIT_OK;
  }
  const several = new Set(summaries.filter((s, i) => summaries.findIndex((o) => o.id === s.id) !== i).map((s) => s.id));
  const rows = summaries.map((s) => [
    `${s.id}${several.has(s.id) && s.newest ? ' *' : ''}`, s.version, s.versionDate, String(s.controls), s.relevance,
    `${s.title}${s.builtIn ? '' : ` (from ${s.path})`}`,
  ]);
  const header = ['FRAMEWORK', 'VERSION', 'DATE', 'CONTROLS', 'RELEVANCE', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 5 ? c : i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  io.stdout(`${[header, ...rows].map(line).join('\n')}\n`);
  const total = summaries.reduce((n, s) => n + s.controls, 0);
  io.stdout(OUT.frameworksTotal(summaries.length, total, several.size > 0));
  return EXIT_OK;
}
