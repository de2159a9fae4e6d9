/**
 * Framework results: for each framework its source and scope, a control table (requirement,
 * status with the reason, and the checks behind the status with their rationale, the other linked
 * checks by name), then for every failing or warning control the findings behind its status.
 */
import type { ControlResult, FrameworkResult, ReportFinding } from '../../../model/report-model.js';
import type { OutlineItem, PdfContext, Run } from '../context.js';
import { num } from '../format.js';
import { COLOR, CONTROL_STATUS_LABEL, CONTROL_STATUS_ORDER, TYPE } from '../layout.js';
import { bold, controlStatusRun, endpointRun, findingStatusRun, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';

/** Domains named per control in the table; the scope section lists every domain's endpoints. */
const CONTROL_DOMAINS_SHOWN = 5;

export const FRAMEWORKS_DEST = 'sec-frameworks';

export function drawFrameworks(ctx: PdfContext): void {
  const root = ctx.heading(1, 'Framework results', { dest: FRAMEWORKS_DEST, outline: 'root', contents: true });
  ctx.paragraph('Each control is linked to the tlsproof checks that provide evidence for it; the coverage says whether the checks '
    + 'address the whole requirement or part of it, and the rationale says why a TLS observation counts as evidence. Technical '
    + 'controls are reported as FAIL, WARN, PASS, EVIDENCE SUPPLIED or NOT ASSESSED; process and governance controls as EVIDENCE '
    + 'SUPPLIED or NOT ASSESSED, never graded; definitions as NOT GRADED (Appendix B states the rules). The checks behind a failing or warning status are listed first, with their '
    + 'rationale; the other linked checks by name (their rationale is in the HTML report, in `tlsproof explain CHECK` and in the '
    + 'mapping file).', { color: COLOR.muted });
  if (ctx.model.frameworks.length === 0) {
    ctx.paragraph('No framework was evaluated.');
    return;
  }
  ctx.model.frameworks.forEach((fw, i) => drawFramework(ctx, fw, root, i > 0));
}

const SCOPE_ASSETS_SHOWN = 12;

/** The control's kind, under its status: it says whether the status can be a grade at all. */
const CONTROL_KIND_TEXT: Readonly<Record<ControlResult['kind'], string>> = {
  technical: 'Technical control', process: 'Process or governance provision: never graded', definition: 'Definition: not graded',
};

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

/**
 * The evidence behind a control's status: first the linked checks that produced failing or
 * warning findings (how many, on how many endpoints, and the rationale of the link, since these
 * decide the status), then the other linked checks by name only, then report properties with
 * their verdicts. Listing every link's rationale made a control with thirty linked checks run
 * over two pages; those rationales are in the HTML report, `tlsproof explain` and the mapping file.
 */
function evidenceRuns(ctx: PdfContext, c: ControlResult): Run[] {
  const runs: Run[] = [];
  const hits = new Map<string, { fail: number; warn: number; endpoints: Set<string> }>();
  for (const id of c.findingIds) {
    const f = ctx.findingsById.get(id);
    if (f === undefined || (f.status !== 'fail' && f.status !== 'warn')) continue;
    const h = hits.get(f.checkId) ?? { fail: 0, warn: 0, endpoints: new Set<string>() };
    h[f.status]++;
    h.endpoints.add(f.endpointKey);
    hits.set(f.checkId, h);
  }
  const flagsOf = (k: ControlResult['checks'][number]) =>
    [k.coverage, ...(k.interpretation ? ['interpretation'] : []), ...(k.grading !== null ? [`graded by ${k.grading}`] : [])].join(', ');
  const quiet: string[] = [];
  for (const k of c.checks) {
    const h = hits.get(k.checkId);
    if (h === undefined) {
      quiet.push(`${k.checkTitle} (${flagsOf(k)})`);
      continue;
    }
    const status = h.fail > 0 ? 'fail' : 'warn';
    const counts = [h.fail > 0 ? `${num(h.fail)} failing` : '', h.warn > 0 ? `${num(h.warn)} warning` : ''].filter(Boolean).join(', ');
    runs.push({ text: k.checkTitle, size: TYPE.small, font: 'bold', color: CONTROL_STATUS_LABEL[status].color });
    runs.push(muted(`${counts} on ${num(h.endpoints.size)} endpoint${h.endpoints.size === 1 ? '' : 's'} · ${flagsOf(k)}`, 7.2));
    runs.push(muted(k.rationale, 7.2));
  }
  if (quiet.length > 0) {
    runs.push({ text: runs.length > 0 ? `Also linked, no failing or warning finding (${num(quiet.length)})` : `Linked checks, no failing or warning finding (${num(quiet.length)})`, size: TYPE.small, font: 'bold' });
    runs.push(muted(quiet.join('; '), 7.2));
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
  const statuses = CONTROL_STATUS_ORDER;
  const assets = fw.scope.assets.slice(0, SCOPE_ASSETS_SHOWN).map((a) => `${a.domain}: ${a.reason} (${num(a.endpointKeys.length)} endpoint${a.endpointKeys.length === 1 ? '' : 's'})`);
  if (fw.scope.assets.length > SCOPE_ASSETS_SHOWN) assets.push(`and ${num(fw.scope.assets.length - SCOPE_ASSETS_SHOWN)} more assets (see Scope)`);
  const info = prepareTable(ctx, [{ header: '', weight: 18, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 82 }], [
    ['Version', `${fw.version}, dated ${fw.versionDate}`],
    ['Source', { runs: [{ text: fw.source.document }, { text: fw.source.url, color: COLOR.link, size: TYPE.small, link: fw.source.url }, muted(`retrieved ${fw.source.retrieved}`)] }],
    ['Applies to', fw.appliesTo],
    ['Relevance', RELEVANCE_TEXT[fw.relevance]],
    // With assets to list, they carry the reasons; the model's sentence would repeat them.
    ['Scope', { runs: [{ text: `${num(fw.scope.endpointKeys.length)} endpoint${fw.scope.endpointKeys.length === 1 ? '' : 's'}: ${assets.length > 0 ? 'in scope through the domain list:' : fw.scope.reason}` },
      ...(assets.length > 0 ? [muted(assets.join('\n'))] : [])] }],
    ...(fw.notes !== null && fw.notes.length > 0 ? [['Notes', { runs: [muted(fw.notes, TYPE.table)] }] satisfies Cell[]] : []),
    ['Controls', { runs: [{ text: statuses.map((s) => `${CONTROL_STATUS_LABEL[s].text} ${num(fw.counts[s])}`).join('   ·   '), font: 'bold' }] }],
  ], { header: false, zebra: false });
  const item = ctx.heading(2, `${fw.title} (${fw.version})`, {
    dest: fw.anchor, outline: root ?? 'root', contents: true, band: true, keepWith: info.startHeight + 40,
  });
  info.draw();

  const controls = prepareTable(ctx, [
    { header: 'Control', weight: 14 },
    { header: 'Requirement (paraphrased)', weight: 33 },
    { header: 'Status', weight: 18 },
    { header: 'Evidence from checks', weight: 35 },
  ], fw.controls.map((c): Cell[] => [
    { runs: [{ text: c.id, font: 'bold', ...(hasFindingsTable(c) ? { goTo: c.anchor, color: COLOR.link } : {}) },
      ...c.aliases.map((a) => muted(a.text))] },
    { runs: requirementRuns(c) },
    { runs: [controlStatusRun(c.status), muted(CONTROL_KIND_TEXT[c.kind]), muted(c.statusReason), muted(`${num(c.endpointsAssessed)} endpoint${c.endpointsAssessed === 1 ? '' : 's'} assessed`),
      ...(c.domains.length > 0 ? [muted(`${c.domains.length === 1 ? 'domain' : 'domains'}: ${c.domains.slice(0, CONTROL_DOMAINS_SHOWN).join(', ')}${
        c.domains.length > CONTROL_DOMAINS_SHOWN ? ` and ${num(c.domains.length - CONTROL_DOMAINS_SHOWN)} more` : ''}`)] : []),
      ...(c.gradingNote !== null ? [{ text: c.gradingNote, size: TYPE.small, color: CONTROL_STATUS_LABEL.warn.color }] : [])] },
    { runs: evidenceRuns(ctx, c) },
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
  const title = c.kind === 'technical'
    ? `${c.id} ${c.title}: findings behind the ${CONTROL_STATUS_LABEL[c.status].text} (${num(total)})`
    : `${c.id} ${c.title}: what this report contributes (${num(total)} failing or warning findings to weigh)`;
  ctx.heading(3, title, {
    dest: c.anchor, outline: parent ?? 'root', outlineTitle: `${c.id} ${c.title}`, keepWith: t.startHeight,
  });
  t.draw();
}
