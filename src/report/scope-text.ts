/**
 * Scope wording both renderers share: how an endpoint was tied to a domain, and the one-sentence
 * account of which listed domains the report has evidence for.
 */
import type { Attribution, EndpointOrigin } from '../model/discovery.js';
import type { ReportModel } from '../model/report-model.js';

const ORIGIN_SHORT: Readonly<Record<EndpointOrigin, string>> = {
  mx: 'MX', 'implicit-mx': 'implicit MX', srv: 'SRV target', hosts: 'hosts column',
};

/** "scan: MX", "MX named by scan", "hosts column", "name suffix". */
export function attributionLabel(a: Pick<Attribution, 'rule' | 'origin'>): string {
  switch (a.rule) {
    case 'scan': return `scan: ${a.origin === null ? 'probed' : ORIGIN_SHORT[a.origin]}`;
    case 'discovered-host': return `${a.origin === null ? 'host' : ORIGIN_SHORT[a.origin]} named by scan`;
    case 'hosts-column': return 'hosts column';
    case 'suffix': return 'name suffix';
  }
}

/** The domain list against the evidence: in scope, with evidence, without (by name), taking no mail. */
function domainCoverage(model: ReportModel): { inScope: number; withEvidence: number; without: string[]; noMail: string[] } {
  const assets = model.scope.assets;
  return {
    inScope: assets.length,
    withEvidence: assets.filter((a) => a.endpointKeys.length > 0).length,
    without: [...model.scope.assetsWithoutResults],
    noMail: [...model.scope.domainsWithoutMail],
  };
}

/** One sentence, or null without a domain list. */
export function domainCoverageLine(model: ReportModel): string | null {
  const c = domainCoverage(model);
  if (c.inScope === 0) return null;
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(c.inScope, 'domain')} in scope: ${c.withEvidence} with evidence` +
    `${c.without.length > 0 ? `, ${c.without.length} without (${c.without.join(', ')})` : ', none without'}` +
    `${c.noMail.length > 0 ? `, ${c.noMail.length} that ${c.noMail.length === 1 ? 'does' : 'do'} not accept mail (${c.noMail.join(', ')})` : ''}.`;
}

/**
 * The coverage gap in one sentence for the cover and the summary: "1 of 5 in-scope domains has no
 * evidence: portal.example.test."; null when every listed domain has evidence (or no list was given).
 */
export function coverageGapLine(model: ReportModel): string | null {
  const c = domainCoverage(model);
  if (c.without.length === 0) return null;
  const n = c.without.length;
  return `${n} of ${c.inScope} in-scope domain${c.inScope === 1 ? '' : 's'} ${n === 1 ? 'has' : 'have'} no evidence: ${c.without.join(', ')}. `
    + `Nothing in this report speaks for ${n === 1 ? 'it' : 'them'}.`;
}
