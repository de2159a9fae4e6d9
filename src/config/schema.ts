/**
 * report.config.yaml: branding and presentation choices a compliance team owns (organisation,
 * logo, colours, classification, which sections appear and in what order, text blocks, sign-off
 * people, remediation deadlines). One file drives both the HTML and the PDF renderer.
 *
 * Keys are camelCase like the TypeScript fields; every object is strict, so a misspelt key is an
 * error rather than a silently ignored setting.
 */
import { z } from 'zod';
import { monthNumber } from '../model/period.js';
import { VANTAGE_NETWORKS } from '../model/report-model.js';

export const CONFIG_SCHEMA_ID = 'tlsproof-report-config/v1' as const;

/**
 * Report sections in their default order. `history` only appears (HTML and PDF) when the model has
 * history, `senders` (TLS-RPT: what sending servers saw) only when it has sender reports;
 * `accepted-risks` and `exception-register` only when the report applied an exceptions file.
 */
export const SECTION_IDS = [
  'summary', 'history', 'scope', 'context', 'frameworks', 'endpoints', 'senders', 'remediation', 'accepted-risks', 'problems', 'methodology',
  'exception-register', 'signoff',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export const TEXT_BLOCK_IDS = ['introduction', 'scope', 'closing'] as const;
export type TextBlockId = (typeof TEXT_BLOCK_IDS)[number];

export const SIGN_OFF_ROLES = ['preparedBy', 'reviewedBy', 'approvedBy'] as const;
export type SignOffRole = (typeof SIGN_OFF_ROLES)[number];

const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written as #rrggbb, e.g. "#1f4e79"');
const Text = z.string().trim().min(1, 'must not be empty');
/** A signatory: a role alone prints a blank name line to sign by hand. */
const Person = z.strictObject({ name: Text.optional(), role: Text.optional() })
  .refine((p) => p.name !== undefined || p.role !== undefined, 'give a name, a role or both (leave the person out for blank lines)');

export const ReportConfigFileSchema = z.strictObject({
  /** Version of this file format. */
  schema: z.literal(CONFIG_SCHEMA_ID).optional(),
  organisation: Text.optional(),
  /** Report title shown on the cover and in headers. */
  title: Text.optional(),
  /** PNG, JPEG or SVG file, relative to the config file. */
  logo: Text.optional(),
  colours: z.strictObject({
    /** Headings, cover band, links. */
    accent: Colour.optional(),
    /** Text on the accent colour and darker accents. */
    accentInk: Colour.optional(),
  }).optional(),
  /**
   * Fonts. PDF: TrueType/OpenType files (relative to this file) embedded instead of the bundled
   * DejaVu, e.g. a CJK font for CJK organisation or host names. HTML: `family` is put first in
   * the font stack (the reader's installed font; nothing is downloaded).
   */
  font: z.strictObject({
    regular: Text.optional(),
    bold: Text.optional(),
    mono: Text.optional(),
    /**
     * PDF: font file(s) for characters the fonts above lack (CJK, Hangul…), tried in order.
     * Replaces the search for an installed fallback (fonts-droid-fallback), so output does not
     * depend on what the machine has installed.
     */
    fallback: z.union([Text, z.array(Text).min(1, 'must list at least one font file')]).optional(),
    family: z.string().regex(/^[A-Za-z0-9 _-]{1,60}$/, 'must be a font family name (letters, digits, spaces, - and _)').optional(),
  }).optional(),
  /** e.g. "CONFIDENTIAL": shown on the cover, in every PDF page header and at the top of the HTML page. */
  classification: Text.max(60, 'must be at most 60 characters so it fits the page header').optional(),
  /** HTML template override folder (like --templates), relative to the config file; the PDF does not use templates. */
  templates: Text.optional(),
  sections: z.array(z.enum(SECTION_IDS)).min(1, 'must list at least one section')
    .refine((s) => new Set(s).size === s.length, 'must not list a section twice').optional(),
  /** Handlebars over the ReportModel, e.g. "This report covers {{summary.endpoints}} endpoints." */
  text: z.strictObject({
    introduction: Text.optional(),
    scope: Text.optional(),
    closing: Text.optional(),
  }).optional(),
  signOff: z.strictObject({
    preparedBy: Person.optional(),
    reviewedBy: Person.optional(),
    approvedBy: Person.optional(),
  }).optional(),
  /** The month the fiscal year starts in (1–12 or a name such as October), for FY periods (FY2027, FY2027-Q1). */
  fiscalYearStart: z.union([z.number(), z.string()])
    .refine((v) => monthNumber(v) !== undefined, 'must be a month: 1 to 12 or a month name such as October').optional(),
  /**
   * Where the scans ran from, for the report's scan context: `network` internal (inside the
   * organisation's network), external (from the internet, as a sender sees the servers) or both;
   * `description` in your words (scanning host, network, firewall path).
   */
  vantagePoint: z.strictObject({
    network: z.enum(VANTAGE_NETWORKS).optional(),
    description: Text.max(1000, 'must be at most 1000 characters').optional(),
  }).optional(),
  /** Days from the report date by which a failing item of that severity must be fixed. */
  remediationDeadlines: z.strictObject({
    critical: z.number().int().min(0).optional(),
    high: z.number().int().min(0).optional(),
    medium: z.number().int().min(0).optional(),
    low: z.number().int().min(0).optional(),
    info: z.number().int().min(0).optional(),
  }).optional(),
  /** TLS-RPT reports (what sending servers saw). */
  senderReports: z.strictObject({
    /** Percentage of a day's sessions failing at an MX above which tls-rpt-failure-rate warns (default 5). */
    failureRateThreshold: z.number().min(0).max(100).optional(),
  }).optional(),
  /** The exception register (exceptions.yaml, found next to this file). */
  exceptions: z.strictObject({
    /** Longest an exception may run from approval to expiry, in months. */
    maxMonths: z.number().int().min(1, 'must be at least 1 month').max(36, 'must be at most 36 months: an exception is a time-boxed decision, not a permanent waiver')
      .optional().describe('Longest an exception may run from its approval date to its expiry, in months (default 12).'),
  }).optional(),
});
export type ReportConfigFile = z.infer<typeof ReportConfigFileSchema>;

export type LogoMime = 'image/png' | 'image/jpeg' | 'image/svg+xml';

/** The validated config with files read and paths resolved: what renderers receive. */
export interface ReportConfig {
  /** Where it came from, for error messages ("built-in defaults" when no file was used). */
  readonly source: string;
  readonly organisation?: string;
  readonly title?: string;
  readonly logo?: { readonly file: string; readonly mime: LogoMime; readonly bytes: Uint8Array };
  readonly colours: { readonly accent?: string; readonly accentInk?: string };
  readonly classification?: string;
  /** Absolute paths of the PDF font files (fallbacks in order), and the HTML family name. */
  readonly font: { readonly regular?: string; readonly bold?: string; readonly mono?: string; readonly fallback?: readonly string[]; readonly family?: string };
  readonly templatesDir?: string;
  /** Absent: every section in the default order. */
  readonly sections?: readonly SectionId[];
  readonly text: Partial<Record<TextBlockId, string>>;
  readonly signOff: Partial<Record<SignOffRole, { readonly name?: string; readonly role?: string }>>;
  readonly remediationDeadlines: Partial<Record<'critical' | 'high' | 'medium' | 'low' | 'info', number>>;
  /** 1–12; absent: fiscal years start in January. */
  readonly fiscalYearStartMonth?: number;
  readonly vantagePoint?: VantagePoint;
  /** senderReports.failureRateThreshold (percent); absent: the default. */
  readonly senderFailureRateThreshold?: number;
  /** Longest approval-to-expiry span of an exception; absent: DEFAULT_EXCEPTION_MAX_MONTHS. */
  readonly exceptionMaxMonths?: number;
}

export interface VantagePoint {
  readonly network?: (typeof VANTAGE_NETWORKS)[number];
  readonly description?: string;
}
