/**
 * Layout constants for the PDF report: page geometry, type scale, colours and the status and
 * severity palettes. Sections read these instead of hard-coding numbers, so the look of the whole
 * document changes in one place.
 */
import { CONTROL_STATUSES, type ControlStatus } from '../../model/report-model.js';
import type { FindingStatus, Severity } from '../../model/finding.js';

/** A4 in PostScript points (72 per inch). */
export const PAGE = { size: 'A4', width: 595.28, height: 841.89 } as const;

/** Body margins; the header and footer live inside the top and bottom margins. */
export const MARGIN = { top: 70, bottom: 62, left: 56, right: 56 } as const;

export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** Baselines of the running header and footer, measured from the page edge. */
export const RUNNING = {
  headerY: 34, footerY: PAGE.height - 42, size: 7.5, ruleGap: 5,
  /** Footer lines (a wrapped footer, the classification marking) are this far apart. */
  lineStep: 9.5,
  /** A long classification marking shrinks down to this size before it wraps. */
  minSize: 6,
} as const;

export type FontKey = 'regular' | 'bold' | 'mono';

/** File names under assets/fonts/; DejaVu covers Latin, Greek and Cyrillic, not CJK. */
export const FONT_FILES: Readonly<Record<FontKey, string>> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
};

export const TYPE = {
  body: 9,
  small: 7.4,
  table: 7.6,
  tableHeader: 7.4,
  mono: 7,
  h1: 17,
  h2: 12.5,
  h3: 10,
  coverTitle: 26,
  coverSub: 13,
  /** Extra leading between lines of body text; pdfkit's default (0) is too tight for audit prose. */
  lineGap: 1.6,
} as const;

/** Vertical rhythm. */
export const SPACE = {
  paragraph: 6,
  afterH1: 10,
  /** Above a level-1 heading that continues a page (appendices run on). */
  beforeH1: 24,
  afterH2: 6,
  afterH3: 4,
  beforeH2: 14,
  beforeH3: 10,
  afterTable: 10,
  /** A heading must have room for itself plus this much of what follows (about four body lines). */
  keepWithNext: 48,
} as const;

export const COLOR = {
  ink: '#1f2933',
  muted: '#5b6675',
  faint: '#8a94a3',
  rule: '#cfd6df',
  ruleStrong: '#8d99a8',
  zebra: '#f5f7fa',
  headerFill: '#e6ebf1',
  accent: '#1d4e89',
  accentLight: '#e9f0f8',
  codeFill: '#f3f4f6',
  link: '#1d4e89',
} as const;

/** Table cell padding. */
export const CELL = { padX: 4.5, padY: 3.2, runGap: 1.8 } as const;

export interface Label {
  readonly text: string;
  readonly color: string;
}

/**
 * Control statuses, named for auditors. "not assessed" is spelled out: it means no mapped evidence,
 * not a pass; "evidence supplied" means the report informs the control without grading it.
 */
export const CONTROL_STATUS_LABEL: Readonly<Record<ControlStatus, Label>> = {
  fail: { text: 'FAIL', color: '#b42318' },
  warn: { text: 'WARN', color: '#a15c07' },
  'risk-accepted': { text: 'RISK ACCEPTED', color: '#8a3b12' },
  pass: { text: 'PASS', color: '#067647' },
  evidence: { text: 'EVIDENCE SUPPLIED', color: '#1c4b82' },
  'not-assessed': { text: 'NOT ASSESSED', color: '#5b6675' },
  'not-graded': { text: 'NOT GRADED', color: '#8a94a3' },
};

/** Every control status, in the order tables and bars show them. */
export const CONTROL_STATUS_ORDER: readonly ControlStatus[] = CONTROL_STATUSES;

/**
 * The status columns a report's tables print: "risk accepted" only when the report applied an
 * exceptions file or some control carries that status. Without one the column is always zero and
 * only squeezes the others (their headings then break mid-word).
 */
export function controlStatusesShown(model: { readonly exceptions?: { readonly source: unknown } | undefined; readonly summary: { readonly frameworks: readonly { readonly counts: Readonly<Record<ControlStatus, number>> }[] } }): readonly ControlStatus[] {
  const used = (model.exceptions?.source ?? null) !== null || model.summary.frameworks.some((f) => f.counts['risk-accepted'] > 0);
  return used ? CONTROL_STATUS_ORDER : CONTROL_STATUS_ORDER.filter((s) => s !== 'risk-accepted');
}

export const FINDING_STATUS_LABEL: Readonly<Record<FindingStatus, Label>> = {
  fail: { text: 'FAIL', color: '#b42318' },
  warn: { text: 'WARN', color: '#a15c07' },
  pass: { text: 'PASS', color: '#067647' },
  'not-tested': { text: 'NOT TESTED', color: '#5b6675' },
  error: { text: 'ERROR', color: '#6941c6' },
};

export const SEVERITY_LABEL: Readonly<Record<Severity, Label>> = {
  critical: { text: 'CRITICAL', color: '#7a0916' },
  high: { text: 'HIGH', color: '#b42318' },
  medium: { text: 'MEDIUM', color: '#a15c07' },
  low: { text: 'LOW', color: '#1d4e89' },
  info: { text: 'INFO', color: '#5b6675' },
};

/**
 * Bookmarks: endpoints are listed one by one up to this many; beyond it they are grouped in
 * blocks of OUTLINE_GROUP_SIZE so the bookmark panel stays usable with thousands of endpoints
 * while every endpoint is still reachable in two clicks.
 */
export const OUTLINE_FLAT_LIMIT = 100;
export const OUTLINE_GROUP_SIZE = 100;

/** The remediation plan names this many affected endpoints per item, then counts the rest. */
export const REMEDIATION_ENDPOINTS_SHOWN = 8;
