/**
 * The command line's own prose, in one place and one voice: what was wrong with the command as
 * typed, what is allowed, and what to do. The stages below keep theirs (src/errors.ts says where);
 * the commands throw ReportError with these texts and cli/index.ts prints every one the same way.
 */
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

const COMMANDS = ['report', 'scan', 'templates', 'exceptions', 'frameworks', 'controls', 'explain', 'history', 'diff', 'store', 'verify'] as const;

export const MSG = {
  // ── Any command ──
  unknownCommand: (command: string) => `Unknown command "${command}". Commands: ${COMMANDS.join(', ')}. See tlsproof --help.`,
  /** An option parseArgs refused; `help` is the command's help text, or a pointer to it. */
  badArguments: (detail: string, help: string) => `${detail.replace(/\.$/, '')}.\n${help}`,
  seeHelp: (command?: string) => `See tlsproof ${command === undefined ? '' : `${command} `}--help.`,
  /** The tail of a list cut short on the terminal. */
  andMore: (n: number) => `… and ${n} more`,
  internalError: (stack: string) => `internal error, please report it with the command you ran:\n${stack}`,
  /** A file-system error no stage turned into its own message: the system's words, no stack. */
  systemError: (code: string, detail: string) => `${detail} (${code}). Nothing was written or recorded; check the path and its permissions, then run again.`,
  storeAndNoStore: () => '--store and --no-store contradict each other; give one.',
  formatUnknown: (bad: readonly string[], allowed: readonly string[]) => `--format ${quoted(bad)} is not one of ${allowed.join(', ')}.`,
  dateOnly: (option: string, value: string) => `${option} "${value}" must be a date like 2026-09-30.`,
  isoInstant: (option: string, value: string) => `${option} "${value}" is not an ISO 8601 date or time, e.g. 2026-10-01T09:00:00Z.`,
  notAMonth: (option: string, value: string) => `${option} "${value}" is not a month: give 1 to 12 or a month name (e.g. 10 or October).`,

  // ── report ──
  reportNeedsInput: () => 'tlsproof report needs at least one input: a scanner export, a folder or a glob (or a domain list to scan). See tlsproof report --help.',
  inputFormatUnknown: (value: string, allowed: readonly string[]) => `--input-format "${value}" is not one of ${allowed.join(', ')}.`,
  readOnlyAndNoStore: () => '--store-read-only reads the store and --no-store leaves it out; give one.',
  bundleToStdout: () => '--bundle writes a file; it does not work with --out -.',
  passphraseWithoutSign: () => '--sign-passphrase-file is only read with --sign FILE.',
  tsaWithoutSign: () => '--tsa time-stamps a signature: give --sign FILE too.',
  tsaNotUrl: (tsa: string) => `--tsa "${tsa}" is not an http:// or https:// URL of an RFC 3161 time-stamp authority.`,
  /** `signed`: the formats that carry a signature of their own (pdf). */
  signNeedsFormat: (signed: readonly string[]) =>
    `--sign signs the ${signed.map((f) => f.toUpperCase()).join(' and ')} report and the evidence bundle: add ${signed.join(' or ')} to --format, or --bundle.`,
  inputProblems: (n: number) => `${plural(n, 'input problem')} (listed in the report's appendix):`,
  exceptionsAndNoExceptions: () => '--exceptions and --no-exceptions contradict each other; give one.',
  failOnUnknown: (value: string, allowed: readonly string[]) => `--fail-on "${value}" is not one of fail, warn, ${allowed.join(', ')}.`,

  // ── catalogue ──
  frameworksNoArguments: (found: readonly string[]) =>
    `frameworks takes no arguments (found "${found.join(' ')}"); to see one framework's controls use tlsproof controls <id>.`,
  controlsNeedsOne: (found: number, help: string) => `controls needs exactly one framework, e.g. tlsproof controls hipaa (found ${found}).\n${help}`,
  explainNeedsOne: (found: number, help: string) => `explain needs exactly one check id, e.g. tlsproof explain proto-tls10 (found ${found}).\n${help}`,
  explainUnknown: (id: string, hint: string | undefined, ids: readonly string[]) =>
    `"${id}" is not a check or report property${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; known ids: ${ids.join(', ')}.`,
  frameworksUnknown: (unknown: readonly string[], known: readonly string[]) =>
    `Unknown framework${unknown.length > 1 ? 's' : ''} ${quoted(unknown)} in --frameworks. Available: ${known.join(', ')}.`,

  // ── templates ──
  templatesUsage: (sub: string | undefined, help: string) =>
    `templates: expected "templates init DIR"${sub !== undefined && sub !== 'init' ? ` (unknown subcommand "${sub}")` : ''}.\n\n${help}`,
  templatesExisting: (existing: readonly string[]) =>
    `templates: not overwriting existing files: ${existing.join(', ')}. Choose an empty folder or move them away.`,

  // ── history, diff, store ──
  historyUsage: () => 'tlsproof history takes no arguments, or "show RUN". See tlsproof history --help.',
  diffUsage: () => 'tlsproof diff needs one or two periods, e.g. tlsproof diff 2026-Q2 2026-Q3. See tlsproof diff --help.',
  diffTrend: (value: string) => `--trend "${value}" must be a whole number from 4 to 8.`,
  diffDeadline: (part: string, severities: readonly string[]) =>
    `--deadline "${part}" is not SEVERITY=DAYS: severity one of ${severities.join(', ')}, DAYS a whole number or "none" (e.g. --deadline critical=15).`,
  storeNeedsOut: (sub: 'regenerate' | 'bundle') => sub === 'regenerate'
    ? 'tlsproof store regenerate needs --out DIR for the regenerated report.'
    : 'tlsproof store bundle needs --out DIR for the regenerated report and its bundle.',
  storeHead: (head: string) => `--head "${head}" is not SEQ:SHA256 (a run number, a colon, and the 64 hex digits a report prints as its chain head).`,
  storeUnknown: (given: string) => `Unknown store command "${given}". Commands: verify, export, regenerate RUN, bundle RUN. See tlsproof store --help.`,

  // ── verify ──
  verifyUsage: (help: string) => `tlsproof verify takes one file (a signed PDF or an evidence bundle).\n${help}`,
  cannotRead: (what: string, code: string) => `${what}: cannot read the file (${code}).`,
  caFileNoPem: (file: string) => `--ca-file ${file}: no PEM certificate (BEGIN CERTIFICATE) in the file.`,
  verifyUnknownKind: (file: string) => `${file}: neither a PDF nor an evidence bundle (zip); tlsproof verify checks the signed PDF reports and bundles tlsproof writes.`,

  // ── exceptions ──
  exceptionsUsage: () => 'tlsproof exceptions: expected "exceptions check [FILE]". See tlsproof exceptions --help.',
  exceptionsNoStore: (path: string) => `no evidence store at ${path}; validating only.`,
  exceptionsNoFile: (defaultFile: string) =>
    `tlsproof exceptions check: no exceptions file given and no ${defaultFile} found next to the config or here; give FILE.`,

  // ── scan ──
  scanNeedsList: () => 'tlsproof scan needs a domain list CSV (or --domain NAME). See tlsproof scan --help.',
  scanNeedsOut: () => 'tlsproof scan needs --out DIR, the folder for scan.jsonl and summary.csv.',
  scanResolver: (detail: string) => `--resolver: ${detail}`,
  scanNothing: () => 'The domain list holds no usable domain; nothing to scan.',
  scanRetries: (value: string | undefined) => `--retries "${value}" must be 0 to 10.`,
  duration: (option: string, value: string) => `${option} "${value}" is not a duration: use e.g. 10s, 500ms or 2m.`,
  wholeNumber: (option: string, value: string, max: number) => `${option} "${value}" must be a whole number from 1 to ${max}.`,
  /** What a failed write leaves behind, for output/messages.ts writeFailedMessage. */
  scanKept: (outDir: string) => `the results so far stay in ${outDir}; tlsproof scan --resume continues them`,
  scanInterrupted: () => 'interrupted; finishing the results file (press Ctrl-C again to stop at once). Resume with --resume.',
  damagedLines: (n: number) => `warning: ${plural(n, 'line')} of the earlier results did not read back; dropped, and what they held scanned again:`,
} as const;

