/**
 * `tlsproof templates init DIR`: copies the built-in HTML templates, partials, stylesheet and
 * script to DIR/templates/, a commented report.config.yaml and exceptions.example.yaml (an
 * exception register that validates as shipped but, being .example, is never loaded) to DIR/, ready to edit. The config
 * points at the copied templates (`templates: templates`), so `--config DIR/report.config.yaml`
 * uses both. Existing files are never overwritten.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtinTemplatesDir, TEMPLATE_FILES } from '../../report/html/render.js';
import { REPORT_SCHEMAS } from '../../report/schema.js';
import { EXAMPLE_EXCEPTIONS_FILE } from '../../map/exceptions-file.js';
import type { CliIo } from '../io.js';

export const TEMPLATES_HELP = `Usage: tlsproof templates init DIR

Copies the built-in report templates (report.hbs, partials/*.hbs, report.css, report.js) to
DIR/templates/, a commented report.config.yaml and exceptions.example.yaml (an example exception
register; rename it exceptions.yaml to apply it) to DIR/, and the JSON Schemas of the ReportModel
(what templates see), the config and the exception register to DIR/schema/. Edit them, then render with
  tlsproof ... --config DIR/report.config.yaml
Files that already exist in DIR are left alone and the command fails listing them.`;

export async function templatesCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr(`tlsproof templates: ${err instanceof Error ? err.message : String(err)}\n\n${TEMPLATES_HELP}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${TEMPLATES_HELP}\n`);
    return 0;
  }
  const [sub, dir, ...rest] = parsed.positionals;
  if (sub !== 'init' || dir === undefined || rest.length > 0) {
    io.stderr(`tlsproof templates: expected "templates init DIR"${sub !== undefined && sub !== 'init' ? ` (unknown subcommand "${sub}")` : ''}.\n\n${TEMPLATES_HELP}\n`);
    return 2;
  }
  const target = path.resolve(io.cwd, dir);
  const source = builtinTemplatesDir();
  const copies: [string, string][] = [
    ...TEMPLATE_FILES.map((f): [string, string] => [path.join(source, ...f.split('/')), path.join(target, 'templates', ...f.split('/'))]),
    [path.join(source, '..', 'report.config.yaml'), path.join(target, 'report.config.yaml')],
    [path.join(source, '..', EXAMPLE_EXCEPTIONS_FILE), path.join(target, EXAMPLE_EXCEPTIONS_FILE)],
    ...REPORT_SCHEMAS.map((p): [string, string] => [path.join(source, '..', '..', ...p.path.split('/')), path.join(target, 'schema', path.basename(p.path))]),
  ];
  const existing = copies.filter(([, to]) => existsSync(to)).map(([, to]) => path.relative(io.cwd, to) || to);
  if (existing.length > 0) {
    io.stderr(`tlsproof templates: not overwriting existing files: ${existing.join(', ')}. Choose an empty folder or move them away.\n`);
    return 2;
  }
  for (const [from, to] of copies) {
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
  }
  io.stdout(`Wrote ${path.join(dir, 'report.config.yaml')}, ${path.join(dir, EXAMPLE_EXCEPTIONS_FILE)}, ${TEMPLATE_FILES.length} template files under ${path.join(dir, 'templates')} ` +
    `and the ReportModel, config and exceptions JSON Schemas under ${path.join(dir, 'schema')}.\n`
    + `Render with: tlsproof ... --config ${path.join(dir, 'report.config.yaml')}\n`);
  return 0;
}
