/**
 * What the report's filters match. report.js reads these values from `data-` attributes, so what
 * a filter matches is decided here, where it can be tested, and the page without JavaScript still
 * carries every row.
 */
import type { ControlResult, EndpointSummary, ReportFinding, ReportModel } from '../../model/report-model.js';
import { SEVERITY_ORDER } from './labels.js';
import { findingsByIds, modelIndex } from './lookups.js';

/**
 * The frameworks a check result bears on, space-separated: those of the controls it is behind,
 * plus each framework of its endpoint's scope whose controls link the check (a passing or
 * untested check is behind no control's status, yet it is evidence for those controls).
 */
export function checkFrameworks(model: ReportModel, finding: ReportFinding): string {
  const index = modelIndex(model);
  const ids = new Set(finding.controls.map((c) => c.frameworkId));
  for (const fw of index.endpoints.get(finding.endpointKey)?.frameworks ?? []) {
    if (index.checksByFramework.get(fw)?.has(finding.checkId) === true) ids.add(fw);
  }
  return model.frameworks.map((f) => f.id).filter((id) => ids.has(id)).join(' ');
}

/** The distinct severities of a control's failing and warning findings, space-separated, worst first. */
export function controlSeverities(model: ReportModel, control: ControlResult): string {
  const found = new Set(findingsByIds(model, control.findingIds).map((f) => f.severity));
  return SEVERITY_ORDER.filter((s) => found.has(s)).join(' ');
}

/** Every domain the report names (domain-list rows and the domains endpoints were tied to), sorted. */
export function reportDomains(model: ReportModel): string[] {
  const all = new Set([...model.scope.assets.map((a) => a.domain), ...model.scope.endpoints.flatMap((e) => e.attribution.map((a) => a.domain))]);
  return [...all].sort();
}

/** An endpoint's domains, space-separated, for its `data-domains` filter attribute (empty when unlisted). */
export function endpointDomains(endpoint: EndpointSummary): string {
  return [...new Set(endpoint.attribution.map((a) => a.domain))].join(' ');
}
