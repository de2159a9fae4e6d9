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
  const root = ctx.sectionHeading('Framework results', { dest: FRAMEWORKS_DEST, continueWith: ctx.bodyHeight / 4 });
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
  const sets = recurringCheckSets(ctx);
  if (sets.length > 0) {
    ctx.paragraph(`Checks linked the same way to many controls are listed once here and named in the rows. ${sets.map((set) =>
      `${set.name} (${num(set.ids.size)} ${set.category === null ? '' : `${set.category} `}checks): ${set.titles.join('; ')}.`).join(' ')}`,
    { color: COLOR.muted, size: TYPE.small });
  }
  for (const fw of ctx.model.frameworks) drawFramework(ctx, fw, root, sets);
}

/** A set of checks that many control rows link the same way: listed once, named in the rows. */
interface CheckSet {
  readonly name: string;
  readonly ids: ReadonlySet<string>;
  readonly titles: readonly string[];
  /** The category every member shares, or null. */
  readonly category: string | null;
}

/** A set is named only when it has this many checks and recurs in this many rows. */
const CHECK_SET_MIN_SIZE = 5;
const CHECK_SET_MIN_ROWS = 3;

/**
 * Sets of quiet linked checks (linked the same way, no failing or warning finding) that recur
 * across control rows, largest saving first: each candidate is a row's group or the common part
 * of two rows' groups, and saves its titles' length once per row beyond the first. Up to three
 * sets, each chosen among the groups with the previous sets taken out.
 */
