/**
 * `tlsproof controls <framework> [--mappings DIR]... [--json]`: one framework's controls, each with
 * its citation details and the checks and report properties linked to it, with rationale.
 */
import { frameworkView, type LinkView } from '../../map/catalog.js';
import { resolveFramework } from '../../map/select.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';
import { jsonText, loadCatalogue, wrap } from './catalog-common.js';
import { ReportError } from '../../errors.js';
import { MSG, OUT } from '../messages.js';

const CONTROLS_HELP = `Usage: tlsproof controls <framework> [--mappings DIR]... [--json]

Shows one framework's controls: the id as the standard prints it, our paraphrase (never a
quotation), how binding it is, the dates that matter, the source and our confidence in the
citation, and every check or report property linked to it with coverage and rationale.
<framework> is an id (the newest loaded version, e.g. hipaa) or id@version (e.g. pci-dss@4.0.1).
List the ids with: tlsproof frameworks

  --mappings DIR   also load mapping files from DIR; repeatable
  --json           print the framework and its controls as JSON`;

export async function controlsCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: { mappings: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, CONTROLS_HELP);
  if (values.help) {
    io.stdout(`${CONTROLS_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    throw new ReportError('usage', { found: positionals.length }, MSG.controlsNeedsOne(positionals.length, CONTROLS_HELP));
  }
  const mappings = loadCatalogue(values.mappings, io);
  const view = frameworkView(mappings, resolveFramework(mappings.frameworks, positionals[0]!, 'tlsproof controls'));
  if (values.json) {
    io.stdout(jsonText(view));
    return EXIT_OK;
  }
  const fw = view.framework;
  const out: string[] = [
    `${fw.title} — ${fw.ref} (${fw.versionDate})`,
    wrap(`Document: ${fw.document}`, ''),
    `Source: ${fw.sourceUrl} (read ${fw.retrieved})${fw.builtIn ? '' : `; mapping file ${fw.path}`}`,
    wrap(`Applies to: ${fw.appliesTo}`, ''),
    `Relevance: ${RELEVANCE_TEXT[fw.relevance]}`,
    `${fw.controls} control${fw.controls === 1 ? '' : 's'}; paraphrases are ours, not quotations.`,
  ];
  for (const c of view.controls) {
    const tags = [c.obligation, `confidence ${c.confidence}`, c.unconfirmed ? 'UNCONFIRMED citation' : null].filter((t) => t !== null);
    out.push('', `${c.id}  ${c.title}  [${tags.join('; ')}]`);
    for (const a of c.aliases) out.push(`  ${a.text}`);
    out.push(wrap(c.paraphrase, '  '));
    if (c.effective !== null) out.push(wrap(`Effective: ${c.effective}`, '  '));
    if (c.source !== null) out.push(wrap(`Source: ${c.source}`, '  '));
    const checkLinks = c.links.filter((l) => l.kind === 'check');
    const propertyLinks = c.links.filter((l) => l.kind === 'property');
    if (checkLinks.length > 0) out.push(OUT.checksHeading(), ...checkLinks.map(linkText));
    if (propertyLinks.length > 0) out.push(OUT.propertiesHeading(), ...propertyLinks.map(linkText));
  }
  io.stdout(`${out.join('\n')}\n`);
  return EXIT_OK;
}

const RELEVANCE_TEXT = {
  direct: 'direct (requires protection of data in transit)',
  supporting: 'supporting (TLS results support other controls; not key controls)',
  evidence: 'evidence (governs the report itself: dated, hashed, complete, retained; no TLS checks)',
} as const;

/**
 * `    tls-not-offered (partial; our reading; only smtp; grading opportunistic-starttls): rationale`.
 * An interpretation's rationale opens with "Our reading:" (a mapping convention); the tag already
 * says so, so the prefix is dropped rather than said twice.
 */
export function linkText(l: LinkView): string {
  const tags = [l.coverage, l.interpretation ? 'our reading' : null, l.services ? `only ${l.services.join('/')}` : null,
    l.grading ? `grading ${l.grading}` : null].filter((t) => t !== null);
  const rationale = l.interpretation ? l.rationale.replace(/^Our reading:\s*/, '') : l.rationale;
  return wrap(`${l.id} (${tags.join('; ')}): ${rationale}`, '    ');
}
