/**
 * OSCAL Assessment Results (JSON, OSCAL 1.1.3) of one report: metadata with the organisation and
 * the sign-off people as parties, the endpoints as inventory items, one observation per finding
 * with its evidence (input file by hash, file:line and the record), one risk per failing finding
 * with its remediation and deadline, and one OSCAL finding per assessed control. The scan context
 * (tools and versions, scan times, vantage point, limitations) is in scan-context.ts.
 *
 * How tlsproof's verdicts map to OSCAL's objective status (which has only satisfied and
 * not-satisfied): pass → satisfied; fail → not-satisfied (reason fail); warn → not-satisfied
 * (reason other, with the tlsproof status as a property), because calling a control with open
 * weaknesses satisfied would over-claim. A control tlsproof did not assess, a process control for
 * which the report only supplies evidence, and a definition (not graded) get no OSCAL finding at
 * all: each is listed among the reviewed controls with an observation that says which of the three
 * it is, so no satisfied/not-satisfied claim is made that a TLS scan cannot support.
 *
 * Control ids such as "164.312(e)(1)" are not OSCAL tokens, and there is no OSCAL catalog for
 * HIPAA or PCI DSS to point into, so each objective id is the framework id and control id made
 * into a token ("hipaa_164.312_e_1"); the original id is kept in the finding's title and props.
 */
import type { ControlResult, ControlStatus, ReportModel } from '../../model/report-model.js';
import type { ReportConfig } from '../../config/schema.js';
import { SIGN_OFF_ROLES } from '../../config/schema.js';
import { configOrDefault } from '../config.js';
import { findingDeadlines } from '../finding-deadlines.js';
import type { Renderer, RenderOptions } from '../types.js';
import { oscalScanContext } from './scan-context.js';
import { uuidV5 } from './uuid.js';

const OSCAL_VERSION = '1.1.3';
/** Namespace of tlsproof's own property names (OSCAL's own names need none). */
const TLSPROOF_NS = 'urn:tlsproof:oscal';

type Json = Record<string, unknown>;

interface Prop { name: string; value: string; ns?: string }

/** OSCAL strings may not be empty or start or end with white space; such a property is left out. */
function prop(name: string, value: string | number | null | undefined, ns: string | undefined = TLSPROOF_NS): Prop[] {
  if (value === null || value === undefined) return [];
  const v = String(value).replace(/\s+/g, ' ').trim();
  return v === '' ? [] : [{ name, value: v, ...(ns !== undefined ? { ns } : {}) }];
}

/** An OSCAL token (XML NCName): letters, digits, . - _; starting with a letter or _. */
export function objectiveId(frameworkId: string, controlId: string): string {
  const raw = `${frameworkId}_${controlId}`.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/_+$/, '');
  return /^[\p{L}_]/u.test(raw) ? raw : `_${raw}`;
}

/** How the observation of a control with no OSCAL objective status names its tlsproof status. */
const NO_CLAIM_TITLE: Partial<Record<ControlStatus, string>> = {
  'not-assessed': 'not assessed', evidence: 'evidence supplied (process control, not graded by a TLS scan)', 'not-graded': 'definition, not graded',
};

/** What OSCAL may say about a control of each status; null: make no satisfied/not-satisfied claim. */
export function objectiveStatus(status: ControlStatus): { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' } | null {
  switch (status) {
    case 'pass': return { state: 'satisfied', reason: 'pass' };
    case 'fail': return { state: 'not-satisfied', reason: 'fail' };
    case 'warn': return { state: 'not-satisfied', reason: 'other' };
    // Accepting a risk does not meet the control: it stays not satisfied, and the risk says it is accepted.
    case 'risk-accepted': return { state: 'not-satisfied', reason: 'other' };
    // Evidence for a process control and a definition are no claim either way: OSCAL's objective
    // state knows only satisfied / not-satisfied, so these controls carry an observation, not a state.
    case 'not-assessed':
    case 'evidence':
    case 'not-graded':
      return null;
    default: {
      const unhandled: never = status;
      return unhandled;
    }
  }
}

/** OSCAL date-times need a time zone; the model's are UTC ISO strings or dates. */
function dateTime(value: string): string {
  return /T/.test(value) ? new Date(value).toISOString() : `${value}T00:00:00Z`;
}

