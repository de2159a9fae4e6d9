/**
 * What templates see as `@config`, beside the ReportModel they render: the report configuration
 * turned into values a template can print or test. Templates are compiled strict, so a template
 * that names a field this view lacks fails with the file and line; CONFIG_VIEW_FIELDS describes
 * each field for template authors (the README's template section lists the same names, and a test
 * keeps the shipped templates, the README and this type in step).
 */
import Handlebars from 'handlebars';
import type { ReportModel } from '../../model/report-model.js';
import type { ReportConfig, SectionId, TextBlockId } from '../../config/schema.js';
import { omittedSectionsLine, paragraphs, renderTextBlock, SECTION_TITLES, sectionsFor, signOffRows, type SignOffRow } from '../config.js';
import { SECTION_PARTIALS } from './sections.js';

export interface TemplateConfigView {
  /** The sections to render, in the configured order: id, heading, the partial that renders it. */
  readonly sections: readonly { readonly id: SectionId; readonly title: string; readonly partial: string; readonly listsFrameworks: boolean }[];
  /** "Not in this report: …" naming the sections the configuration left out, or null. */
  readonly omittedSections: string | null;
  /** Whether endpoint details (and so endpoint and finding anchors) are rendered. */
  readonly endpointsShown: boolean;
  /** Whether framework results (and so control anchors) are rendered. */
  readonly frameworksShown: boolean;
  /** The classification marking as configured, or null. */
  readonly classification: string | null;
  /** The logo as a data: URL, or null. */
  readonly logo: string | null;
  /** A <style> element with the configured font, colours and print margin boxes, or ''. */
  readonly style: Handlebars.SafeString | '';
  /** The configured text blocks, rendered and escaped ('' when not configured). */
  readonly text: { readonly [K in TextBlockId]: Handlebars.SafeString | '' };
  /** The three sign-off rows (names and roles empty where the config leaves them open). */
  readonly signOff: readonly SignOffRow[];
}

/** One line per field of TemplateConfigView, for template authors and the strict-mode error. */
export const CONFIG_VIEW_FIELDS: { readonly [K in keyof TemplateConfigView]: string } = {
  sections: 'the sections to render, in order ({{#each @config.sections}} id, title, partial)',
  omittedSections: 'the sentence naming sections the configuration left out, or null',
  endpointsShown: 'true when endpoint details are rendered (endpoint and finding anchors exist)',
  frameworksShown: 'true when framework results are rendered (control anchors exist)',
  classification: 'the classification marking, or null',
  logo: 'the logo as a data: URL, or null',
  style: 'a <style> element with the configured font, colours and print header/footer, or empty',
  text: 'the text blocks introduction, scope and closing, rendered and escaped',
  signOff: 'the sign-off rows: label, name, role',
};

/** report.css's default --sans stack, kept after a configured family. */
const DEFAULT_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Noto Sans CJK JP", "Liberation Sans", sans-serif';

/**
 * `text` as a CSS string, escaped character by character, so no quote, backslash or "</style"
 * from a title or label can leave the string.
 */
function cssString(text: string): string {
  return `"${[...text].map((ch) => (/[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch.codePointAt(0)?.toString(16) ?? '20'} `)).join('')}"`;
}

export function configView(model: ReportModel, config: ReportConfig): TemplateConfigView {
  const block = (id: TextBlockId): Handlebars.SafeString | '' => {
    const text = renderTextBlock(model, config, id);
    if (text === undefined) return '';
    const ps = paragraphs(text).map((p) => `<p>${Handlebars.escapeExpression(p)}</p>`).join('');
    return new Handlebars.SafeString(`<div class="text-block text-${id}">${ps}</div>`);
  };
  const vars = [
    // family is validated to letters, digits, spaces, - and _: safe inside the quotes.
    config.font.family === undefined ? '' : `--sans: "${config.font.family}", ${DEFAULT_SANS};`,
    config.colours.accent === undefined ? '' : `--accent: ${config.colours.accent};`,
    config.colours.accentInk === undefined ? '' : `--accent-ink: ${config.colours.accentInk};`,
  ].join('');
  // Running head and foot of every printed page, in the page's margin boxes (Chromium 131 and
  // later, the browser the report is tested in, prints them; a browser without margin-box support
  // prints the pages without them, the classification banner still on the first). A
  // classification gets the whole width of the top and bottom margins, with title and page
  // number on a second line, so it is never squeezed into a third of the page and wrapped.
  const box = (name: string, parts: readonly string[], font: string): string =>
    `@${name} { content: ${parts.join(' ')}; font: ${font}; color: #3e4c59; white-space: pre-wrap; }`;
  const marking = config.classification?.toUpperCase();
  const r = model.report;
  const pageNo = '"Page " counter(page) " of " counter(pages)';
  const id = `Report ${r.id} · ${model.tool.name} ${model.tool.version}`;
  // The period names which report a loose page belongs to, beside the organisation.
  const orgPeriod = r.period === null ? r.organisation : `${r.organisation} · ${r.period.label}`;
  const margins = marking === undefined
    ? [box('top-left', [cssString(r.title)], '8pt sans-serif'), box('top-right', [cssString(orgPeriod)], '8pt sans-serif'),
      box('bottom-left', [cssString(id)], '7.5pt sans-serif'), box('bottom-right', [pageNo], '700 7.5pt sans-serif')]
    : [box('top-center', [cssString(`${marking}\n${r.title} · ${orgPeriod}`)], '700 7.5pt sans-serif'),
      box('bottom-center', [cssString(`${id} · `), pageNo, cssString(`\n${marking}`)], '700 7.5pt sans-serif')];
  const pageLabel = ` @media print { @page { ${margins.join(' ')} } }`;
  const logo = config.logo === undefined ? null
    : `data:${config.logo.mime};base64,${Buffer.from(config.logo.bytes).toString('base64')}`;
  const sections = sectionsFor(model, config);
  return {
    sections: sections.map((id) => ({ id, title: SECTION_TITLES[id], partial: SECTION_PARTIALS[id], listsFrameworks: id === 'frameworks' })),
    omittedSections: omittedSectionsLine(model, config),
    // Endpoint and finding anchors exist only when the endpoint details are rendered, control
    // anchors only with the framework results; links to them from other sections are drawn only
    // then, so a config that leaves a section out leaves no dead link.
    endpointsShown: sections.includes('endpoints'),
    frameworksShown: sections.includes('frameworks'),
    classification: config.classification ?? null,
    logo,
    style: vars === '' && pageLabel === '' ? '' : new Handlebars.SafeString(`<style>${vars === '' ? '' : `:root { ${vars} }`}${pageLabel}</style>`),
    text: { introduction: block('introduction'), scope: block('scope'), closing: block('closing') },
    signOff: signOffRows(config),
  };
}
