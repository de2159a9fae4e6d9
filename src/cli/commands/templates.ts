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
import { builtinTemplatesDir, TEMPLATE_FILES } from '../../report/html/render.js';
import { REPORT_SCHEMAS } from '../../report/schema.js';
import { EXAMPLE_EXCEPTIONS_FILE } from '../../map/exceptions-file.js';
import type { CliIo } from '../io.js';
import { ReportError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';
import { MSG, OUT } from '../messages.js';

const TEMPLATES_HELP = `Usage: tlsproof templates init DIR

Copies the built-in report templates (report.hbs, partials/*.hbs, report.css, report.js) to
DIR/templates/, a commented report.config.yaml and exceptions.example.yaml (an example exception
register; rename it exceptions.yaml to apply it) to DIR/, and the JSON Schemas of the ReportModel
(what templates see), the config and the exception register to DIR/schema/. Edit them, then render with
  tlsproof ... --config DIR/report.config.yaml
The templates shape the HTML report only; the PDF follows report.config.yaml (sections, text
blocks, sign-off, logo, colours, fonts, classification), which both reports obey.
Files that already exist in DIR are left alone and the command fails listing them.`;

export async function templatesCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs({ args, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } }, TEMPLATES_HELP);
  if (parsed.values.help) {
    io.stdout(`${TEMPLATES_HELP}\n`);
    return EXIT_OK;
  }
  const [sub, dir, ...rest] = parsed.positionals;
  if (sub !== 'init' || dir === undefined || rest.length > 0) {
    throw new ReportError('usage', { sub }, MSG.templatesUsage(sub, TEMPLATES_HELP));
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
    throw new ReportError('usage', { existing }, MSG.templatesExisting(existing));
  }
  for (const [from, to] of copies) {
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
  }
  io.stdout(OUT.templatesWritten(path.join(dir, 'report.config.yaml'), path.join(dir, EXAMPLE_EXCEPTIONS_FILE), TEMPLATE_FILES.length,
    path.join(dir, 'templates'), path.join(dir, 'schema')));
  return EXIT_OK;
}
