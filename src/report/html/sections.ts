/**
 * The registration point for the HTML report's partials.
 *
 * A report section is registered in three places, one job each: its id in SECTION_IDS
 * (config/schema.ts: the order sections print in, and what report.config.yaml `sections` may
 * name), its heading in SECTION_TITLES (report/config.ts: the contents list), and its partial
 * here. report.hbs then draws every configured section in order (`{{> (lookup . "partial") @root}}`
 * inside `<main>`); it needs no edit. The partial file is `templates/html/partials/<name>.hbs` and
 * must open with `<section class="major" id="<section id>">` so the contents link reaches it and
 * print starts it on a new page. A partial that is a piece of a section (a table, a line in the
 * report identity) is not a section: add its name to PIECE_PARTIALS and include it with
 * `{{> name}}` from the section that shows it.
 */
import type { SectionId } from '../../config/schema.js';

/** The partial that draws each report section. */
export const SECTION_PARTIALS = {
  summary: 'summary', history: 'history', scope: 'scope', context: 'scan-context', frameworks: 'frameworks-section', endpoints: 'endpoints-section',
  senders: 'senders', remediation: 'remediation', problems: 'problems', methodology: 'methodology', signoff: 'signoff',
  'accepted-risks': 'accepted-risks', 'exception-register': 'exception-register',
} as const satisfies Record<SectionId, string>;

/** Partials that are not sections: the page frame (cover, filters) and pieces sections repeat. */
const PIECE_PARTIALS = ['cover', 'filters', 'framework', 'control', 'endpoint', 'finding', 'accepted-findings', 'exception-list'] as const;

type PartialName = (typeof PIECE_PARTIALS)[number] | (typeof SECTION_PARTIALS)[SectionId];

/** Every partial report.hbs may use, each a file `partials/<name>.hbs`. */
export const PARTIAL_NAMES: readonly PartialName[] = [...PIECE_PARTIALS, ...Object.values(SECTION_PARTIALS)];
