/**
 * Scope: who and what the report covers — organisation and period, the domain-list assets with
 * their owners and the reason each framework applies, every endpoint (linked to its detail
 * section), and the gaps between the domain list and the scan results.
 */
import { drawTextBlock } from '../parts.js';
import type { PdfContext } from '../context.js';
import { date, num, serviceShort } from '../format.js';
import { COLOR, TYPE } from '../layout.js';
import { bold, endpointRun, location, mono, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { attributionLabel, domainCoverageLine } from '../../scope-text.js';
import { reportObservationTimeWarnings } from '../../../model/observation-times.js';

import { METHODOLOGY_DEST } from './methodology.js';

export const SCOPE_DEST = 'sec-scope';

const OBSERVATION_WARNING_COLOR = '#a15c07';
const SCAN_STATE_COLOR = { completed: COLOR.ink, partial: '#a15c07', failed: '#b42318' } as const;

export function drawScope(ctx: PdfContext): void {
  const { model } = ctx;
  const r = model.report;
  const sc = model.scope;
  ctx.sectionHeading('Scope', { dest: SCOPE_DEST, continueWith: ctx.bodyHeight / 4 });
  drawTextBlock(ctx, 'scope');

  prepareTable(ctx, [{ header: '', weight: 24, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 76 }], [
    ['Organisation', r.organisation],
    ['Period', r.period === null ? 'not stated' : `${r.period.label}: ${r.period.start} to ${r.period.end}`],
    ['Report date', r.reportDate],
    ['Frameworks', sc.frameworksRequested === null
      ? `${model.frameworks.map((f) => f.id).join(', ') || 'none'}: ${sc.assets.length > 0 ? 'brought into scope by the domain list'
        : 'the technical baselines of mappings/scope.yaml only; no domain list declared any data classes, so no framework that depends on the data carried (HIPAA, PCI DSS, GLBA and others) is assessed'} (no --frameworks filter)`
      : `as requested: ${sc.frameworksRequested.join(', ')}`],
    ...((line) => (line === null ? [] : [['Domains', line] satisfies Cell[]]))(domainCoverageLine(model)),
    ['Endpoints', `${num(sc.endpoints.length)} (${num(model.summary.endpointsCompleted)} scanned completely)`],
    ['Input files', `${num(sc.inputs.length)}; digests in ${ctx.appendixName(METHODOLOGY_DEST, 'the JSON report')}`],
  ], { header: false, zebra: false, size: TYPE.body }).draw();
  // Evidence dated outside the period, or only by file times, is said where the period is.
  for (const w of reportObservationTimeWarnings(model)) ctx.paragraph(`Observation times: ${w}`, { color: OBSERVATION_WARNING_COLOR, size: TYPE.small });

  if (sc.assets.length > 0) {
    // Rows of one domain list (the usual case) cite their line; the file is named once above.
    const files = new Set(sc.assets.map((a) => a.source.file));
    const oneFile = files.size === 1 ? [...files][0] : undefined;
    const t = prepareTable(ctx, [
      { header: 'Domain', weight: 20 },
      { header: 'Owner / unit', weight: 13 },
      { header: 'Data classes', weight: 9 },
      // The widest column: one reason per framework, each a sentence.
      { header: 'Frameworks and why', weight: oneFile === undefined ? 34 : 40 },
      { header: 'Endpoints', weight: 11, align: 'right' },
      { header: oneFile === undefined ? 'Source' : 'Line', weight: oneFile === undefined ? 13 : 7, align: oneFile === undefined ? 'left' : 'right' },
    ], sc.assets.map((a): Cell[] => {
      const extra = Object.entries(a.extra).map(([k, v]) => `${k}: ${v}`).join('; ');
      return [
        { runs: [bold(a.domain), ...(a.notes ? [muted(a.notes)] : []), ...(extra ? [muted(extra)] : [])] },
        { runs: [{ text: a.owner || '—' }, muted(a.businessUnit)] },
        a.dataClasses.join(', ') || '—',
        { runs: a.frameworks.length === 0 ? [muted('none')] : frameworkReasons(a.frameworks).map((text) => ({ text })) },
        a.endpointKeys.length === 0 && a.mail === 'null-mx' ? { runs: [{ text: '0' }, muted('no mail (null MX)')] } : num(a.endpointKeys.length),
        oneFile === undefined ? mono(location(a.source.file, a.source.line)) : num(a.source.line),
      ];
    }));
    ctx.heading(2, `Assets from the domain list (${num(sc.assets.length)})`, { keepWith: t.startHeight + 14 });
    if (oneFile !== undefined) ctx.paragraph(`Rows of ${oneFile}; Line is the row's line in that file.`, { size: TYPE.small, color: COLOR.muted });
    t.draw();
  }

  // One line per endpoint where the label allows: this table runs to thousands of rows.
  const size = 7.2;
  const t = prepareTable(ctx, [
    { header: '#', weight: 4.5, align: 'right' },
    { header: 'Endpoint and domains (why)', weight: 40 },
    { header: 'Service', weight: 13 },
    { header: 'Observed', weight: 11 },
    { header: 'Scan state', weight: 10 },
    { header: 'Worst', weight: 9.5 },
    // Wide enough for "12 / 3 / 140" on one line.
    { header: 'Fail / warn / pass', weight: 12, align: 'right' },
  ], sc.endpoints.map((ep, i): Cell[] => [
    { text: num(i + 1), color: COLOR.faint },
    // Which domains the endpoint serves and the rule that tied it, under its name (a shared MX lists each domain).
    { runs: [endpointRun(ep), ...(sc.assets.length === 0 ? []
      : ep.attribution.length === 0 ? [muted('not in the domain list', size)]
      : [muted(ep.attribution.map((a) => `${a.domain} (${attributionLabel(a)})`).join('; '), size)])] },
    serviceShort(ep),
    date(ep.observedAt),
    { text: ep.scanState, color: SCAN_STATE_COLOR[ep.scanState] },
    ep.worstSeverity === null ? { text: 'none', color: COLOR.faint } : severityRun(ep.worstSeverity, true, size),
    `${num(ep.counts.fail)} / ${num(ep.counts.warn)} / ${num(ep.counts.pass)}`,
  ]), { size });
  ctx.heading(2, `Endpoints (${num(sc.endpoints.length)})`, { keepWith: t.startHeight });
  if (sc.endpoints.length === 0) ctx.paragraph('No endpoint was assessed.');
  else t.draw();

  if (sc.unlistedEndpointKeys.length > 0) {
    ctx.heading(2, 'Endpoints not in the domain list');
    ctx.paragraph('These endpoints appear in the scan results but no domain-list row covers them, so no asset owner or data class applies to them.',
      { size: TYPE.small, color: COLOR.muted });
    ctx.paragraph(sc.unlistedEndpointKeys.map((k) => ctx.endpointsByKey.get(k)?.label ?? k).join(' · '));
  }
  if (sc.domainsWithoutMail.length > 0) {
    ctx.heading(2, 'Domains that do not accept mail');
    ctx.paragraph('These domains publish a null MX (RFC 7505): they accept no mail, so there is no mail server to assess. They were reached, not missed.',
      { size: TYPE.small, color: COLOR.muted });
    ctx.paragraph(sc.domainsWithoutMail.join(' · '));
  }
  if (sc.assetsWithoutResults.length > 0) {
    ctx.heading(2, 'Domain-list rows without scan results');
    ctx.paragraph('No scan result was found for these domains; nothing in this report speaks for them.', { size: TYPE.small, color: COLOR.muted });
    ctx.paragraph(sc.assetsWithoutResults.join(' · '));
  }
}

/**
 * "hipaa, hitech: data class PHI (…)": frameworks that apply for the same reason share one line,
 * so a data class that brings in several frameworks states its reason once.
 */
function frameworkReasons(frameworks: readonly { readonly id: string; readonly reason: string }[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const f of frameworks) {
    const ids = byReason.get(f.reason);
    if (ids) ids.push(f.id);
    else byReason.set(f.reason, [f.id]);
  }
  return [...byReason].map(([reason, ids]) => `${ids.join(', ')}: ${reason}`);
}
