/**
 * What both renderers take from a ReportConfig: the model with the configured organisation and
 * title, the sections in order, the text blocks rendered over the model, the sign-off people and
 * remediation deadlines. Kept in one place so the HTML and the PDF cannot drift apart.
 */
import Handlebars from 'handlebars';
import { EMPTY_CONFIG } from '../config/load.js';
import {
  SECTION_IDS, SIGN_OFF_ROLES, type ReportConfig, type SectionId, type SignOffRole, type TextBlockId,
} from '../config/schema.js';
import { ReportError } from '../errors.js';
import { REPORT } from './messages.js';
import type { ReportModel } from '../model/report-model.js';
import { registerHelpers } from './html/helpers.js';
import { hasExceptions } from './exceptions-text.js';

export const SECTION_TITLES: Readonly<Record<SectionId, string>> = {
  summary: 'Summary',
  history: 'Changes since the previous period',
  scope: 'Scope',
  context: 'Scan context and limitations',
  frameworks: 'Framework results',
  endpoints: 'Endpoint details',
  senders: 'What sending servers saw',
  remediation: 'Remediation plan',
  'accepted-risks': 'Accepted risks',
  problems: 'Input problems',
  methodology: 'Methodology and integrity',
  'exception-register': 'Exception register',
  signoff: 'Sign-off',
};

const SIGN_OFF_LABELS: Readonly<Record<SignOffRole, string>> = {
  preparedBy: 'Prepared by',
  reviewedBy: 'Reviewed by',
  approvedBy: 'Approved by',
};

export function configOrDefault(config: ReportConfig | undefined): ReportConfig {
  return config ?? EMPTY_CONFIG;
}

/** `model` with the configured organisation and title; the same object when neither is set. */
export function applyConfig(model: ReportModel, config: ReportConfig): ReportModel {
  if (config.organisation === undefined && config.title === undefined) return model;
  return {
    ...model,
    report: {
      ...model.report,
      organisation: config.organisation ?? model.report.organisation,
      title: config.title ?? model.report.title,
    },
  };
}

/**
 * The sections to draw, in order. Without a `sections` list: every section, with the sign-off
 * page only when the config names someone or has a closing text (a report without a config
 * looks as it always did). `history` is dropped when the model has none, the accepted risks and
 * the exception register when the report applied no exceptions file.
 */
export function sectionsFor(model: ReportModel, config: ReportConfig): SectionId[] {
  const wantsSignOff = Object.keys(config.signOff).length > 0 || config.text.closing !== undefined;
  const list = config.sections ?? SECTION_IDS.filter((s) => s !== 'signoff' || wantsSignOff);
  return list.filter((s) => hasContent(model, s));
}

/** Whether the model has anything for section `s`: history, sender reports and exceptions are optional. */
function hasContent(model: ReportModel, s: SectionId): boolean {
  if (s === 'history') return model.history != null;
  if (s === 'senders') return model.senderReports != null;
  if (s === 'accepted-risks' || s === 'exception-register') return hasExceptions(model);
  return true;
}

/**
 * Sections the configuration's `sections` list leaves out, in default order, so the report can
 * say what it does not contain (a dropped problems appendix must not look like a clean input).
 * A section the model has nothing for (no earlier run, no sender reports, no exceptions file) is
 * not the configuration's doing and is not listed.
 */
function omittedSections(model: ReportModel, config: ReportConfig): SectionId[] {
  const listed = config.sections;
  if (listed === undefined) return [];
  return SECTION_IDS.filter((s) => !listed.includes(s) && hasContent(model, s));
}

/** "Left out by the report configuration: Input problems, Methodology and integrity."; null when nothing is. */
export function omittedSectionsLine(model: ReportModel, config: ReportConfig): string | null {
  const omitted = omittedSections(model, config);
  if (omitted.length === 0) return null;
  return `Not in this report: ${omitted.map((s) => SECTION_TITLES[s]).join(', ')}. The sections list of the report configuration left `
    + `${omitted.length === 1 ? 'it' : 'them'} out; the evidence behind ${omitted.length === 1 ? 'it' : 'them'} was still read.`;
}

const textInstance = (() => {
  const hb = Handlebars.create();
  registerHelpers(hb, { css: '', script: '', scriptHash: '' });
  return hb;
})();

const compiled = new Map<string, Handlebars.TemplateDelegate<ReportModel>>();

/**
 * A text block rendered over the model as plain text (the HTML renderer escapes it; the PDF
 * draws it as is), or undefined when the config has none. Strict: a misspelt field fails with
 * the config file and the block's key.
 */
export function renderTextBlock(model: ReportModel, config: ReportConfig, id: TextBlockId): string | undefined {
  const source = config.text[id];
  if (source === undefined) return undefined;
  let tpl = compiled.get(source);
  if (tpl === undefined) {
    // noEscape: the result is plain text, not HTML; the HTML renderer escapes it when inlining.
    tpl = textInstance.compile<ReportModel>(source, { strict: true, noEscape: true });
    compiled.set(source, tpl);
  }
  try {
    return tpl(model).trim();
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const reason = raw.replace(/ not defined in \[object Object\]/, ' is not a field of the ReportModel');
    throw new ReportError('template-error', { file: config.source, path: `text.${id}` },
      REPORT.configText(config.source, id, reason), { cause: err });
  }
}

/** Paragraphs of a text block: separated by blank lines. */
export function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter((p) => p.length > 0);
}

export interface SignOffRow { readonly label: string; readonly name: string; readonly role: string }

/** The three sign-off rows; names and roles empty where the config leaves them open (to fill in by hand). */
export function signOffRows(config: ReportConfig): SignOffRow[] {
  return SIGN_OFF_ROLES.map((r) => ({ label: SIGN_OFF_LABELS[r], name: config.signOff[r]?.name ?? '', role: config.signOff[r]?.role ?? '' }));
}
