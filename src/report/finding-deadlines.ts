/**
 * Each open finding's first sighting and due date, as the remediation plan holds them. The plan is
 * the one place deadlines are computed (src/history/deadline.ts), so every output that prints a
 * due date — PDF, HTML, CSV, OSCAL — reads it from here and they cannot disagree.
 */
import type { ReportModel } from '../model/report-model.js';

interface FindingDeadline {
  readonly firstSeen: string;
  readonly dueDate: string | null;
}

export function findingDeadlines(model: ReportModel): ReadonlyMap<string, FindingDeadline> {
  const out = new Map<string, FindingDeadline>();
  for (const item of model.remediation) for (const f of item.findings) out.set(f.id, { firstSeen: f.firstSeen, dueDate: f.dueDate });
  return out;
}
