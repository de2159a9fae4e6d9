/**
 * Scan context and limitations: every tool and version behind the inputs with its scan times,
 * where the scans ran from, the caveats the inputs bring, and what a TLS scan cannot show. What
 * a Nessus "Scan Information" block or an ASV attestation states, drawn before the verdicts so
 * the reader weighs the evidence first.
 */
import type { PdfContext } from '../context.js';
import { dateTime, num } from '../format.js';
import { COLOR, TYPE } from '../layout.js';
import { mono, muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { groupSources, runDetails, TIMES_FROM_LABEL, toolText, vantageNetworkText } from '../../scan-context.js';

export const SCAN_CONTEXT_DEST = 'sec-context';

export function drawScanContext(ctx: PdfContext): void {
  const c = ctx.model.scanContext;
  // Runs on below the scope when a quarter of the page is left: it is a page or less.
  ctx.heading(1, 'Scan context and limitations', { dest: SCAN_CONTEXT_DEST, outline: 'root', contents: true, continueWith: ctx.bodyHeight / 4 });

  const groups = groupSources(c.sources);
  const sources = prepareTable(ctx, [
    { header: 'Input', weight: 32 },
    { header: 'Tool and version', weight: 21 },
    { header: 'Scan start – end', weight: 25 },
    { header: 'Policy, feed, notes', weight: 22 },
  ], groups.map((g): Cell[] => {
    const s = g.source;
    const details = runDetails(s);
    return [
      { runs: [
        ...(g.files.length > 1 ? [{ text: `${num(g.files.length)} files (${s.kind}): `, size: TYPE.small }] : []),
        mono(g.shown.join(', ')),
        ...(g.more > 0 ? [muted(` … and ${num(g.more)} more, each listed in Appendix B`)] : []),
        ...(g.files.length === 1 ? [muted(s.kind)] : []),
      ] },
      toolText(s),
      { runs: [{ text: g.startedAt === null && g.endedAt === null ? 'not recorded' : `${dateTime(g.startedAt)} – ${dateTime(g.endedAt)}` },
        ...(s.timesFrom === null ? [] : [muted(TIMES_FROM_LABEL[s.timesFrom])])] },
      { runs: details.length === 0 ? [muted('not stated in the input')] : details.map((d) => ({ text: d })) },
    ];
  }));
  ctx.heading(2, 'Tools and scan times', { keepWith: sources.startHeight });
  if (c.sources.length === 0) ctx.paragraph('No scan result was read.');
  else sources.draw();

  const known = c.vantage.known.length > 0 ? c.vantage.known.join(' ') : 'The inputs do not record where the scans ran from.';
  const vantage = prepareTable(ctx, [{ header: '', weight: 24, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 76 }], [
    ['Network', vantageNetworkText(c.vantage)],
    ['Description', c.vantage.description ?? { runs: [muted('Not stated. Describe the scanning host, its network and firewall path in vantagePoint.description in report.config.yaml.', TYPE.table)] }],
    ['What tlsproof knows', known],
  ], { header: false, zebra: false, keepTogether: true });
  ctx.heading(2, 'Where the scans ran from', { keepWith: vantage.height });
  vantage.draw();

  if (c.caveats.length > 0) {
    ctx.heading(2, 'Caveats for these inputs', { keepWith: 40 });
    for (const text of c.caveats) ctx.paragraph(`•  ${text}`, { indent: 8, size: TYPE.small, gapAfter: 3 });
  }
  ctx.heading(2, 'What a TLS scan cannot show', { keepWith: 40 });
  for (const text of c.limitations) ctx.paragraph(`•  ${text}`, { indent: 8, size: TYPE.small, gapAfter: 3 });
}
