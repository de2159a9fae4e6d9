/**
 * Framework results: for each framework its source and scope, then its controls in two tables.
 * Controls with failing or warning findings behind them come first, in full: requirement, status
 * with the reason, and each check behind the status with its worst status and severity, the
 * endpoints (linked to their evidence) and the rationale of the link. The other controls follow
 * compactly, requirement, linked checks and report properties in one wide column.
 */
import type { ControlResult, FrameworkResult, ReportFinding } from '../../../model/report-model.js';
import { SEVERITY_RANK } from '../../../model/finding.js';
import type { OutlineItem, PdfContext, Run } from '../context.js';
import { num } from '../format.js';
import { CELL, COLOR, CONTROL_STATUS_LABEL, CONTROL_STATUS_ORDER, controlStatusesShown, FINDING_STATUS_LABEL, SEVERITY_LABEL, TYPE } from '../layout.js';
import { bold, controlStatusRun, endpointRun, muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { PROCESS_CONTROL_REASON } from '../../../map/evaluate.js';
import { METHODOLOGY_DEST } from './methodology.js';

/** Domains named per control in the table; the scope section lists every domain's endpoints. */
const CONTROL_DOMAINS_SHOWN = 5;

export const FRAMEWORKS_DEST = 'sec-frameworks';

export function drawFrameworks(ctx: PdfContext): void {
  const root = ctx.sectionHeading('Framework results', { dest: FRAMEWORKS_DEST, continueWith: ctx.bodyHeight / 3 });
  ctx.paragraph('Each control is linked to the tlsproof checks that provide evidence for it; the coverage says whether the checks '
    + 'address the whole requirement or part of it, and the rationale says why a TLS observation counts as evidence. Technical '
    + 'controls are reported as FAIL, WARN, PASS, EVIDENCE SUPPLIED or NOT ASSESSED; process and governance controls as EVIDENCE '
    + 'SUPPLIED or NOT ASSESSED, never graded: a TLS scan cannot decide them, so the report supplies evidence and no grade, and their '
    + `rows say what evidence; definitions as NOT GRADED (${ctx.appendixName(METHODOLOGY_DEST, 'the HTML report')} states the rules). `
    + 'Controls with failing or warning evidence come first, each check behind the status with its endpoints and the rationale of the link; '
    + 'the other controls follow compactly, their linked checks by name (their rationale is in the HTML report, in `tlsproof explain CHECK` '
    + 'and in the mapping file).', { color: COLOR.muted });
  if (ctx.model.frameworks.length === 0) {
    ctx.paragraph('No framework was evaluated.');
    return;
  }
  for (const fw of ctx.model.frameworks) drawFramework(ctx, fw, root);
}

const SCOPE_ASSETS_SHOWN = 12;

/**
 * The framework's assets grouped by the reason it applies to them ("data class PHI (…): a (4
 * endpoints), b (1 endpoint)"), so a reason shared by many domains is said once; after
 * SCOPE_ASSETS_SHOWN domains the rest are counted.
 */
function scopeLines(assets: FrameworkResult['scope']['assets']): string[] {
  const byReason = new Map<string, string[]>();
  for (const a of assets.slice(0, SCOPE_ASSETS_SHOWN)) {
    const named = `${a.domain} (${num(a.endpointKeys.length)} endpoint${a.endpointKeys.length === 1 ? '' : 's'})`;
    const list = byReason.get(a.reason);
    if (list) list.push(named);
    else byReason.set(a.reason, [named]);
  }
  const lines = [...byReason].map(([reason, named]) => `${reason}: ${named.join(', ')}`);
  if (assets.length > SCOPE_ASSETS_SHOWN) lines.push(`and ${num(assets.length - SCOPE_ASSETS_SHOWN)} more assets (see Scope)`);
  return lines;
}

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

function requirementRuns(c: ControlResult, compactSize?: number): Run[] {
  const size = compactSize ?? TYPE.small;
  const runs: Run[] = [bold(c.title, compactSize), { text: c.paraphrase, size }];
  const facts = [
    c.obligation !== null ? `Obligation: ${c.obligation}` : null,
    c.effective !== null ? `Effective: ${c.effective}` : null,
    c.source !== null ? `Citation: ${c.source}` : null,
    c.confidence !== 'high' ? `Citation confidence: ${c.confidence}` : null,
  ].filter((x): x is string => x !== null);
  if (c.interpretation) facts.push('the link to TLS evidence is our interpretation, not the text of the control');
  if (facts.length > 0) runs.push(muted(facts.join(' · '), size));
  if (c.unconfirmed) runs.push({ text: 'Citation not confirmed against the source text', size, font: 'bold', color: CONTROL_STATUS_LABEL.warn.color });
  return runs;
}

/** Control rows taller than this (a fifth of a page) split at a page end rather than leave a gap. */
const SPLIT_ROWS_ABOVE = 140;

/** Text size of the compact control rows. */
const COMPACT_SIZE = 7.2;

/** Endpoints named under each check behind a control's status; the rest are counted. */
const ENDPOINTS_LISTED_PER_CHECK = 12;

/**
 * The evidence behind a control's status: `behind` holds the linked checks that produced failing
 * or warning findings (how many, on which endpoints, linked to their evidence, and the rationale
 * of the link, since these decide the status), then report properties with their verdicts;
 * `quiet` the other linked checks by name only, grouped by how they are linked. Listing every
 * link's rationale made a control with thirty linked checks run over two pages; those rationales
 * are in the HTML report, `tlsproof explain` and the mapping file.
 */
function evidenceRuns(ctx: PdfContext, c: ControlResult, full: boolean, size: number): { behind: Run[]; quiet: Run[] } {
  const behind: Run[] = [];
  const hits = new Map<string, ReportFinding[]>();
  for (const id of c.findingIds) {
    const f = ctx.findingsById.get(id);
    if (f === undefined || (f.status !== 'fail' && f.status !== 'warn')) continue;
    const list = hits.get(f.checkId);
    if (list) list.push(f);
    else hits.set(f.checkId, [f]);
  }
  const flagsOf = (k: ControlResult['checks'][number]) =>
    [k.coverage, ...(k.interpretation ? ['interpretation'] : []), ...(k.grading !== null ? [`graded by ${k.grading}`] : [])].join(', ');
  // The quiet checks grouped by how they are linked, so "partial" is said once, not per check.
  const groups = new Map<string, string[]>();
  let quietCount = 0;
  for (const k of c.checks) {
    const list = hits.get(k.checkId);
    if (list === undefined) {
      const group = groups.get(flagsOf(k));
      if (group) group.push(k.checkTitle);
      else groups.set(flagsOf(k), [k.checkTitle]);
      quietCount++;
      continue;
    }
    behind.push(...hitRuns(ctx, k.checkTitle, list, flagsOf(k), k.rationale));
  }
  const quiet: Run[] = [];
  if (quietCount > 0) {
    const label = behind.length > 0 ? `Also linked, no failing or warning finding (${num(quietCount)})` : `Linked checks, no failing or warning finding (${num(quietCount)})`;
    const list = [...groups].map(([flags, titles]) => `${flags}: ${titles.join('; ')}`).join(' · ');
    // In a full row the label is a heading over the list; in a compact row it leads the list.
    if (full) quiet.push({ text: label, size: TYPE.small, font: 'bold' }, muted(list, size));
    else quiet.push(muted(`${label}: ${list}`, size));
  }
  for (const e of c.evidence) {
    behind.push({ text: `${e.title} (${e.coverage}${e.interpretation ? ', interpretation' : ''}): ${EVIDENCE_STATUS[e.status].text}`, size, font: 'bold', color: EVIDENCE_STATUS[e.status].color });
    behind.push(muted(`${e.detail} ${e.rationale}`, size));
  }
  if (behind.length === 0 && quiet.length === 0) behind.push(muted('no checks mapped'));
  return { behind, quiet };
}

/** Height of `runs` stacked in a table cell of `weight` percent of the text width, as the table measures it. */
function cellHeight(ctx: PdfContext, runs: readonly Run[], weight: number): number {
  const inner = ctx.width * weight / 100 - 2 * CELL.padX;
  return runs.reduce((h, r) => h + ctx.measure(r.text, r.font ?? 'regular', r.size ?? TYPE.table, inner) + CELL.runGap, 0);
}

/**
 * One failing or warning check behind a control: its title in the status colour, the counts, the
 * worst status and severity, the endpoints (the first ENDPOINTS_LISTED_PER_CHECK linked to their
 * evidence, the rest counted) and the rationale of the link.
 */
function hitRuns(ctx: PdfContext, title: string, list: readonly ReportFinding[], flags: string, rationale: string): Run[] {
  const fail = list.filter((f) => f.status === 'fail');
  const worst = fail.length > 0 ? fail : list;
  const severity = worst.reduce((s, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[s] ? f.severity : s), worst[0]?.severity ?? 'info');
  const status = fail.length > 0 ? 'fail' : 'warn';
  const eps = new Set(list.map((f) => f.endpointKey));
  const counts = [fail.length > 0 ? `${num(fail.length)} failing` : '', list.length > fail.length ? `${num(list.length - fail.length)} warning` : ''].filter(Boolean).join(', ');
  // One line per endpoint, each a link to its evidence.
  const named = [...eps].slice(0, ENDPOINTS_LISTED_PER_CHECK).map((k): Run => {
    const ep = ctx.endpointsByKey.get(k);
    return ep !== undefined ? endpointRun(ep, 7.2) : { text: k, size: 7.2 };
  });
  const rest = eps.size - named.length;
  return [
    { text: `${title}: ${FINDING_STATUS_LABEL[status].text} · ${SEVERITY_LABEL[severity].text}`, size: TYPE.small, font: 'bold', color: CONTROL_STATUS_LABEL[status].color },
    muted(`${counts} on ${num(eps.size)} endpoint${eps.size === 1 ? '' : 's'} · ${flags}`, 7.2),
    ...named,
    ...(rest > 0 ? [muted(`… and ${num(rest)} more (see Endpoint details)`, 7.2)] : []),
    muted(rationale, 7.2),
  ];
}

/** Whether a control's row shows its evidence in full: it has failing or warning findings behind it. */
export function hasFindingsTable(c: ControlResult): boolean {
  return c.findingIds.length > 0;
}

function drawFramework(ctx: PdfContext, fw: FrameworkResult, root: OutlineItem | undefined): void {
  const statuses = controlStatusesShown(ctx.model);
  const assets = scopeLines(fw.scope.assets);
  const info = prepareTable(ctx, [{ header: '', weight: 18, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 82 }], [
    ['Version, source', { runs: [{ text: `${fw.version}, dated ${fw.versionDate} · ${fw.source.document}` },
      { text: fw.source.url, color: COLOR.link, size: TYPE.small, link: fw.source.url }, muted(`retrieved ${fw.source.retrieved}`)] }],
    ['Applies to', fw.appliesTo],
    ['Relevance', RELEVANCE_TEXT[fw.relevance]],
    // With assets to list, they carry the reasons; the model's sentence would repeat them.
    ['Scope', { runs: [{ text: `${num(fw.scope.endpointKeys.length)} endpoint${fw.scope.endpointKeys.length === 1 ? '' : 's'}: ${assets.length > 0 ? 'in scope through the domain list:' : fw.scope.reason}` },
      ...(assets.length > 0 ? [muted(assets.join('\n'))] : [])] }],
    ...(fw.notes !== null && fw.notes.length > 0 ? [['Notes', { runs: [muted(fw.notes, TYPE.small)] }] satisfies Cell[]] : []),
    ['Controls', { runs: [{ text: statuses.map((s) => `${CONTROL_STATUS_LABEL[s].text} ${num(fw.counts[s])}`).join('   ·   '), font: 'bold' }] }],
  ], { header: false, zebra: false, size: TYPE.small });
  const item = ctx.heading(2, `${fw.title} (${fw.version})`, {
    dest: fw.anchor, outline: root ?? 'root', contents: true, band: true, keepWith: info.startHeight + 40,
  });
  info.draw();
  if (fw.controls.length === 0) {
    ctx.paragraph('This framework defines no controls that tlsproof maps.');
    return;
  }

  // Controls with failing or warning evidence get the evidence in full, and are the targets of
  // links and bookmarks; the others read compactly, requirement and evidence in one wide column.
  const weighed = fw.controls.filter(hasFindingsTable);
  const others = fw.controls.filter((c) => !hasFindingsTable(c));
  if (weighed.length > 0) {
    const t = prepareTable(ctx, [
      { header: 'Control, status', weight: CONTROL_WEIGHT },
      { header: 'Requirement (paraphrased); why this status', weight: REQUIREMENT_WEIGHT },
      { header: 'Evidence behind the status', weight: 100 - CONTROL_WEIGHT - REQUIREMENT_WEIGHT },
    ], weighed.map((c): Cell[] => {
      const requirement = [...requirementRuns(c), ...reasonRuns(c, TYPE.small)];
      const { behind, quiet } = evidenceRuns(ctx, c, true, 7.2);
      // The names of the quiet linked checks go under whichever column is shorter, so the row is
      // no taller than it must be (they are part of why the status is what it is, and evidence).
      const underRequirement = cellHeight(ctx, [...requirement, ...quiet], REQUIREMENT_WEIGHT)
        < cellHeight(ctx, [...behind, ...quiet], 100 - CONTROL_WEIGHT - REQUIREMENT_WEIGHT);
      return [
        { runs: controlRuns(c) },
        { runs: underRequirement ? [...requirement, ...quiet] : requirement },
        { runs: underRequirement ? behind : [...behind, ...quiet] },
      ];
    }), {
      splitRowsAbove: SPLIT_ROWS_ABOVE,
      onRowPlaced: (i, y) => {
        const c = weighed[i];
        if (c !== undefined) ctx.anchor(c.anchor, y, { parent: item ?? 'root', title: `${c.id} ${c.title}` });
      },
    });
    ctx.heading(3, `Controls with failing or warning evidence (${num(weighed.length)})`, { keepWith: t.startHeight });
    t.draw();
  }
  if (others.length > 0) {
    const t = prepareTable(ctx, [
      { header: 'Control, status', weight: CONTROL_WEIGHT },
      { header: 'Requirement (paraphrased), why this status, and the evidence', weight: 100 - CONTROL_WEIGHT },
    ], others.map((c): Cell[] => [
      { runs: controlRuns(c) },
      { runs: [...requirementRuns(c, COMPACT_SIZE), ...reasonRuns(c, COMPACT_SIZE), ...compactEvidence(ctx, c)] },
    ]), { size: COMPACT_SIZE, splitRowsAbove: SPLIT_ROWS_ABOVE });
    ctx.heading(3, weighed.length > 0 ? `Other controls (${num(others.length)})` : `Controls (${num(others.length)})`, { keepWith: t.startHeight });
    t.draw();
  }
}

/**
 * Width of the first column: the control id over its status word and kind. One column for the
 * three (they are short) leaves the requirement and the evidence most of the line.
 */
const CONTROL_WEIGHT = 16;

/** Width of the requirement column of the full rows (the evidence column takes the rest). */
const REQUIREMENT_WEIGHT = 42;

/** A compact row's evidence: the quiet linked checks, then report properties. */
function compactEvidence(ctx: PdfContext, c: ControlResult): Run[] {
  const { behind, quiet } = evidenceRuns(ctx, c, false, COMPACT_SIZE);
  return [...quiet, ...behind];
}

/** The control id (and aliases), its status word and its kind: whether the status can be a grade at all. */
function controlRuns(c: ControlResult): Run[] {
  return [{ text: c.id, font: 'bold' }, ...c.aliases.map((a) => muted(a.text)), controlStatusRun(c.status), muted(CONTROL_KIND_TEXT[c.kind], 7)];
}

/**
 * The status reason without the sentence every process control shares (the section's opening
 * paragraph says it once, and the row's kind says "never graded"), followed by a space.
 */
function ownReason(c: ControlResult): string {
  if (c.kind !== 'process' || !c.statusReason.startsWith(PROCESS_CONTROL_REASON)) return `${c.statusReason} `;
  const rest = c.statusReason.slice(PROCESS_CONTROL_REASON.length).replace(/^[;.]\s*/, '');
  return rest === '' ? '' : `${rest.charAt(0).toUpperCase()}${rest.slice(1)} `;
}

/** Why the status is what it is, on how many endpoints and which domains, and any grading rule at work. */
function reasonRuns(c: ControlResult, size: number): Run[] {
  const domains = c.domains.length === 0 ? '' : ` · ${c.domains.length === 1 ? 'domain' : 'domains'}: ${c.domains.slice(0, CONTROL_DOMAINS_SHOWN).join(', ')}${
    c.domains.length > CONTROL_DOMAINS_SHOWN ? ` and ${num(c.domains.length - CONTROL_DOMAINS_SHOWN)} more` : ''}`;
  return [
    { text: `${ownReason(c)}${num(c.endpointsAssessed)} endpoint${c.endpointsAssessed === 1 ? '' : 's'} assessed${domains}.`, size, color: COLOR.muted },
    ...(c.gradingNote !== null ? [{ text: c.gradingNote, size, color: CONTROL_STATUS_LABEL.warn.color }] : []),
  ];
}
