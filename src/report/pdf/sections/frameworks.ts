/**
 * Framework results: for each framework its source and scope, a control table (requirement,
 * status with the reason, and the checks that provide evidence with their coverage and
 * rationale), then for every failing or warning control the findings behind its status.
 */
import type { ControlResult, FrameworkResult, ReportFinding } from '../../../model/report-model.js';
import type { OutlineItem, PdfContext, Run } from '../context.js';
import { num } from '../format.js';
import { COLOR, CONTROL_STATUS_LABEL, TYPE } from '../layout.js';
import { bold, controlStatusRun, endpointRun, findingStatusRun, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';

export const FRAMEWORKS_DEST = 'sec-frameworks';

export function drawFrameworks(ctx: PdfContext): void {
  const root = ctx.heading(1, 'Framework results', { dest: FRAMEWORKS_DEST, outline: 'root', contents: true });
  ctx.paragraph('Each control is linked to the tlsproof checks that provide evidence for it; the coverage says whether the checks '
    + 'address the whole requirement or part of it, and the rationale says why a TLS observation counts as evidence. Controls are '
    + 'reported as FAIL, WARN, PASS or NOT ASSESSED.', { color: COLOR.muted });
  if (ctx.model.frameworks.length === 0) {
    ctx.paragraph('No framework was evaluated.');
    return;
  }
  ctx.model.frameworks.forEach((fw, i) => drawFramework(ctx, fw, root, i > 0));
}

const SCOPE_ASSETS_SHOWN = 12;

const RELEVANCE_TEXT: Readonly<Record<FrameworkResult['relevance'], string>> = {
  direct: 'Direct: the framework requires protection of data in transit, so TLS results bear on key controls.',
  supporting: 'Supporting: TLS results support other controls of the framework but are not key evidence for them.',
  evidence: 'Evidence handling: the framework governs the evidence itself (dated, hashed, complete, retained); it is judged on properties of this report, not on TLS.',
};

const EVIDENCE_STATUS = {
  pass: { text: 'PASS', color: CONTROL_STATUS_LABEL.pass.color },
  warn: { text: 'WARN', color: CONTROL_STATUS_LABEL.warn.color },
  fail: { text: 'FAIL', color: CONTROL_STATUS_LABEL.fail.color },
  'not-tested': { text: 'NOT TESTED', color: COLOR.muted },
} as const;

function requirementRuns(c: ControlResult): Run[] {
  const runs: Run[] = [bold(c.title), { text: c.paraphrase, size: TYPE.small }];
  const facts = [
    c.obligation !== null ? `Obligation: ${c.obligation}` : null,
    c.effective !== null ? `Effective: ${c.effective}` : null,
    c.source !== null ? `Citation: ${c.source}` : null,
    c.confidence !== 'high' ? `Citation confidence: ${c.confidence}` : null,
  ].filter((x): x is string => x !== null);
  if (facts.length > 0) runs.push(muted(facts.join('\n')));
  if (c.unconfirmed) runs.push({ text: 'Citation not confirmed against the source text', size: TYPE.small, font: 'bold', color: CONTROL_STATUS_LABEL.warn.color });
  if (c.interpretation) runs.push(muted('The link to TLS evidence is our interpretation, not the text of the control.'));
  return runs;
}

/** Mapped checks (coverage, rationale) and report properties with their verdicts. */
function evidenceRuns(c: ControlResult): Run[] {
  const runs: Run[] = [];
  for (const k of c.checks) {
    const flags = [k.coverage, ...(k.interpretation ? ['interpretation'] : []), ...(k.grading !== null ? [`graded by ${k.grading}`] : [])];
    runs.push({ text: `${k.checkTitle} (${flags.join(', ')})`, size: TYPE.small, font: 'bold' });
    runs.push(muted(k.rationale, 7.2));
  }
  for (const e of c.evidence) {
    runs.push({ text: `${e.title} (${e.coverage}${e.interpretation ? ', interpretation' : ''})`, size: TYPE.small, font: 'bold' });
    runs.push({ text: EVIDENCE_STATUS[e.status].text, size: TYPE.small, font: 'bold', color: EVIDENCE_STATUS[e.status].color });
    runs.push(muted(`${e.detail} ${e.rationale}`, 7.2));
  }
  return runs.length > 0 ? runs : [muted('no checks mapped')];
}

/** Whether a control gets its own findings table (and therefore a destination). */
export function hasFindingsTable(c: ControlResult): boolean {
  return c.findingIds.length > 0;
}

function drawFramework(ctx: PdfContext, fw: FrameworkResult, root: OutlineItem | undefined, newPage: boolean): void {
  if (newPage) ctx.newPage();
  const statuses = ['fail', 'warn', 'pass', 'not-assessed'] as const;
  const assets = fw.scope.assets.slice(0, SCOPE_ASSETS_SHOWN).map((a) => `${a.domain}: ${a.reason} (${num(a.endpointKeys.length)} endpoint${a.endpointKeys.length === 1 ? '' : 's'})`);
  if (fw.scope.assets.length > SCOPE_ASSETS_SHOWN) assets.push(`and ${num(fw.scope.assets.length - SCOPE_ASSETS_SHOWN)} more assets (see Scope)`);
  const info = prepareTable(ctx, [{ header: '', weight: 18, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 82 }], [
    ['Version', `${fw.version}, dated ${fw.versionDate}`],
    ['Source', { runs: [{ text: fw.source.document }, { text: fw.source.url, color: COLOR.link, size: TYPE.small, link: fw.source.url }, muted(`retrieved ${fw.source.retrieved}`)] }],
    ['Applies to', fw.appliesTo],
    ['Relevance', RELEVANCE_TEXT[fw.relevance]],
    ['Scope', { runs: [{ text: `${num(fw.scope.endpointKeys.length)} endpoint${fw.scope.endpointKeys.length === 1 ? '' : 's'}: ${fw.scope.reason}` },
      ...(assets.length > 0 ? [muted(assets.join('\n'))] : [])] }],
    ...(fw.notes !== null && fw.notes.length > 0 ? [['Notes', { runs: [muted(fw.notes, TYPE.table)] }] satisfies Cell[]] : []),
    ['Controls', { runs: [{ text: statuses.map((s) => `${CONTROL_STATUS_LABEL[s].text} ${num(fw.counts[s])}`).join('   ·   '), font: 'bold' }] }],
  ], { header: false, zebra: false });
  const item = ctx.heading(2, `${fw.title} (${fw.version})`, {
    dest: fw.anchor, outline: root ?? 'root', contents: true, band: true, keepWith: info.startHeight + 40,
  });
  info.draw();

  const controls = prepareTable(ctx, [
    { header: 'Control', weight: 16 },
    { header: 'Requirement (paraphrased)', weight: 34 },
    { header: 'Status', weight: 22 },
    { header: 'Evidence from checks', weight: 28 },
  ], fw.controls.map((c): Cell[] => [
    { runs: [{ text: c.id, font: 'bold', ...(hasFindingsTable(c) ? { goTo: c.anchor, color: COLOR.link } : {}) },
      ...(c.aliases.length > 0 ? [muted(`also ${c.aliases.join(', ')}`)] : [])] },
    { runs: requirementRuns(c) },
    { runs: [controlStatusRun(c.status), muted(c.statusReason), muted(`${num(c.endpointsAssessed)} endpoint${c.endpointsAssessed === 1 ? '' : 's'} assessed`),
      ...(c.gradingNote !== null ? [{ text: c.gradingNote, size: TYPE.small, color: CONTROL_STATUS_LABEL.warn.color }] : [])] },
    { runs: evidenceRuns(c) },
  ]));
  ctx.heading(3, 'Controls', { keepWith: controls.startHeight });
  if (fw.controls.length === 0) ctx.paragraph('This framework defines no controls that tlsproof maps.');
  else controls.draw();

  for (const c of fw.controls) {
    if (!hasFindingsTable(c)) continue;
    drawControlFindings(ctx, c, item);
  }
}

/** Endpoints named per check in a control's findings table; the rest are counted. */
const ENDPOINTS_LISTED_PER_CHECK = 12;

function drawControlFindings(ctx: PdfContext, c: ControlResult, parent: OutlineItem | undefined): void {
  const size = 7.4;
  // One row per check, not per finding: with thousands of endpoints a control sits on tens of
  // thousands of findings, and a row each made the PDF unreadable and slow. Each row names the
  // first endpoints (linked to their evidence) and counts the rest; every finding is still in
  // the endpoint details, the HTML report and the JSON model.
  const byCheck = new Map<string, ReportFinding[]>();
  for (const id of c.findingIds) {
    const f = ctx.findingsById.get(id);
    if (f === undefined) continue;
    const list = byCheck.get(f.checkId);
    if (list) list.push(f);
    else byCheck.set(f.checkId, [f]);
  }
  const rows: Cell[][] = [];
  let total = 0;
  for (const list of byCheck.values()) {
    total += list.length;
    const first = list[0]!;
    const worst = list.find((f) => f.status === 'fail') ?? first;
    const named: Run[] = [];
    for (const f of list.slice(0, ENDPOINTS_LISTED_PER_CHECK)) {
      const ep = ctx.endpointsByKey.get(f.endpointKey);
      if (named.length > 0) named.push({ text: ' · ', size, color: COLOR.muted });
      named.push(ep !== undefined ? endpointRun(ep, size) : { text: f.endpointKey, size });
    }
    if (list.length > ENDPOINTS_LISTED_PER_CHECK) {
      named.push({ text: ` … and ${num(list.length - ENDPOINTS_LISTED_PER_CHECK)} more (see Endpoint details)`, size, color: COLOR.muted });
    }
    rows.push([
      { runs: [{ text: first.title, size }, { text: `${num(list.length)} endpoint${list.length === 1 ? '' : 's'}`, size, color: COLOR.muted }] },
      { runs: named },
      findingStatusRun(worst.status, size),
      severityRun(worst.severity, worst.status === 'fail' || worst.status === 'warn', size),
    ]);
  }
  const t = prepareTable(ctx, [
    { header: 'Finding', weight: 26 },
    { header: 'Endpoints (link to their evidence)', weight: 54 },
    { header: 'Status', weight: 10 },
    { header: 'Severity', weight: 10 },
  ], rows, { size });
  const title = `${c.id} ${c.title}: findings behind the ${CONTROL_STATUS_LABEL[c.status].text} (${num(total)})`;
  ctx.heading(3, title, {
    dest: c.anchor, outline: parent ?? 'root', outlineTitle: `${c.id} ${c.title}`, keepWith: t.startHeight,
  });
  t.draw();
}
