/**
 * Appendix B, methodology and integrity: how the evidence was turned into statuses, what each
 * status means, the input files with their SHA-256 digests, the framework sources, the checks
 * and the report's identity (id, tool version, schema version, dates).
 */
import { DATE_RULE } from '../../evidence-dates.js';
import type { PdfContext, Run } from '../context.js';
import { REMEDIATION_DEST } from './remediation.js';
import type { ReportModel } from '../../../model/report-model.js';
import { bytes, dateTime, num } from '../format.js';
import { COLOR, CONTROL_STATUS_LABEL, FINDING_STATUS_LABEL, TYPE } from '../layout.js';
import { bold, labelRun, mono, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';

export const METHODOLOGY_DEST = 'sec-methodology';

const LABEL = { header: '', font: 'bold' as const, color: COLOR.muted, rowHeader: true };
const KV2 = [{ ...LABEL, weight: 17 }, { header: '', weight: 33 }, { ...LABEL, weight: 15 }, { header: '', weight: 35 }];

export function drawMethodology(ctx: PdfContext): void {
  const { model } = ctx;
  ctx.sectionHeading('Methodology and integrity', { dest: METHODOLOGY_DEST });

  ctx.heading(2, 'How this report was produced');
  ctx.paragraph(`${model.tool.name} ${model.tool.version} read the scan results listed below (and the domain list, when one was given), `
    + 'normalised them into one record per endpoint, and ran each check on each endpoint. A check yields a finding with a status, a '
    + 'severity and the input record that supports it. Each framework maps its controls to checks; a control\'s status follows from the '
    + 'findings of its mapped checks on the endpoints in that framework\'s scope.');
  ctx.paragraph('Observation times come from the scan output when it records them; otherwise from the --observed-at option or, as a last '
    + 'resort, from the input file\'s modification time. Each endpoint states which source applies. Nothing in this report depends on '
    + 'the time at which it was rendered, so the same input produces the same document.');
  ctx.paragraph(DATE_RULE);

  const r = model.report;
  // Two label/value pairs to a row: the values are short, and one pair to a row left most of
  // the width empty.
  const identity = prepareTable(ctx, KV2, [
    ['Report ID', { runs: [mono(r.id, 8)] }, 'Title', r.title],
    ['Organisation', r.organisation, 'Generated', dateTime(r.generatedAt)],
    ['Report date', r.reportDate, 'Tool', `${model.tool.name} ${model.tool.version}`],
    ['Report model', { runs: [{ text: `schema version ${model.schemaVersion}` }], span: 3 }],
    ...storeHead(model),
    ['Reproducibility', { runs: [{ text: 'The PDF embeds its fonts and derives its creation date and file ID from the report, so rendering the same report model again gives a byte-identical file.' }], span: 3 }],
  ], { header: false, zebra: false });
  ctx.heading(2, 'Report identity', { keepWith: identity.startHeight });
  identity.draw();

  ctx.heading(2, 'Verdict rules');
  ctx.paragraph('A status is a claim an auditor may rely on, so it never says more than the evidence shows. Each control has a kind. '
    + 'Technical controls (transmission security, strong cryptography, certificate management, protocol configuration) are the only '
    + 'ones a TLS observation can decide, and the only ones graded PASS or FAIL. Process and governance provisions (risk analysis and '
    + 'management, board reports, vulnerability-scan and penetration-test programmes, patching, inventories, records and retention, '
    + 'breach-notification safe harbours) receive the evidence this report holds, listed with them, and are never graded; a TLS scan '
    + 'is not an ASV scan or a risk analysis. Definitions are listed and not graded.');
  ctx.paragraph('Each link from a control to a check has a coverage. A full link means a failing result is, on its own, a breach of a '
    + 'clause the control states; only full links that are not our interpretation decide a technical control. Partial, indirect and '
    + 'interpretive links can raise a control to WARN and appear as supporting evidence; they never make it FAIL and never make it '
    + 'PASS on their own. An expiry window only warns; only an expired or not-yet-valid certificate fails. A server offering TLS 1.3 '
    + 'without TLS 1.2 is not failed for lacking TLS 1.2 (RFC 8446, RFC 9325). On a mail exchanger whose DNSSEC-signed DANE-EE TLSA '
    + 'record (usage 3) matches its certificate, senders authenticate the server by DANE, not the WebPKI (RFC 7672 sections 3.1-3.2), '
    + 'so a self-signed, privately issued or differently named certificate there is not a failure and no MTA-STS policy is needed.');

  const statuses = prepareTable(ctx, [{ header: 'Status', weight: 17 }, { header: 'Meaning', weight: 83 }], [
    [labelRun(CONTROL_STATUS_LABEL.fail), 'Technical control: a check linked with full coverage failed on an endpoint in scope. Finding: the check failed.'],
    [labelRun(CONTROL_STATUS_LABEL.warn), 'Technical control: no full-coverage failure, but a warning, or a failure of a partial, indirect or interpretive link (or one a grading rule counts as a warning). Finding: a weakness below the failure threshold.'],
    [labelRun(CONTROL_STATUS_LABEL['risk-accepted']), 'Technical control that would FAIL or WARN, where every failing or warning finding behind it is covered by an exception in force on the report date (who accepted the risk, why, what compensates it, until when). Not met, never PASS: the findings keep their status and evidence, marked accepted, and the exceptions are cited. Any finding left uncovered, or a report property that fails or warns, keeps the FAIL or WARN. An exception applies through its expiry date; from the next day its findings are open again.'],
    [labelRun(CONTROL_STATUS_LABEL.pass), 'Technical control: every in-scope endpoint a full link applies to passed a full-coverage check, and nothing linked failed or warned. Finding: the check passed. Not a certification.'],
    [labelRun(CONTROL_STATUS_LABEL.evidence), 'The report contributes evidence but cannot decide the control: a process or governance provision (its failing and warning findings are listed as what the report contributes), or a technical control whose clean results come only from partial or indirect links, or whose full-coverage checks could not be tested on every endpoint.'],
    [labelRun(CONTROL_STATUS_LABEL['not-assessed']), 'Control: nothing linked produced evidence; the report makes no statement about it.'],
    [labelRun(CONTROL_STATUS_LABEL['not-graded']), 'A definition: listed, never graded.'],
    [labelRun(FINDING_STATUS_LABEL['not-tested']), 'Finding: the input did not contain what the check needs.'],
    [labelRun(FINDING_STATUS_LABEL.error), 'Finding: the check could not be evaluated (for example a failed scan).'],
  ]);
  ctx.heading(2, 'Status definitions', { keepWith: statuses.startHeight });
  statuses.draw();
  // Readers expect severity to follow status; it does not, and both combinations occur.
  ctx.paragraph('Status and severity answer different questions. The status says what the evidence shows on this endpoint; the '
    + 'severity is the check\'s own rating of how serious the problem is when present, the same on every endpoint. So a WARN can be '
    + 'HIGH (a certificate close to expiry still works today, but an outage is near) and a FAIL can be LOW (a '
    + 'weakness that is present but hard to exploit, such as LUCKY13). The remediation plan orders items by severity.',
  { size: TYPE.small, color: COLOR.muted });

  if (model.grading.length > 0) {
    const grading = prepareTable(ctx, [
      { header: 'Rule', weight: 22 }, { header: 'What it says and why', weight: 60 }, { header: 'Services', weight: 9 }, { header: 'Failure counts as', weight: 9 },
    ], model.grading.map((g): Cell[] => [
      { runs: [bold(g.title), { text: g.id, font: 'mono', size: 6.5, color: COLOR.muted }] },
      { runs: [{ text: g.statement }, muted(`Basis: ${g.basis}`)] },
      g.services.join(', ') || 'all',
      { text: g.failAs.toUpperCase(), font: 'bold' },
    ]));
    ctx.heading(2, 'Grading rules', { keepWith: grading.startHeight + 24 });
    ctx.paragraph('These rules limit what a failing check does to a control in the situations they describe; a control they affected says so.',
      { size: TYPE.small, color: COLOR.muted });
    grading.draw();
  }

  const inputs = prepareTable(ctx, [
    { header: 'File and SHA-256', weight: 58 },
    { header: 'Kind', weight: 12 },
    { header: 'Records', weight: 10, align: 'right' },
    { header: 'Problems', weight: 11, align: 'right' },
    { header: 'Size', weight: 9, align: 'right' },
  ], model.scope.inputs.map((f): Cell[] => [
    { runs: [{ text: f.file, font: 'bold' }, mono(f.sha256, 6.9, COLOR.muted)] },
    f.kind,
    num(f.records),
    f.problems > 0 ? { text: num(f.problems), font: 'bold', color: '#b42318' } : '0',
    bytes(f.bytes),
  ]));
  ctx.heading(2, 'Input files', { keepWith: inputs.startHeight + 30 });
  ctx.paragraph('To confirm that a file you hold is the one this report was built from, compare its SHA-256 digest (e.g. sha256sum FILE) with the digest below.',
    { size: TYPE.small, color: COLOR.muted });
  if (model.scope.inputs.length === 0) ctx.paragraph('No input file was recorded.');
  else inputs.draw();
  // Scans by one tool usually leave the same rows unevaluated: files with the same list share
  // one note instead of repeating it per file.
  const notEvaluated = new Map<string, string[]>();
  for (const f of model.scope.inputs) {
    if (f.notEvaluated.length === 0) continue;
    const list = f.notEvaluated.map((n) => `${n.id} ×${num(n.records)}`).join(', ');
    notEvaluated.set(list, [...(notEvaluated.get(list) ?? []), f.file]);
  }
  for (const [list, files] of notEvaluated) {
    const which = files.length === 1 ? files[0] ?? '' : `Each of the ${num(files.length)} files ${files.join(', ')}`;
    ctx.paragraph(`${which}: rows read but not evaluated (a scanner verdict no tlsproof check judges): ${list}.`, { size: TYPE.small, color: COLOR.muted });
  }

  if (model.frameworks.length > 0) {
    const sources = prepareTable(ctx, [
      { header: 'Framework', weight: 27 }, { header: 'Source document', weight: 50 }, { header: 'Retrieved', weight: 13 }, { header: 'Controls', weight: 10, align: 'right' },
    ], model.frameworks.map((f): Cell[] => [
      { runs: [bold(f.title), muted(`version ${f.version} · id ${f.id}`)] },
      { runs: [{ text: f.source.document }, { text: f.source.url, size: TYPE.small, color: COLOR.link, link: f.source.url }] },
      f.source.retrieved,
      num(f.controls.length),
    ]));
    ctx.heading(2, 'Framework sources', { keepWith: sources.startHeight });
    sources.draw();
  }


  if (model.checks.length > 0) drawCheckCatalogue(ctx);
}

/** Catalogue entries are set in this size: reference text, still above the 7 pt floor. */
const CATALOGUE_SIZE = 7.4;

/**
 * Every check, one run-in paragraph each: name, id, severity, category and whether a framework
 * maps it, then what it looks for and the fix, across the full width. As a table with the name in
 * a column of its own it took five pages for fifty checks, most of them in a narrow column's
 * wrapped lines. A check with an item in the remediation plan refers to that item for the fix,
 * which the plan (and each finding on its endpoint's page) prints in full.
 */
function drawCheckCatalogue(ctx: PdfContext): void {
  const { model } = ctx;
  const size = CATALOGUE_SIZE;
  const planned = ctx.canLink(REMEDIATION_DEST) ? new Map(model.remediation.map((item, i) => [item.checkId, { item, n: i + 1 }])) : new Map<string, never>();
  ctx.heading(2, `Checks (${num(model.checks.length)})`, { keepWith: 40 });
  ctx.paragraph('Each check with its id, severity and category, whether a framework maps it, what it looks for and the fix.',
    { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
  for (const c of model.checks) {
    const plan = planned.get(c.id);
    const fix: Run[] = plan !== undefined && plan.item.remediation === c.remediation
      ? [muted(' Remediation: see ', size), { text: `item ${plan.n} of the remediation plan`, size, color: COLOR.link, goTo: REMEDIATION_DEST }, muted('.', size)]
      : [muted(` Remediation: ${c.remediation}`, size)];
    ctx.runs([
      bold(c.title, size), { text: `  ${c.id}  `, font: 'mono', size: 6.6, color: COLOR.muted },
      severityRun(c.severity, true, size), muted(` · ${c.category} · ${c.mapped ? 'mapped' : 'not mapped'}. `, size),
      { text: c.description, size }, ...fix,
    ], { gapAfter: 2.5 });
  }
}

/** The evidence store's chain head this report was made from, so whoever holds the report holds a copy of it. */
function storeHead(model: ReportModel): Cell[][] {
  if (!model.evidence) return [];
  const head = model.evidence.chainHead;
  if (head === null) return [['Evidence store', { runs: [{ text: 'No earlier run in the store: this report\'s run is its first.' }], span: 3 }]];
  return [['Evidence store', { runs: [mono(`${head.seq}:${head.sha256}`, 7),
    muted(`Chain head: run ${head.seq}, the newest run in the store when this report was made (its own run is recorded after it). ` +
      `"tlsproof store verify --head ${head.seq}:<hash>" shows whether runs 1–${head.seq} are still as they were.`)], span: 3 }]];
}