export function renderOscal(model: ReportModel, config?: ReportConfig): Json {
  const cfg = configOrDefault(config);
  const id = model.report.id;
  const u = (...parts: string[]): string => uuidV5(`${id}/${parts.join('/')}`);

  // Parties: the organisation, and the sign-off people named in report.config.yaml.
  const orgUuid = u('party', 'organisation');
  const people = SIGN_OFF_ROLES.flatMap((role) => {
    const p = cfg.signOff[role];
    return p?.name === undefined || p.name.trim() === '' ? [] : [{ role, uuid: u('party', role), name: p.name.trim(), title: p.role ?? '' }];
  });
  const roleIds: Record<(typeof SIGN_OFF_ROLES)[number], string> = { preparedBy: 'prepared-by', reviewedBy: 'reviewer', approvedBy: 'approver' };

  // Back matter: the method, and every input file with its SHA-256.
  const methodUuid = u('resource', 'method');
  const inputUuid = new Map(model.scope.inputs.map((f) => [f.file, u('resource', 'input', f.file)]));
  const resources: Json[] = [
    { uuid: methodUuid, title: `${model.tool.name} ${model.tool.version} assessment method`,
      description: 'Automated assessment of TLS on mail endpoints from scanner exports: each check is run on each endpoint, and the mapping files link checks to controls. No separate assessment plan exists; this resource stands in for it.',
      props: [...prop('report-id', id)] },
    ...model.scope.inputs.map((f) => ({
      uuid: inputUuid.get(f.file)!, title: f.file, description: `Input file (${f.kind}, ${f.records} records, ${f.bytes} bytes).`,
      rlinks: [{ href: encodeURI(f.file), hashes: [{ algorithm: 'SHA-256', value: f.sha256 }] }],
    })),
  ];

  const endpointUuid = new Map(model.scope.endpoints.map((e) => [e.key, u('inventory-item', e.key)]));
  const inventory = model.scope.endpoints.map((e) => ({
    uuid: endpointUuid.get(e.key)!,
    description: `${e.label}: ${e.service} on port ${e.port} (${e.transport === 'starttls' ? 'STARTTLS' : 'implicit TLS'}).`,
    props: [
      ...prop('fqdn', e.host, undefined),
      ...(e.ip === null ? [] : prop(e.ip.includes(':') ? 'ipv6-address' : 'ipv4-address', e.ip, undefined)),
      ...prop('port', e.port), ...prop('service', e.service), ...prop('scan-state', e.scanState), ...prop('asset', e.asset),
    ],
  }));

  const observationUuid = (findingId: string): string => u('observation', findingId);
  const observations: Json[] = model.findings.map((f) => {
    const ep = model.scope.endpoints.find((e) => e.key === f.endpointKey);
    return {
      uuid: observationUuid(f.id),
      title: `${f.title} — ${ep?.label ?? f.endpointKey}`,
      description: f.message,
      props: [...prop('check-id', f.checkId), ...prop('status', f.status), ...prop('severity', f.severity),
        ...(f.acceptance !== undefined ? [...prop('risk-acceptance', 'risk-accepted'), ...prop('exception-id', f.acceptance.exceptionId)] : [])],
      methods: ['TEST'],
      types: ['finding'],
      subjects: endpointUuid.has(f.endpointKey) ? [{ 'subject-uuid': endpointUuid.get(f.endpointKey)!, type: 'inventory-item' }] : undefined,
      'relevant-evidence': f.evidence.length === 0 ? undefined : f.evidence.map((e) => ({
        ...(inputUuid.has(e.source.file) ? { href: `#${inputUuid.get(e.source.file)!}` } : {}),
        description: `${e.source.file}${e.source.line === undefined ? '' : `:${e.source.line}`}: ${e.summary}${e.source.excerpt ? ` — ${e.source.excerpt}` : ''}`,
      })),
      collected: dateTime(ep?.observedAt ?? model.report.generatedAt),
    };
  });

  const deadlines = findingDeadlines(model);
  const exceptionById = new Map(model.exceptions.entries.map((e) => [e.id, e]));
  const risks: Json[] = model.findings.filter((f) => f.status === 'fail').map((f) => {
    const due = deadlines.get(f.id)?.dueDate ?? null;
    const accepted = f.acceptance === undefined ? undefined : exceptionById.get(f.acceptance.exceptionId);
    const lapsed = f.lapsedException;
    return {
      uuid: u('risk', f.id), title: `${f.title} on ${f.endpoint.host}:${f.endpoint.port}`, description: f.message,
      statement: `Severity ${f.severity}. ${f.controls.length > 0 ? `Fails ${f.controls.map((c) => `${c.frameworkId} ${c.controlId}`).join(', ')}.` : 'Mapped to no control.'}`,
      props: [...prop('check-id', f.checkId), ...prop('severity', f.severity),
        // OSCAL's own word for an approved exception is the risk status deviation-approved; the tlsproof prop names it as the report does.
        ...(accepted !== undefined ? [...prop('risk-acceptance', 'risk-accepted'), ...prop('exception-id', accepted.id), ...prop('exception-expires', accepted.expires)] : []),
        ...(lapsed !== undefined ? [...prop('lapsed-exception-id', lapsed.exceptionId), ...prop('exception-expired-on', lapsed.expiredOn)] : [])],
      status: accepted !== undefined ? 'deviation-approved' : 'open',
      ...(accepted !== undefined && accepted.compensatingControl.trim() !== ''
        ? { 'mitigating-factors': [{ uuid: u('mitigating-factor', f.id, accepted.id), description: `Compensating control: ${accepted.compensatingControl}` }] } : {}),
      // An accepted risk must be fixed or approved again by the exception's expiry; else the remediation deadline.
      ...(accepted !== undefined ? { deadline: `${accepted.expires}T23:59:59Z` } : due === null ? {} : { deadline: `${due}T23:59:59Z` }),
      remediations: [{ uuid: u('remediation', f.id), lifecycle: 'recommendation', title: `Fix ${f.title.toLowerCase()}`, description: f.remediation }],
      ...(accepted !== undefined ? {
        'risk-log': { entries: [{
          uuid: u('risk-log', f.id, accepted.id), title: `Risk accepted under exception ${accepted.id}`,
          description: `${accepted.justification} Approved by ${accepted.approver.name} (${accepted.approver.role}) on ${accepted.approvedOn}, ticket ${accepted.ticket}; in force until ${accepted.expires}.`,
          start: `${accepted.approvedOn}T00:00:00Z`, end: `${accepted.expires}T23:59:59Z`, 'status-change': 'deviation-approved',
        }] },
      } : lapsed !== undefined ? {
        'risk-log': { entries: [{
          uuid: u('risk-log', f.id, lapsed.exceptionId), title: `Exception ${lapsed.exceptionId} expired on ${lapsed.expiredOn}`,
          description: `The exception that accepted this risk expired before the report date (${model.report.reportDate}); the risk is open again.`,
          start: `${lapsed.expiredOn}T23:59:59Z`, 'status-change': 'open',
        }] },
      } : {}),
      'related-observations': [{ 'observation-uuid': observationUuid(f.id) }],
    };
  });
  const riskIds = new Set(model.findings.filter((f) => f.status === 'fail').map((f) => f.id));

  const controls = model.frameworks.flatMap((fw) => fw.controls.map((c) => ({ fw, c })));
  const controlFindings: Json[] = [];
  for (const { fw, c } of controls) {
    const status = objectiveStatus(c.status);
    if (status === null) {
      observations.push(notAssessedObservation(c, fw.title, fw.version));
      continue;
    }
    const behind = c.findingIds;
    controlFindings.push({
      uuid: u('finding', fw.id, c.id),
      title: `${fw.title} ${fw.version} ${c.id}: ${c.title}`,
      description: c.statusReason,
      props: [...prop('framework', fw.id), ...prop('framework-version', fw.version), ...prop('control-id', c.id), ...prop('tlsproof-status', c.status),
        ...prop('interpretation', c.interpretation ? 'yes' : 'no')],
      target: {
        type: 'objective-id', 'target-id': objectiveId(fw.id, c.id), title: `${c.id}: ${c.title}`, description: c.paraphrase,
        status: { ...status, ...(c.gradingNote !== null ? { remarks: c.gradingNote } : {}) },
      },
      'related-observations': behind.length > 0 ? behind.map((fid) => ({ 'observation-uuid': observationUuid(fid) })) : undefined,
      'related-risks': behind.some((fid) => riskIds.has(fid)) ? behind.filter((fid) => riskIds.has(fid)).map((fid) => ({ 'risk-uuid': u('risk', fid) })) : undefined,
    });
  }

  function notAssessedObservation(c: ControlResult, fwTitle: string, fwVersion: string): Json {
    return {
      uuid: u('observation', 'control', c.frameworkId, c.id),
      title: `${fwTitle} ${fwVersion} ${c.id}: ${NO_CLAIM_TITLE[c.status] ?? 'not assessed'}`,
      description: `${c.statusReason} No satisfied or not-satisfied determination is made for this control.`,
      props: [...prop('framework', c.frameworkId), ...prop('control-id', c.id), ...prop('tlsproof-status', c.status)],
      methods: ['TEST'], types: ['control-objective'], collected: dateTime(model.report.generatedAt),
    };
  }

  const context = oscalScanContext(model, {
    u, prop: (name, value) => prop(name, value), ns: TLSPROOF_NS, dateTime,
    inputHref: (file) => (inputUuid.has(file) ? `#${inputUuid.get(file)!}` : undefined),
  });

  const start = model.scope.endpoints.reduce<string | null>((min, e) => (min === null || e.observedAt < min ? e.observedAt : min), null);
  const end = model.scope.endpoints.reduce<string | null>((max, e) => (max === null || e.observedAt > max ? e.observedAt : max), null);
  const doc = {
    'assessment-results': {
      uuid: u('assessment-results'),
      metadata: {
        title: `${model.report.title}: ${model.report.organisation}`,
        'last-modified': dateTime(model.report.generatedAt),
        version: id,
        'oscal-version': OSCAL_VERSION,
        props: [...prop('report-id', id), ...prop('tool', `${model.tool.name} ${model.tool.version}`), ...prop('report-date', model.report.reportDate),
          ...(model.report.period ? prop('period', `${model.report.period.label} (${model.report.period.start}..${model.report.period.end})`) : [])],
        roles: [{ id: 'assessed-organization', title: 'Assessed organisation' },
          ...people.map((p) => ({ id: roleIds[p.role], title: { preparedBy: 'Prepared by', reviewedBy: 'Reviewed by', approvedBy: 'Approved by' }[p.role] }))],
        parties: [{ uuid: orgUuid, type: 'organization', name: model.report.organisation },
          ...people.map((p) => ({ uuid: p.uuid, type: 'person', name: p.name, ...(p.title.trim() !== '' ? { props: prop('job-title', p.title, undefined) } : {}) }))],
        'responsible-parties': [{ 'role-id': 'assessed-organization', 'party-uuids': [orgUuid] },
          ...people.map((p) => ({ 'role-id': roleIds[p.role], 'party-uuids': [p.uuid] }))],
      },
      'import-ap': { href: `#${methodUuid}`, remarks: 'tlsproof runs without an OSCAL assessment plan; the back-matter resource describes the method instead.' },
      results: [{
        uuid: u('result'),
        title: `${model.report.title}${model.report.period ? `, ${model.report.period.label}` : ''}`,
        description: `TLS evidence for ${model.summary.endpoints} mail endpoints of ${model.report.organisation}, assessed by ${model.tool.name} ${model.tool.version} against ${model.frameworks.map((f) => `${f.title} ${f.version}`).join(', ') || 'no framework'}.`,
        start: dateTime(start ?? model.report.generatedAt),
        end: dateTime(end ?? model.report.generatedAt),
        ...(context.props.length > 0 ? { props: context.props } : {}),
        'local-definitions': { ...(inventory.length > 0 ? { 'inventory-items': inventory } : {}), 'assessment-assets': context.assessmentAssets },
        'reviewed-controls': {
          'control-selections': [controls.length > 0
            ? { 'include-controls': controls.map(({ fw, c }) => ({ 'control-id': objectiveId(fw.id, c.id) })) }
            : { description: 'No framework was selected.' }],
        },
        ...(context.attestations.length > 0 ? { attestations: context.attestations } : {}),
        ...(context.assessmentLog !== undefined ? { 'assessment-log': context.assessmentLog } : {}),
        ...(observations.length > 0 ? { observations } : {}),
        ...(risks.length > 0 ? { risks } : {}),
        ...(controlFindings.length > 0 ? { findings: controlFindings } : {}),
      }],
      'back-matter': { resources },
    },
  };
  return doc;
}

export const oscalRenderer: Renderer = {
  render(model: ReportModel, opts: RenderOptions): Promise<Uint8Array> {
    // JSON.stringify drops the `undefined` optional arrays, so empty arrays (which OSCAL forbids) never appear.
    return Promise.resolve(new TextEncoder().encode(`${JSON.stringify(renderOscal(model, opts.config), null, 2)}\n`));
  },
};
