/**
 * Read-only views of the loaded control catalogue for the `frameworks`, `controls` and `explain`
 * commands: plain data (also their `--json` output), built from LoadedMappings without I/O.
 */
import { checkById, checks, isCheckId } from '../checks/index.js';
import type { Service } from '../model/endpoint.js';
import {
  aliasId, aliasText, EVIDENCE_PROPERTIES, EVIDENCE_PROPERTY_IDS, type Control, type EvidencePropertyId, type GradingRule, type LoadedFramework,
  type Coverage, type Relevance,
} from '../model/framework.js';
import type { LoadedMappings } from './load.js';
import { frameworkRef, newestVersions } from './select.js';

interface FrameworkSummary {
  readonly id: string;
  readonly version: string;
  /** `id@version`, what `--frameworks` and `controls` accept. */
  readonly ref: string;
  readonly versionDate: string;
  readonly title: string;
  readonly relevance: Relevance;
  readonly document: string;
  readonly controls: number;
  /** Distinct checks linked from any control. */
  readonly checks: number;
  /** Controls linking report properties. */
  readonly evidenceControls: number;
  readonly unconfirmedControls: number;
  /** The version a report uses when only the id is given. */
  readonly newest: boolean;
  readonly builtIn: boolean;
  readonly path: string;
}

/** Every loaded framework version, in id then date order. */
export function frameworkSummaries(mappings: LoadedMappings): FrameworkSummary[] {
  const newest = new Set(newestVersions(mappings.frameworks));
  return mappings.frameworks.map((fw) => ({
    id: fw.framework.id, version: fw.framework.version, ref: frameworkRef(fw), versionDate: fw.framework.versionDate,
    title: fw.framework.title, relevance: fw.framework.relevance, document: fw.framework.document,
    controls: fw.controls.length,
    checks: new Set(fw.controls.flatMap((c) => c.checks.map((l) => l.check))).size,
    evidenceControls: fw.controls.filter((c) => c.evidence.length > 0).length,
    unconfirmedControls: fw.controls.filter((c) => c.unconfirmed).length,
    newest: newest.has(fw), builtIn: fw.builtIn, path: fw.path,
  }));
}

export interface LinkView {
  /** A check id or a report property id. */
  readonly id: string;
  readonly kind: 'check' | 'property';
  readonly title: string;
  readonly coverage: Coverage;
  readonly rationale: string;
  readonly interpretation: boolean;
  /** Only findings on these services count; null = all. */
  readonly services: readonly Service[] | null;
  /** Grading rule that softens a failure of this link on its services; null = none. */
  readonly grading: string | null;
}

interface ControlView {
  readonly id: string;
  /** Each other id with how it reads, e.g. "formerly NASD Rule 3010 (superseded by FINRA 3110)". */
  readonly aliases: readonly { readonly id: string; readonly text: string }[];
  readonly title: string;
  readonly paraphrase: string;
  readonly obligation: string | null;
  readonly effective: string | null;
  readonly source: string | null;
  readonly confidence: 'high' | 'medium' | 'low';
  readonly unconfirmed: boolean;
  readonly links: readonly LinkView[];
}

interface FrameworkView {
  readonly framework: FrameworkSummary & { readonly sourceUrl: string; readonly retrieved: string; readonly appliesTo: string; readonly notes: string | null };
  readonly controls: readonly ControlView[];
}

/** One framework version with every control and its links. */
export function frameworkView(mappings: LoadedMappings, fw: LoadedFramework): FrameworkView {
  const summary = frameworkSummaries(mappings).find((s) => s.ref === frameworkRef(fw) && s.path === fw.path)!;
  return {
    framework: { ...summary, sourceUrl: fw.framework.sourceUrl, retrieved: fw.framework.retrieved, appliesTo: fw.framework.appliesTo, notes: fw.framework.notes ?? null },
    controls: fw.controls.map(controlView),
  };
}

function controlView(c: Control): ControlView {
  return {
    id: c.id, aliases: (c.aliases ?? []).map((a) => ({ id: aliasId(a), text: aliasText(a) })), title: c.title, paraphrase: c.paraphrase, obligation: c.obligation ?? null,
    effective: c.effective ?? null, source: c.source ?? null, confidence: c.confidence, unconfirmed: c.unconfirmed,
    links: [
      ...c.checks.map((l): LinkView => ({
        id: l.check, kind: 'check', title: checkById(l.check).meta.title, coverage: l.coverage, rationale: l.rationale,
        interpretation: l.interpretation, services: l.services ?? null, grading: l.grading ?? null,
      })),
      ...c.evidence.map((l): LinkView => ({
        id: l.property, kind: 'property', title: EVIDENCE_PROPERTIES[l.property].title, coverage: l.coverage, rationale: l.rationale,
        interpretation: l.interpretation, services: null, grading: null,
      })),
    ],
  };
}

interface ExplainedControl {
  readonly framework: { readonly id: string; readonly version: string; readonly title: string; readonly relevance: Relevance };
  readonly control: Omit<ControlView, 'links'>;
  readonly link: LinkView;
}

interface Explanation {
  readonly id: string;
  readonly kind: 'check' | 'property';
  readonly title: string;
  readonly description: string;
  /** Check metadata; null for a report property. */
  readonly check: { readonly severity: string; readonly category: string; readonly appliesTo: readonly string[] | 'all'; readonly remediation: string } | null;
  /** Why the check counts toward no control (mappings/unmapped.yaml); null when it is mapped. */
  readonly unmappedReason: string | null;
  /** Grading rules this check is subject to on some links. */
  readonly grading: readonly GradingRule[];
  /** Every control that links it, in framework then control order. */
  readonly controls: readonly ExplainedControl[];
}

/** Every id `explain` accepts: check ids and report property ids. */
export function explainableIds(): string[] {
  return [...Object.keys(checks), ...EVIDENCE_PROPERTY_IDS];
}

/**
 * Every control in `frameworks` that links `id` (a check or a report property), with the rationale
 * of each link. Returns undefined for an id that is neither.
 */
export function explain(mappings: LoadedMappings, frameworks: readonly LoadedFramework[], id: string): Explanation | undefined {
  const isProperty = (EVIDENCE_PROPERTY_IDS as readonly string[]).includes(id);
  if (!isCheckId(id) && !isProperty) return undefined;
  const controls: ExplainedControl[] = [];
  for (const fw of frameworks) {
    for (const c of fw.controls) {
      const { links, ...control } = controlView(c);
      const link = links.find((l) => l.id === id);
      if (link === undefined) continue;
      controls.push({
        framework: { id: fw.framework.id, version: fw.framework.version, title: fw.framework.title, relevance: fw.framework.relevance },
        control, link,
      });
    }
  }
  const rules = new Set(controls.map((c) => c.link.grading).filter((g): g is string => g !== null));
  if (isCheckId(id)) {
    const { meta } = checks[id];
    return {
      id, kind: 'check', title: meta.title, description: meta.description,
      check: { severity: meta.severity, category: meta.category, appliesTo: meta.appliesTo, remediation: meta.remediation },
      unmappedReason: mappings.unmapped.find((u) => u.check === id)?.reason ?? null,
      grading: mappings.grading.filter((r) => rules.has(r.id)),
      controls,
    };
  }
  const property = EVIDENCE_PROPERTIES[id as EvidencePropertyId];
  return { id, kind: 'property', title: property.title, description: property.description, check: null, unmappedReason: null, grading: [], controls };
}
