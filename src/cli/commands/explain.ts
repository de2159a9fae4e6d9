/**
 * `tlsproof explain <check-id> [--frameworks LIST] [--mappings DIR]... [--json]`: every control a
 * check's findings count toward, across the frameworks (newest version of each), with coverage
 * and rationale; also accepts a report property id (report-dated, inputs-hashed…).
 */
import { ReportError } from '../../errors.js';
import { explain, explainableIds } from '../../map/catalog.js';
import { closest } from '../../yaml-document.js';
import { newestVersions, selectFrameworks } from '../../map/select.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { linkText } from './controls.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';
import { jsonText, loadCatalogue, wrap } from './catalog-common.js';
import { MSG, OUT } from '../messages.js';

const EXPLAIN_HELP = `Usage: tlsproof explain <check-id> [--frameworks LIST] [--mappings DIR]... [--json]

Shows every control a check's findings count toward, in every framework (the newest loaded
version of each), with the coverage and the rationale an auditor reads, and any grading rule
that softens the check on some services. Also explains the report properties that frameworks
about records and evidence rely on (report-dated, inputs-hashed, tool-identified,
crypto-inventory, scope-complete, records-retained).

  --frameworks LIST  only these frameworks (ids or id@version), e.g. hipaa,pci-dss
  --mappings DIR     also load mapping files from DIR; repeatable
  --json             print the explanation as JSON`;

export async function explainCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      frameworks: { type: 'string' }, mappings: { type: 'string', multiple: true }, json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }, EXPLAIN_HELP);
  if (values.help) {
    io.stdout(`${EXPLAIN_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    throw new ReportError('usage', { found: positionals.length }, MSG.explainNeedsOne(positionals.length, EXPLAIN_HELP));
  }
  const id = positionals[0]!;
  const mappings = loadCatalogue(values.mappings, io);
  const requested = values.frameworks?.split(',').map((s) => s.trim()).filter(Boolean);
  const frameworks = requested && requested.length > 0
    ? selectFrameworks(mappings.frameworks, { requested, scope: mappings.scope })
    : newestVersions(mappings.frameworks);
  const result = explain(mappings, frameworks, id);
  if (result === undefined) {
    const ids = explainableIds();
    const hint = closest(id, ids);
    throw new ReportError('usage', { found: id, allowed: ids }, MSG.explainUnknown(id, hint, ids));
  }
  if (values.json) {
    io.stdout(jsonText(result));
    return EXIT_OK;
  }
  const out: string[] = [];
  if (result.check !== null) {
    out.push(OUT.explainCheck(result.id, result.title, result.check.severity, result.check.category, result.check.appliesTo));
  } else {
    out.push(OUT.explainProperty(result.id, result.title));
  }
  out.push(wrap(result.description, ''));
  if (result.unmappedReason !== null) out.push('', wrap(OUT.countsTowardNone(result.unmappedReason), ''));
  const fwCount = new Set(result.controls.map((c) => c.framework.id)).size;
  if (result.controls.length === 0 && result.unmappedReason === null) {
    out.push('', OUT.linkedFromNone());
  } else if (result.controls.length > 0) {
    out.push('', OUT.linkedFrom(result.controls.length, fwCount));
    let current = '';
    for (const c of result.controls) {
      const ref = `${c.framework.id}@${c.framework.version}`;
      if (ref !== current) {
        out.push('', `${c.framework.title} (${ref}${c.framework.relevance === 'direct' ? '' : `, ${c.framework.relevance}`})`);
        current = ref;
      }
      const tags = [c.control.obligation, c.control.unconfirmed ? 'UNCONFIRMED citation' : null].filter((t) => t !== null);
      out.push(`  ${c.control.id}  ${c.control.title}${tags.length > 0 ? `  [${tags.join('; ')}]` : ''}`);
      out.push(linkText(c.link));
    }
  }
  for (const rule of result.grading) {
    out.push('', wrap(OUT.gradingRule(rule), ''));
  }
  io.stdout(`${out.join('\n')}\n`);
  return EXIT_OK;
}
