/**
 * The registry of Handlebars helpers the HTML templates may call, registered on an isolated
 * instance. The helpers themselves live by job: dates.ts (UTC formatting), labels.ts (words and
 * classes for values), lookups.ts (ids into the ReportModel), filters.ts (what the page's filters
 * match), charts.ts (chart geometry), markup.ts (helpers that return markup) and csp.ts (the
 * inlined assets and their Content-Security-Policy). A new helper is one function in
 * the module of its job plus one name in `htmlHelpers`.
 *
 * Handlebars' `strict` mode only checks `{{field}}` and `{{#field}}` positions; a misspelt field
 * passed to a helper (`{{#each endpionts}}`) would silently be `undefined`. Every helper here,
 * and the built-in `if`/`unless`/`each`/`with`, therefore rejects `undefined` arguments, so a
 * typo in any position fails the render instead of printing an empty table.
 */
import { senderHelpers } from './sender-helpers.js';
import type Handlebars from 'handlebars';
import { coverageGapLine, domainCoverageLine } from '../scope-text.js';
import { groupSources, runDetails, toolText, vantageNetworkText } from '../scan-context.js';
import { ocspLabel } from '../ocsp-label.js';
import { periodTitle } from '../../model/period.js';
import { DATE_RULE, evidenceDates } from '../evidence-dates.js';
import { evidenceDatesText, findingText, formatDate, formatDateTime, formatIsoUtc } from './dates.js';
import {
  asciiHost, controlKindLabel, count, countOrDash, coverageLabel, daysLeftLabel, decimalDays, effectLabel, eq, join, location,
  observedAtSourceLabel, offeredClass, offeredLabel, plural, scanStateLabel, serviceLabel, severityClass, severityDeadlines,
  severityLabel, statusClass, statusLabel, transportLabel, yesNo,
} from './labels.js';
import {
  attributionRule, controlRef, controlsWithStatus, endpointAnchor, endpointByKey, endpointsByKeys, findingAnchor, findingById,
  findingFrameworks, findingGroups, findingsByIds, findingsWithStatus, frameworkTitle, largeReport, observationTimeWarnings, scanTimesFrom, shortName,
} from './lookups.js';
import { checkFrameworks, controlSeverities, endpointDomains, reportDomains } from './filters.js';
import { controlTrend, failingControls, severityBars, statusSegments, statusSummary, trendChart } from './charts.js';
import { registerAssetHelpers, type InlineAssets } from './csp.js';
import { wrapPoints } from './markup.js';
import { exceptionHelpers } from './exception-helpers.js';

type HandlebarsInstance = ReturnType<typeof Handlebars.create>;

/** The helpers templates may call, by the name they use. */
const htmlHelpers = {
  formatDate, formatDateTime, formatIsoUtc, findingText, periodTitle, evidenceDates, evidenceDatesText, dateRule: () => DATE_RULE,
  statusLabel, statusClass, severityLabel, severityClass,
  count, plural, eq, join,
  yesNo, offeredLabel, offeredClass, serviceLabel, transportLabel, scanStateLabel, observedAtSourceLabel,
  effectLabel, coverageLabel, controlKindLabel, daysLeftLabel, location, asciiHost,
  findingById, findingsByIds, findingsWithStatus, endpointByKey, endpointsByKeys, controlRef, frameworkTitle, shortName,
  findingFrameworks, findingGroups, severityBars, statusSegments, statusSummary, controlsWithStatus,
  findingAnchor, endpointAnchor, decimalDays, countOrDash, severityDeadlines, failingControls, trendChart, controlTrend, ocspLabel,
  attributionRule, domainCoverageLine, coverageGapLine, observationTimeWarnings,
  scanToolText: toolText, scanTimesFrom, scanRunDetails: runDetails, vantageNetworkText, scanSourceGroups: groupSources,
  checkFrameworks, controlSeverities, reportDomains, endpointDomains, wrapPoints, largeReport,
  ...senderHelpers,
  ...exceptionHelpers,
} as const;

interface CallSite { loc?: unknown; name?: string }

function fail(hb: HandlebarsInstance, helper: string, message: string, options: CallSite | undefined): never {
  // Handlebars.Exception appends " - line:column" and sets lineNumber/column, which the renderer
  // turns into "file:line"; its types want an AST node, of which only `loc` is read.
  throw new hb.Exception(`${helper}: ${message}`, { loc: options?.loc } as unknown as hbs.AST.Node);
}

function strictHelper(hb: HandlebarsInstance, name: string, fn: (...args: never[]) => unknown): Handlebars.HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as CallSite | undefined;
    const missing = args.findIndex((a) => a === undefined);
    if (missing >= 0) fail(hb, name, `argument ${missing + 1} is undefined; is a field name misspelt?`, options);
    try {
      return (fn as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      fail(hb, name, err instanceof Error ? err.message : String(err), options);
    }
  };
}

/**
 * Registers the helpers on `hb`, plus the three asset helpers report.hbs uses to inline the
 * stylesheet, the script and the Content-Security-Policy that allows exactly that script.
 */
export function registerHelpers(hb: HandlebarsInstance, assets: InlineAssets): void {
  for (const [name, fn] of Object.entries(htmlHelpers)) hb.registerHelper(name, strictHelper(hb, name, fn));
  for (const name of ['if', 'unless', 'each', 'with']) {
    const builtin = hb.helpers[name];
    if (!builtin) continue;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      if (args.length > 1 && args[0] === undefined) {
        fail(hb, `#${name}`, 'the value is undefined; is a field name misspelt?', args[args.length - 1] as CallSite);
      }
      return (builtin as (...a: unknown[]) => unknown).apply(this, args);
    });
  }
  registerAssetHelpers(hb, assets);
}
