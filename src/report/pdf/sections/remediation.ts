/**
 * Remediation plan: one row per failing check, in the model's priority order, with the action,
 * the endpoints affected (the first few named and linked, the rest counted) and the controls it
 * would close.
 */
import { SEVERITIES } from '../../../model/finding.js';
import { resolveDeadlines } from '../../../history/deadline.js';
import type { PdfContext, Run } from '../context.js';
import { num } from '../format.js';
import { COLOR, REMEDIATION_ENDPOINTS_SHOWN, SEVERITY_LABEL, TYPE } from '../layout.js';
import { bold, endpointRun, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';

export const REMEDIATION_DEST = 'sec-remediation';

export function drawRemediation(ctx: PdfContext): void {
  ctx.sectionHeading('Remediation plan', { dest: REMEDIATION_DEST });
  const items = ctx.model.remediation;
  if (items.length === 0) {
    ctx.paragraph('No failing or warning finding needs remediation.');
    return;
  }
  ctx.paragraph('Items are in priority order. Fixing an item removes the failing evidence behind the controls listed with it; '
    + 'a control can stay FAIL or WARN if other checks also fail it. Rescan and regenerate the report to confirm.', { color: COLOR.muted });

  // One policy, stated once; every row's date is the one the model holds for it (the history
  // section and tlsproof diff give the same date).
  const policy = resolveDeadlines(ctx.config.remediationDeadlines);
  ctx.paragraph('Fix-by dates count from when each finding was first seen (from the evidence store\'s history, else the scan) and '
    + 'never fall after the expiry of the certificate a finding is about: '
    + SEVERITIES.filter((s) => policy[s] !== null).reverse().map((s) => `${SEVERITY_LABEL[s].text} ${num(policy[s] ?? 0)} days`).join(', ') + '.', { color: COLOR.muted });
  const rows = items.map((item, i): Cell[] => {
    const eps: Run[] = [bold(`${num(item.endpointKeys.length)} endpoint${item.endpointKeys.length === 1 ? '' : 's'}`)];
    for (const key of item.endpointKeys.slice(0, REMEDIATION_ENDPOINTS_SHOWN)) {
      const ep = ctx.endpointsByKey.get(key);
      eps.push(ep !== undefined ? endpointRun(ep, TYPE.small) : muted(key));
    }
    const rest = item.endpointKeys.length - REMEDIATION_ENDPOINTS_SHOWN;
    if (rest > 0) eps.push(muted(`and ${num(rest)} more (see Endpoint details)`));
    // One line per owner, with each of their domains and tickets: an owner of several domains
    // was named once per domain, which made this the tallest cell of the row.
    const byOwner = new Map<string, string[]>();
    for (const o of item.owners) {
      const name = o.owner || 'not named';
      byOwner.set(name, [...(byOwner.get(name) ?? []), `${o.domain}${o.ticket === null ? '' : `, ticket ${o.ticket}`}`]);
    }
    for (const [owner, domains] of byOwner) eps.push(muted(`Owner: ${owner} (${domains.join('; ')})`));
    return [
      { text: String(i + 1), color: COLOR.faint },
      { runs: [severityRun(item.severity), ...(item.dueDate === null ? [] : [muted(`Fix by ${item.dueDate}`)])] },
      { runs: [bold(item.title), { text: item.remediation }, { text: item.checkId, font: 'mono', size: 6.5, color: COLOR.faint }] },
      // The controls under the endpoints, not in a column of their own: the action, the longest
      // text of the row, gets the width and the rows are a quarter shorter.
      { runs: [...eps, ...controlRuns(item.controls)] },
    ];
  });
  prepareTable(ctx, [
    { header: '#', weight: 4, align: 'right' },
    // A fix-by date needs room for "2026-10-31" on one line.
    { header: 'Severity, fix by', weight: 14 },
    { header: 'Action', weight: 49 },
    { header: 'Affected endpoints, owners, controls', weight: 33 },
  ], rows).draw();
}

/**
 * The controls a fix closes, one line per framework ("Controls: glba 314.4(c)(3)", then
 * "pci-dss 4.2.1, 6.3.1"): the column is wide enough that an id such as "164.312(e)(2)(ii)" is
 * not broken inside, as it was when the controls had a narrow column of their own.
 */
function controlRuns(controls: readonly { frameworkId: string; controlId: string }[]): Run[] {
  if (controls.length === 0) return [muted('Controls: none')];
  const byFramework = new Map<string, string[]>();
  for (const c of controls) {
    const ids = byFramework.get(c.frameworkId);
    if (ids) ids.push(c.controlId);
    else byFramework.set(c.frameworkId, [c.controlId]);
  }
  return [...byFramework].map(([fw, ids], i) => ({ text: `${i === 0 ? 'Controls: ' : ''}${fw} ${ids.join(', ')}`, size: TYPE.small }));
}
