/**
 * The CSV export: findings (one row per finding) and controls (one row per framework control),
 * for GRC tools and spreadsheets. Two files, so each has one kind of row and a fixed header.
 */
import type { ControlStatus, ReportModel } from '../../model/report-model.js';
import { findingDeadlines } from '../finding-deadlines.js';
import { csvBytes, type Cell } from './write.js';

interface CsvFiles {
  readonly findings: Uint8Array;
  readonly controls: Uint8Array;
}

export const FINDINGS_HEADER = [
  'report_id', 'finding_id', 'endpoint', 'host', 'ip', 'port', 'service', 'domains', 'owner', 'check_id', 'check_title',
  'status', 'severity', 'message', 'observed_at', 'first_seen', 'deadline', 'controls', 'evidence_files',
  'exception_id', 'exception_expires', 'exception_state',
] as const;

export const CONTROLS_HEADER = [
  'report_id', 'framework_id', 'framework_version', 'framework_title', 'control_id', 'control_title', 'status', 'status_label',
  'status_reason', 'findings_fail', 'findings_warn', 'findings_pass', 'findings_not_tested', 'findings_error', 'endpoints_assessed', 'interpretation',
  'accepted_from', 'exception_ids',
] as const;

/** Every control status in words; a status added to ControlStatus fails to compile here until it has its label. */
function controlStatusLabel(status: ControlStatus): string {
  switch (status) {
    case 'fail': return 'Fail';
    case 'warn': return 'Warning';
    case 'risk-accepted': return 'Risk accepted (not met)';
    case 'pass': return 'Pass';
    case 'not-assessed': return 'Not assessed';
    case 'evidence': return 'Evidence supplied';
    case 'not-graded': return 'Not graded';
    default: {
      const unhandled: never = status;
      return unhandled;
    }
  }
}

export function renderCsv(model: ReportModel): CsvFiles {
  const endpoints = new Map(model.scope.endpoints.map((e) => [e.key, e]));
  const domainsOf = (key: string): string[] => model.scope.assets.filter((a) => a.endpointKeys.includes(key)).map((a) => a.domain);
  const ownersOf = (key: string): string[] => [...new Set(model.scope.assets.filter((a) => a.endpointKeys.includes(key)).map((a) => a.owner).filter(Boolean))];
  // First sighting and due date as the remediation plan gives them (from the store's history when there is one).
  const deadlines = findingDeadlines(model);
  const findings: Cell[][] = model.findings.map((f) => {
    const ep = endpoints.get(f.endpointKey);
    const open = f.status === 'fail' || f.status === 'warn';
    const seen = deadlines.get(f.id);
    return [
      model.report.id, f.id, ep?.label ?? f.endpointKey, f.endpoint.host, f.endpoint.ip ?? null, f.endpoint.port, f.endpoint.service,
      domainsOf(f.endpointKey).join('; ') || (ep?.asset ?? null), ownersOf(f.endpointKey).join('; ') || null, f.checkId, f.title,
      f.status, f.severity, f.message, ep?.observedAt ?? null, seen?.firstSeen ?? null,
      open ? seen?.dueDate ?? null : null,
      f.controls.map((c) => `${c.frameworkId} ${c.controlId}`).join('; '),
      [...new Set(f.evidence.map((e) => e.source.line === undefined ? e.source.file : `${e.source.file}:${e.source.line}`))].join('; '),
      // An accepted risk (state active or expiring-soon) or, once its exception expired, an open finding (state expired).
      f.acceptance?.exceptionId ?? f.lapsedException?.exceptionId ?? null,
      f.acceptance?.expires ?? f.lapsedException?.expiredOn ?? null,
      f.acceptance?.state ?? (f.lapsedException !== undefined ? 'expired' : null),
    ];
  });
  const controls: Cell[][] = model.frameworks.flatMap((fw) => fw.controls.map((c): Cell[] => [
    model.report.id, fw.id, fw.version, fw.title, c.id, c.title, c.status, controlStatusLabel(c.status), c.statusReason,
    c.counts.fail, c.counts.warn, c.counts.pass, c.counts['not-tested'], c.counts.error, c.endpointsAssessed, c.interpretation ? 'yes' : 'no',
    c.acceptedFrom, c.exceptionIds.join('; ') || null,
  ]));
  return { findings: csvBytes(FINDINGS_HEADER, findings), controls: csvBytes(CONTROLS_HEADER, controls) };
}
