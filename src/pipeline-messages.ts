/**
 * The prose of the run's own refusals, in one place: a --domains file that is missing or is no
 * domain list, inputs without scan results, and --strict stopping the run. Each says what was
 * wrong, what is allowed and what to do; pipeline.ts throws ReportError with these texts.
 */
import { formatProblem, type InputProblem } from './model/problem.js';

/** The columns a domain list has besides the required "domain". */
const DOMAIN_COLUMNS = 'owner, business_unit, data_classes, frameworks, notes';
/** Problems listed in full before the rest are counted. */
const LISTED = 20;

export const MSG = {
  /** What an interrupted --scan-out keeps: the results written before the failure. */
  scanResultsKept: (dir: string) => `the scan results so far stay in ${dir}`,
  domainsNotFound: (file: string) =>
    `--domains ${file}: the domain list file does not exist. Give the CSV that lists your domains (a "domain" column; also read: ${DOMAIN_COLUMNS}), or leave out --domains.`,
  domainsNotAList: (file: string) =>
    `--domains "${file}" is not a domain list: it needs a header row with at least a "domain" column (also read: ${DOMAIN_COLUMNS}).`,
  /** `warning` is the first observation-time warning, which names the file, the time and the period. */
  strictPeriod: (warning: string) => `--strict: ${warning} Nothing written or recorded.`,
  strictProblems: (problems: readonly InputProblem[]) =>
    `--strict: ${problems.length} input problem${problems.length === 1 ? '' : 's'}, nothing written:\n` +
    problems.slice(0, LISTED).map((p) => `  ${formatProblem(p)}`).join('\n') +
    (problems.length > LISTED ? `\n  … and ${problems.length - LISTED} more` : ''),
  noScanResults: (tlsRptOnly: boolean) =>
    'No scan results among the inputs: give at least one scanner export (testssl.sh CSV/JSON, Nessus CSV, Greenbone CSV, nmap XML, SSLyze JSON); a domain list alone describes scope, not evidence.' +
    (tlsRptOnly ? ' TLS-RPT reports say what senders saw at MX hosts; give the scan results of those hosts (or a domain list to scan) with them.' : ''),
  /** An input problem: a TLS-RPT report whose dates lie outside the report's period. */
  tlsRptOutsidePeriod: (r: { reportId: string; organization: string; start: string; end: string }, period: { label: string; start: string; end: string }) =>
    `TLS-RPT report "${r.reportId}" from ${r.organization} covers ${r.start.slice(0, 10)} to ${r.end.slice(0, 10)}, outside ${period.label} (${period.start} to ${period.end}); not counted`,
} as const;