/**
 * What the commands print on stdout when all went as asked: the summary lines under a report,
 * a scan, a store check or a signature check. Each function returns whole lines, newline included.
 */
export const OUT = {
  version: (version: string) => `tlsproof ${version}\n`,
  wrote: (file: string) => `Wrote ${file}\n`,

  // ── report ──
  reportSummary: (id: string, endpoints: number, failing: number, warning: number, frameworks: number) =>
    `Report ${id}: ${plural(endpoints, 'endpoint')}, ${failing} failing and ${warning} warning findings, ${plural(frameworks, 'framework')}.\n`,
  frameworkCounts: (name: string, c: Readonly<Record<'fail' | 'warn' | 'risk-accepted' | 'pass' | 'evidence' | 'not-assessed' | 'not-graded', number>>) =>
    `  ${name}: ${c.fail} fail, ${c.warn} warn, ${c['risk-accepted'] > 0 ? `${c['risk-accepted']} risk accepted, ` : ''}${c.pass} pass, ` +
    `${c.evidence} evidence supplied, ${c['not-assessed']} not assessed, ${c['not-graded']} not graded\n`,

  // ── scan ──
  scanSummary: (domains: number, c: { endpoints: number; completed: number; partial: number; error: number; blocked: number; resumed: number; handshakes: number; connections: number },
    elapsedMs: number) =>
    `Scanned ${plural(domains, 'domain')}: ${plural(c.endpoints, 'endpoint')} ` +
    `(${c.completed} completed, ${c.partial} partial, ${c.error} error, ${c.blocked} blocked${c.resumed ? `, ${c.resumed} from the earlier run` : ''}) ` +
    `in ${(elapsedMs / 1000).toFixed(1)} s, ${c.handshakes} handshakes over ${c.connections} connections.\n`,

  // ── catalogue, templates ──
  frameworksTotal: (versions: number, controls: number, starred: boolean) =>
    `\n${plural(versions, 'framework version')}, ${controls} controls.` +
    `${starred ? ' * = the version used when only the id is given.' : ''} See a framework's controls with: tlsproof controls <id>\n`,
  templatesWritten: (config: string, exceptions: string, templates: number, templatesDir: string, schemaDir: string) =>
    `Wrote ${config}, ${exceptions}, ${templates} template files under ${templatesDir} ` +
    `and the ReportModel, config and exceptions JSON Schemas under ${schemaDir}.\n` +
    `Render with: tlsproof ... --config ${config}\n`,

  // ── exceptions ──
  exceptionsValid: (file: string, count: string, maxMonths: number) => `${file}: ${count}, valid (expiry at most ${maxMonths} months after approval).\n`,
  exceptionsNotMatched: (noStore: boolean) => noStore
    ? 'Not matched against any run (--no-store).\n'
    : 'The evidence store holds no run to match against; run tlsproof report first.\n',
  exceptionsMatched: (seq: number, reportId: string, recorded: string, reportDate: string) =>
    `Matched against run ${seq} (report ${reportId}, recorded ${recorded} UTC), judged on ${reportDate}:\n`,

  // ── history, store ──
  historyHeader: (path: string, format: number, runs: number) => `Evidence store ${path} (format ${format}): ${plural(runs, 'run')}\n`,
  storeHeader: (path: string, result: { format: number | null; runs: number; blobs: number }) =>
    `Evidence store ${path}${result.format === null ? '' : ` (format ${result.format}, ${result.runs} runs, ${result.blobs} stored inputs)`}\n`,
  storeCheck: (ok: boolean, id: string, detail: string) => `  ${ok ? 'ok  ' : 'FAIL'}  ${id.padEnd(14)} ${detail}\n`,
  chainHead: (seq: number, sha256: string) => `Chain head: ${seq}:${sha256}\n`,
  storeOutcome: (ok: boolean) => ok
    ? 'The store is intact.\n'
    : 'The store has problems (see FAIL above). Keep a copy of the file before doing anything else with it.\n',
  storeLimits: (limits: readonly string[]) => `What this check can and cannot see:\n${limits.map((l) => `  - ${l}\n`).join('')}`,
  exported: (lines: number, target: string) => `Wrote ${lines} lines to ${target}\n`,
  regenerated: (same: boolean, seq: number, modelSha256: string, recordedBy: string, regeneratedBy: string, moved: boolean) => same
    ? `Identical to run ${seq}'s report (model SHA-256 ${modelSha256}).\n`
    : `Differs from run ${seq}'s report: recorded by tlsproof ${recordedBy}, regenerated by ${regeneratedBy}; ` +
      `mappings or checks may have changed${moved ? ', and inputs given by absolute path now carry other names' : ''}.\n`,

  // ── explain, controls, history show (listings: one line each, no newline) ──
  explainCheck: (id: string, title: string, severity: string, category: string, appliesTo: 'all' | readonly string[]) =>
    `${id} — ${title} (check; severity ${severity}, ${category}; applies to ${appliesTo === 'all' ? 'every service' : appliesTo.join(', ')})`,
  explainProperty: (id: string, title: string) => `${id} — ${title} (report property, judged from the report itself)`,
  countsTowardNone: (reason: string) => `Counts toward no control: ${reason}`,
  linkedFromNone: () => 'No control in the selected frameworks links it.',
  linkedFrom: (controls: number, frameworks: number) => `Linked from ${plural(controls, 'control')} in ${plural(frameworks, 'framework')}:`,
  gradingRule: (rule: { id: string; title: string; services: readonly string[]; failAs: string; basis: string }) =>
    `Grading rule ${rule.id} — ${rule.title}: on ${rule.services.join(', ')} endpoints a failure of this check counts as a ` +
    `${rule.failAs === 'warn' ? 'warning' : rule.failAs} on the controls marked "grading ${rule.id}", and as a failure on the others (${rule.basis}).`,
  checksHeading: () => '  Checks:',
  propertiesHeading: () => '  Report properties:',
  runControlsHeading: () => 'Controls',
  runProblemsHeading: (n: number) => `Input problems (${n})`,
  runMoreProblems: (n: number) => `  … and ${n} more`,

  // ── verify ──
  signedPdf: (file: string, signatures: number) => `${file}: signed PDF, ${plural(signatures, 'signature')}\n`,
  pdfSignature: (s: { signer: string | null | undefined; signingTime: string | null | undefined; timestampTime: string | null | undefined; authority: string | null | undefined; subFilter: string | null | undefined }, chain: string) =>
    `  signer      ${s.signer ?? 'unreadable'}\n  signed at   ${s.signingTime ?? 'not stated'}` +
    `${s.timestampTime ? ` (time-stamped ${s.timestampTime} by ${s.authority ?? 'an unreadable authority'})` : ''}\n` +
    `  type        ${s.subFilter ?? 'unknown'}\n  chain       ${chain}\n`,
  bundle: (file: string, files: number, manifest: { reportId: string; tool: string } | null | undefined) =>
    `${file}: evidence bundle, ${files} files in the manifest${manifest ? ` (report ${manifest.reportId}, ${manifest.tool})` : ''}\n`,
  bundleSignature: (s: { signer: string | null | undefined; claimedTime: string | null | undefined; timestampTime: string | null | undefined }, chain: string) =>
    `  signer      ${s.signer ?? 'unreadable'}\n  signed at   ${s.claimedTime ?? 'not stated'}${s.timestampTime ? ` (time-stamped ${s.timestampTime})` : ''}\n  chain       ${chain}\n`,
  /** Whether a signer's chain leads to a certificate given with --ca-file; `anchors` is how many were given. */
  chainWords: (state: string, anchors: number) => state === 'trusted' ? 'trusted (leads to a certificate in --ca-file)'
    : state === 'untrusted' ? 'NOT trusted'
    : anchors === 0 ? 'not checked (give --ca-file with the CA you trust for this signer)' : 'not checked',
  verified: () => 'Verified: nothing was altered and the signature holds.\n',
  notVerified: (problems: readonly string[]) => `NOT VERIFIED: ${plural(problems.length, 'problem')}\n${problems.map((p) => `  - ${p}\n`).join('')}`,
} as const;