function recurringCheckSets(ctx: PdfContext): CheckSet[] {
  const titleOf = new Map<string, string>();
  const categoryOf = new Map(ctx.model.checks.map((k) => [k.id, k.category]));
  let groups: string[][] = [];
  for (const fw of ctx.model.frameworks) {
    for (const c of fw.controls) {
      for (const members of quietGroups(ctx, c).groups.values()) {
        for (const m of members) titleOf.set(m.id, m.title);
        groups.push(members.map((m) => m.id));
      }
    }
  }
  const sets: CheckSet[] = [];
  for (let n = 0; n < 3; n++) {
    const big = groups.filter((g) => g.length >= CHECK_SET_MIN_SIZE).map((g) => new Set(g));
    const candidates = new Map<string, Set<string>>();
    const consider = (set: Set<string>): void => {
      if (set.size < CHECK_SET_MIN_SIZE) return;
      candidates.set([...set].sort().join(' '), set);
    };
    big.forEach((g, i) => {
      consider(g);
      for (const h of big.slice(i + 1)) consider(new Set([...g].filter((id) => h.has(id))));
    });
    let best: { set: Set<string>; gain: number } | undefined;
    for (const set of candidates.values()) {
      const rows = big.filter((g) => [...set].every((id) => g.has(id))).length;
      if (rows < CHECK_SET_MIN_ROWS) continue;
      const gain = (rows - 1) * [...set].reduce((w, id) => w + (titleOf.get(id)?.length ?? 0) + 2, 0);
      if (best === undefined || gain > best.gain) best = { set, gain };
    }
    if (best === undefined) break;
    const chosen = best.set;
    const ordered = [...titleOf.keys()].filter((id) => chosen.has(id));
    const categories = new Set(ordered.map((id) => categoryOf.get(id)));
    sets.push({
      name: `Set ${String.fromCharCode(65 + n)}`, ids: chosen, titles: ordered.map((id) => titleOf.get(id) ?? id),
      category: categories.size === 1 ? [...categories][0] ?? null : null,
    });
    groups = groups.map((g) => (chosen.size > 0 && [...chosen].every((id) => g.includes(id)) ? g.filter((id) => !chosen.has(id)) : g));
  }
  return sets;
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

/**
 * A report property's verdict, in the words the status reasons use ("met", "partly met"): a
 * property is a fact about this report, not a control result, so it never prints PASS beside a
 * process control that is never graded.
 */
const EVIDENCE_STATUS = {
  pass: { text: 'MET', color: CONTROL_STATUS_LABEL.pass.color },
  warn: { text: 'PARTLY MET', color: CONTROL_STATUS_LABEL.warn.color },
  fail: { text: 'NOT MET', color: CONTROL_STATUS_LABEL.fail.color },
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

/**
 * Control rows taller than this (about eight lines) split at a page end rather than leave a gap:
 * the tables run to many pages, and a row moved whole left a gap at most page ends.
 */
const SPLIT_ROWS_ABOVE = 80;

/** Space above and below a control row's text: the rows are separated by rules and zebra fill. */
const ROW_PAD = 2.6;

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
function evidenceRuns(ctx: PdfContext, c: ControlResult, full: boolean, size: number, sets: readonly CheckSet[],
  shared: ReadonlyMap<string, string>): { behind: Run[]; quiet: Run[] } {
  const behind: Run[] = [];
  const { hits, groups } = quietGroups(ctx, c);
  for (const k of c.checks) {
    const list = hits.get(k.checkId);
    if (list !== undefined) behind.push(...hitRuns(ctx, k.checkTitle, list, linkFlags(k), k.rationale));
  }
  const quietCount = [...groups.values()].reduce((n, g) => n + g.length, 0);
  const quiet: Run[] = [];
  if (quietCount > 0) {
    const label = behind.length > 0 ? `Also linked, no failing or warning finding (${num(quietCount)})` : `Linked checks, no failing or warning finding (${num(quietCount)})`;
    const list = [...groups].map(([flags, members]) => `${flags}: ${namedMembers(members, sets).join('; ')}`).join(' · ');
    // In a full row the label is a heading over the list; in a compact row it leads the list.
    if (full) quiet.push({ text: label, size: TYPE.small, font: 'bold' }, muted(list, size));
    else quiet.push(muted(`${label}: ${list}`, size));
  }
  for (const e of c.evidence) {
    behind.push({ text: `${e.title} (${e.coverage}${e.interpretation ? ', interpretation' : ''}): ${EVIDENCE_STATUS[e.status].text}`, size, font: 'bold', color: EVIDENCE_STATUS[e.status].color });
    // A finding shared by several controls of the framework is stated once, in its header.
    behind.push(muted(shared.get(e.title) === e.detail ? e.rationale : `${e.detail} ${e.rationale}`, size));
  }
  if (behind.length === 0 && quiet.length === 0) behind.push(muted('no checks mapped'));
  return { behind, quiet };
}

/** How a check is linked: its coverage and any interpretation or grading rule. */
function linkFlags(k: ControlResult['checks'][number]): string {
  return [k.coverage, ...(k.interpretation ? ['interpretation'] : []), ...(k.grading !== null ? [`graded by ${k.grading}`] : [])].join(', ');
}

/**
 * A control's failing or warning findings by check, and its other linked checks grouped by how
 * they are linked (so "partial" is said once, not per check), in the control's link order.
 */
function quietGroups(ctx: PdfContext, c: ControlResult): { hits: Map<string, ReportFinding[]>; groups: Map<string, { id: string; title: string }[]> } {
  const hits = new Map<string, ReportFinding[]>();
  for (const id of c.findingIds) {
    const f = ctx.findingsById.get(id);
    if (f === undefined || (f.status !== 'fail' && f.status !== 'warn')) continue;
    const list = hits.get(f.checkId);
    if (list) list.push(f);
    else hits.set(f.checkId, [f]);
  }
  const groups = new Map<string, { id: string; title: string }[]>();
  for (const k of c.checks) {
    if (hits.has(k.checkId)) continue;
    const group = groups.get(linkFlags(k));
    if (group) group.push({ id: k.checkId, title: k.checkTitle });
    else groups.set(linkFlags(k), [{ id: k.checkId, title: k.checkTitle }]);
  }
  return { hits, groups };
}

/** A group's check titles, a named set that it holds whole said by its name ("Set A (10 vulnerability checks)"). */
function namedMembers(members: readonly { id: string; title: string }[], sets: readonly CheckSet[]): string[] {
  const ids = new Set(members.map((m) => m.id));
  const named = sets.filter((set) => [...set.ids].every((id) => ids.has(id)));
  const inNamed = new Set(named.flatMap((set) => [...set.ids]));
  return [...named.map((set) => `${set.name} (${num(set.ids.size)} ${set.category === null ? '' : `${set.category} `}checks)`), ...members.filter((m) => !inNamed.has(m.id)).map((m) => m.title)];
}

/**
 * What tlsproof found for each report property that two or more controls of the framework cite
 * with the same finding: said once in the framework's header, each row keeping the verdict and
 * why the property is evidence for that control.
 */
function sharedPropertyDetails(fw: FrameworkResult): Map<string, string> {
  const seen = new Map<string, { detail: string; count: number }>();
  for (const c of fw.controls) {
    for (const e of c.evidence) {
      const s = seen.get(e.title);
      if (s === undefined) seen.set(e.title, { detail: e.detail, count: 1 });
      else if (s.detail === e.detail) s.count++;
    }
  }
  return new Map([...seen].filter(([, s]) => s.count > 1).map(([title, s]) => [title, s.detail]));
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

function drawFramework(ctx: PdfContext, fw: FrameworkResult, root: OutlineItem | undefined, sets: readonly CheckSet[]): void {
  const statuses = controlStatusesShown(ctx.model);
  const assets = scopeLines(fw.scope.assets);
  const shared = sharedPropertyDetails(fw);
  const info = prepareTable(ctx, [{ header: '', weight: 18, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 82 }], [
    ['Version, source', { runs: [{ text: `${fw.version}, dated ${fw.versionDate} · ${fw.source.document} (retrieved ${fw.source.retrieved})` },
      { text: fw.source.url, color: COLOR.link, size: TYPE.small, link: fw.source.url }] }],
    ['Applies to; relevance', { runs: [{ text: fw.appliesTo }, muted(RELEVANCE_TEXT[fw.relevance], TYPE.table)] }],
    // With assets to list, they carry the reasons; the model's sentence would repeat them.
    ['Scope', { runs: [{ text: `${num(fw.scope.endpointKeys.length)} endpoint${fw.scope.endpointKeys.length === 1 ? '' : 's'}: ${assets.length > 0 ? 'in scope through the domain list:' : fw.scope.reason}` },
      ...(assets.length > 0 ? [muted(assets.join('\n'))] : [])] }],
    ...(fw.notes !== null && fw.notes.length > 0 ? [['Notes', { runs: [muted(fw.notes, TYPE.small)] }] satisfies Cell[]] : []),
    ...(shared.size > 0 ? [['Report properties', { runs: [...shared].map(([title, detail]) => muted(`${title}: ${detail}`)) }] satisfies Cell[]] : []),
    ['Controls', { runs: [{ text: statuses.map((s) => `${CONTROL_STATUS_LABEL[s].text} ${num(fw.counts[s])}`).join(' · '), font: 'bold' }] }],
  ], { header: false, zebra: false, size: TYPE.small, padY: ROW_PAD });
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
    const rows = weighed.map((c) => ({
      control: controlRuns(c), requirement: [...requirementRuns(c), ...reasonRuns(c, TYPE.small)], ...evidenceRuns(ctx, c, true, 7.2, sets, shared),
    }));
    const { weight, quietUnderRequirement } = balanceColumns(ctx, rows);
    const t = prepareTable(ctx, [
      { header: 'Control, status', weight: CONTROL_WEIGHT },
      { header: 'Requirement (paraphrased); why this status', weight },
      { header: 'Evidence behind the status', weight: 100 - CONTROL_WEIGHT - weight },
    ], rows.map((r, i): Cell[] => [
      { runs: r.control },
      { runs: quietUnderRequirement[i] === true ? [...r.requirement, ...r.quiet] : r.requirement },
      { runs: quietUnderRequirement[i] === true ? r.behind : [...r.behind, ...r.quiet] },
    ]), {
      splitRowsAbove: SPLIT_ROWS_ABOVE,
      padY: ROW_PAD,
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
      { runs: [...requirementRuns(c, COMPACT_SIZE), ...reasonRuns(c, COMPACT_SIZE), ...compactEvidence(ctx, c, sets, shared)] },
    ]), { size: COMPACT_SIZE, splitRowsAbove: SPLIT_ROWS_ABOVE, padY: ROW_PAD });
    ctx.heading(3, weighed.length > 0 ? `Other controls (${num(others.length)})` : `Controls (${num(others.length)})`, { keepWith: t.startHeight });
    t.draw();
  }
}

/**
 * Width of the first column: the control id over its status word and kind. One column for the
 * three (they are short) leaves the requirement and the evidence most of the line.
 */
const CONTROL_WEIGHT = 16;

/**
 * Widths the requirement column of the full rows may take (the evidence column takes the rest);
 * from 42 its heading fits one line.
 */
const REQUIREMENT_WEIGHTS = [42, 46, 50] as const;

/**
 * The requirement column's width, and for each row whether the names of its quiet linked checks
 * go under the requirement or under the evidence, that make the rows shortest in total. The
 * names belong to both columns' subject (part of why the status is what it is, and evidence), so
 * they go where there is room; the width follows what this framework's rows hold.
 */
function balanceColumns(ctx: PdfContext, rows: readonly { control: Run[]; requirement: Run[]; behind: Run[]; quiet: Run[] }[]): {
  weight: number; quietUnderRequirement: boolean[];
} {
  let best: { weight: number; quietUnderRequirement: boolean[]; total: number } | undefined;
  for (const weight of REQUIREMENT_WEIGHTS) {
    const evidenceWeight = 100 - CONTROL_WEIGHT - weight;
    let total = 0;
    const under = rows.map((r) => {
      const first = cellHeight(ctx, r.control, CONTROL_WEIGHT);
      const a = Math.max(first, cellHeight(ctx, [...r.requirement, ...r.quiet], weight), cellHeight(ctx, r.behind, evidenceWeight));
      const b = Math.max(first, cellHeight(ctx, r.requirement, weight), cellHeight(ctx, [...r.behind, ...r.quiet], evidenceWeight));
      total += Math.min(a, b);
      return a < b;
    });
    if (best === undefined || total < best.total) best = { weight, quietUnderRequirement: under, total };
  }
  return { weight: best?.weight ?? REQUIREMENT_WEIGHTS[0], quietUnderRequirement: best?.quietUnderRequirement ?? [] };
}

/** A compact row's evidence: the quiet linked checks, then report properties. */
function compactEvidence(ctx: PdfContext, c: ControlResult, sets: readonly CheckSet[], shared: ReadonlyMap<string, string>): Run[] {
  const { behind, quiet } = evidenceRuns(ctx, c, false, COMPACT_SIZE, sets, shared);
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
    // A control with no linked check (one decided by report properties alone) assesses no endpoint by design.
    { text: c.checks.length === 0 && c.endpointsAssessed === 0 ? ownReason(c).trimEnd()
      : `${ownReason(c)}${num(c.endpointsAssessed)} endpoint${c.endpointsAssessed === 1 ? '' : 's'} assessed${domains}.`, size, color: COLOR.muted },
    ...(c.gradingNote !== null ? [{ text: c.gradingNote, size, color: CONTROL_STATUS_LABEL.warn.color }] : []),
  ];
}
