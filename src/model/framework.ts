/**
 * The mapping file format (`mappings/<framework-id>/<version>.yaml`): a framework, its controls,
 * and for each control the checks that give evidence for it. One definition serves the loader
 * (zod strictObject: an unknown key is an error) and the published JSON Schema.
 */
import { z } from 'zod';
import { CHECK_IDS } from '../checks/ids.js';

export const MAPPING_FORMAT = 'tlsproof-mapping/v1' as const;

export const CheckLinkSchema = z.strictObject({
  check: z.enum(CHECK_IDS),
  coverage: z.enum(['full', 'partial']),
  /** One line an auditor can read: why this check is evidence for this control. */
  rationale: z.string().min(10),
});
export type CheckLink = z.infer<typeof CheckLinkSchema>;

export const ControlSchema = z.strictObject({
  /** Exactly as the standard prints it, e.g. "164.312(e)(1)", "4.2.1", "314.4(c)(3)". */
  id: z.string().min(1),
  title: z.string().min(3),
  /** Our own words, never a quotation. */
  paraphrase: z.string().min(10),
  /** required / addressable / standard / shall / should… as the framework classifies it. */
  obligation: z.string().optional(),
  /** Dates that matter for this control, e.g. when a future-dated requirement became mandatory. */
  effective: z.string().optional(),
  /** Section or paragraph of the source document the citation was checked against. */
  source: z.string().optional(),
  confidence: z.enum(['high', 'medium', 'low']),
  /** True when the link between the checks and this control is our reading, not the text. */
  interpretation: z.boolean().default(false),
  checks: z.array(CheckLinkSchema),
});
export type Control = z.infer<typeof ControlSchema>;

export const FrameworkSchema = z.strictObject({
  /** Must equal the folder name. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Must equal the file name (without .yaml). */
  version: z.string().min(1),
  title: z.string().min(3),
  /** Document cited, e.g. "45 CFR Part 164, Subpart C". */
  document: z.string().min(3),
  sourceUrl: z.string().url(),
  /** When the source text was read (yyyy-mm-dd). */
  retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Who this framework applies to, said once for the report. */
  appliesTo: z.string().min(10),
  /** Sources beyond the shared reference for any citation in this file. */
  notes: z.string().optional(),
});
export type Framework = z.infer<typeof FrameworkSchema>;

export const MappingFileSchema = z.strictObject({
  schema: z.literal(MAPPING_FORMAT),
  framework: FrameworkSchema,
  controls: z.array(ControlSchema).min(1),
});
export type MappingFile = z.infer<typeof MappingFileSchema>;

/** A loaded framework: the file's content plus where it came from. */
export interface LoadedFramework extends MappingFile {
  readonly path: string;
  readonly builtIn: boolean;
}

/** `mappings/scope.yaml`: which frameworks a domain's data classes bring into scope. */
export const ScopeRulesSchema = z.strictObject({
  schema: z.literal('tlsproof-scope/v1'),
  dataClasses: z.record(z.string(), z.strictObject({
    description: z.string(),
    frameworks: z.array(z.string()).min(1),
  })),
});
export type ScopeRules = z.infer<typeof ScopeRulesSchema>;
