/**
 * The `tlsproof` command line: argv → the command → exit code (the table is in exit-codes.ts).
 * Heavy modules load only for the command that needs them, so --help and --version start fast.
 */
import { ReportError } from '../errors.js';
import { errnoCode, streamError } from '../output/staged.js';
import { DEFAULT_STORE_PATH } from '../store/defaults.js';
import { packageVersion } from '../version.js';
import { EXIT_FATAL, EXIT_OK, type ExitCode } from './exit-codes.js';
import { formatOptionHelp } from './formats.js';
import { MSG, OUT } from './messages.js';

import type { CliIo } from './io.js';

const HELP = `tlsproof — audit-ready evidence that your mail servers encrypt email in transit

Usage:
  tlsproof report <inputs...> [options]   build the reports (see --format) from scan results
  tlsproof scan <domains.csv> --out DIR    discover and assess every mail endpoint of the listed domains
  tlsproof templates init DIR              copy the report templates, a commented report.config.yaml and exceptions.example.yaml
  tlsproof exceptions check [FILE]        validate an exception register and list what each entry matches in the store's latest run
  tlsproof frameworks [--json]            the frameworks tlsproof maps to, with versions and control counts
  tlsproof controls <framework> [--json]  a framework's controls and the checks that give evidence for them
  tlsproof explain <check-id> [--json]    every control a check touches, across frameworks, and why
  tlsproof history [show RUN]             list the runs in the evidence store, or show one
  tlsproof diff [FROM] TO                 compare two periods from the evidence store (e.g. 2026-Q2 2026-Q3)
  tlsproof store verify|export|regenerate|bundle  check the store, export it, rebuild or bundle a past report
  tlsproof verify FILE [--ca-file FILE]   check a signed PDF report or evidence bundle: what was altered, signature, chain
  tlsproof --version | --help

Inputs are scanner exports, folders of them, or globs ("scans/*.csv"): testssl.sh CSV and JSON, Nessus CSV and
.nessus, Greenbone/OpenVAS CSV and XML, Qualys VM CSV and XML, nmap XML (ssl-enum-ciphers, ssl-cert), SSLyze JSON
and tlsproof's own scan results;
or a domain list, which tlsproof then scans itself.

Report options:
  --domains FILE        domain list CSV (domain, owner, business_unit, data_classes, frameworks, notes):
                        sets the report's scope and which frameworks apply to each domain
  --org NAME            organisation named on the cover
  --title TEXT          report title (default: "Email transport encryption evidence")
  --period P            2026-Q3 | 2026-H2 | 2026-09 | 2026 | 2026-07-01..2026-09-30 | FY2027 | FY2027-Q1;
                        with a store, the history section compares this period's state with the previous one
  --frameworks LIST     only these frameworks, e.g. hipaa,pci-dss (default: those the --domains list
                        brings into scope by data class; without a list, the technical baselines
                        nist-800-52 and ietf, as mappings/scope.yaml sets)
${formatOptionHelp()}
  --out DIR             output folder (default: ./report)
  --strict              any input problem, or an observation dated outside --period, stops the run
                        before anything is written or recorded (exit 2)
  --generated-at ISO    generation time to print (default: SOURCE_DATE_EPOCH, else now);
                        with the same inputs, the same value gives byte-identical reports
  --report-date DATE    date expiry windows count from (default: the generation date, UTC)
  --observed-at ISO     when the scans ran, for inputs that carry no time (default: file mtime)
  --mappings DIR        extra or overriding mapping files (repeatable)
  --templates DIR       HTML templates overriding the built-in ones of the same name; the HTML report
                        only (the PDF follows --config: sections, text blocks, sign-off, branding)
  --config FILE         report.config.yaml: branding, classification, sections, text blocks, sign-off
                        (default: ./report.config.yaml when present)
  --exceptions FILE     exception register (accepted risks: what, why, compensating control, approver,
                        expiry); default: exceptions.yaml next to the report.config.yaml in use, when present
  --no-exceptions       apply no exception register
  --quiet               print nothing but errors
  --input-format NAME   read every input as this format instead of detecting it
  --fail-on LEVEL       for CI: exit 3 when a finding trips the gate: fail (any failing finding), warn
                        (any failing or warning one), or a severity info|low|medium|high|critical
                        (failing or warning findings at or above it); the report is written first;
                        findings accepted by an exception in force do not count, lapsed ones do

Signing and evidence bundles (checked by PDF readers, openssl and tlsproof verify):
  --bundle              also write <name>.tlsproof.zip: the reports, every input, the mapping files used and
                        manifest.json (SHA-256 of each, tool version), signed (manifest.json.p7s) with --sign
  --sign FILE           sign the PDF (PAdES) and the bundle manifest (detached CMS) with one PEM file
                        holding the signer's private key and certificate chain
                        (from PKCS#12: openssl pkcs12 -in signer.p12 -out signer.pem)
  --tsa URL             add an RFC 3161 time-stamp from this authority to the signatures (PAdES B-T)
  --sign-passphrase-file FILE
                        passphrase of an encrypted key, first line of FILE; else the
                        TLSPROOF_SIGN_PASSPHRASE environment variable (never on the command line)

Scanning (when the inputs are a domain list and no scan results, tlsproof scans the domains first):
  --resolver IP[:PORT]  DNS server for every lookup (default: the system's)
  --ca-file FILE        extra trusted CA (internal mail relays); repeatable
  --scan-out DIR        keep the scan results (scan.jsonl, summary.csv) in DIR
  --ipv4-only           do not probe AAAA addresses
  --no-scan             never scan; a domain list alone is then an error
  --store PATH          evidence store that records every run (default ${DEFAULT_STORE_PATH});
                        with earlier runs in it, the report compares its period with the previous one
  --no-store            do not record this run
  --store-read-only     compare with the store's runs (history section) without recording this one; the store is not written
  --fiscal-year-start M month (1-12 or a name) the fiscal year starts in, for --period FY2027 / FY2027-Q1
                        (default: fiscalYearStart in report.config.yaml, else January)

Examples:
  tlsproof report samples/2026-Q3 --domains samples/domains.csv --org "Example Health" --period 2026-Q3
  tlsproof report 'scans/**/*.csv' --frameworks hipaa --format pdf --out evidence/2026-Q3
  tlsproof report domains.csv --org "Example Health" --scan-out scans/2026-Q3   (scan, then report)
  tlsproof report scan.csv --strict --format json --out -    (JSON model to standard output)

Exit codes: 0 report written · 1 report written, some input skipped (listed in its appendix) · 2 nothing written
            (nor recorded: also when an output cannot be written; earlier files of the same names stay as they were)
            · 3 report written, and --fail-on found findings at or above its threshold (wins over 1)
tlsproof verify: 0 verified · 1 something altered or not trusted · 2 file unreadable`;

/** `tlsproof report --help`: the report's own usage, inputs, options, examples and exit codes, without the other commands. */
const REPORT_HELP = `Usage: tlsproof report <inputs...> [options]\n\n${HELP.slice(HELP.indexOf('Inputs are'), HELP.indexOf('\ntlsproof verify:'))}`;

export async function main(argv: string[], processIo: CliIo): Promise<ExitCode> {
  // Standard output that cannot be written (a full device, a closed pipe) ends the command with
  // the reason, whichever command was writing.
  const io: CliIo = { ...processIo, stdout: (s) => { try { processIo.stdout(s); } catch (err) { throw streamError(err); } } };
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${HELP}\n`);
      return command === undefined ? EXIT_FATAL : EXIT_OK;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(OUT.version(packageVersion()));
      return EXIT_OK;
    }
    if (command === 'report') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(`${REPORT_HELP}\n`);
        return EXIT_OK;
      }
      return await (await import('./commands/report.js')).reportCommand(rest, io);
    }
    if (command === 'history') return await (await import('./commands/history.js')).historyCommand(rest, io);
    if (command === 'diff') return await (await import('./commands/diff.js')).diffCommand(rest, io);
    if (command === 'store') return await (await import('./commands/store.js')).storeCommand(rest, io);
    if (command === 'verify') return await (await import('./commands/verify.js')).verifyCommand(rest, io);
    if (command === 'templates') return await (await import('./commands/templates.js')).templatesCommand(rest, io);
    if (command === 'exceptions') return await (await import('./commands/exceptions.js')).exceptionsCommand(rest, io);
    if (command === 'scan') return await (await import('./commands/scan.js')).scanCommand(rest, io);
    if (command === 'frameworks') return await (await import('./commands/frameworks.js')).frameworksCommand(rest, io);
    if (command === 'controls') return await (await import('./commands/controls.js')).controlsCommand(rest, io);
    if (command === 'explain') return await (await import('./commands/explain.js')).explainCommand(rest, io);
    throw new ReportError('usage', { command }, MSG.unknownCommand(command));
  } catch (err) {
    return failed(err, io);
  }
}

/**
 * The one catch of the command line: a ReportError (every layer's user-facing error) prints its
 * message; a file-system error no layer explained prints the system's reason; anything else is a
 * bug, printed with its stack. All of them mean exit 2: nothing was written.
 */
function failed(err: unknown, io: CliIo): ExitCode {
  if (err instanceof ReportError) {
    io.stderr(`tlsproof: ${err.message}\n`);
    return EXIT_FATAL;
  }
  if (err instanceof TypeError && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`tlsproof: ${MSG.badArguments(err.message, MSG.seeHelp())}\n`);
    return EXIT_FATAL;
  }
  const code = errnoCode(err);
  if (code !== undefined && err instanceof Error) {
    io.stderr(`tlsproof: ${MSG.systemError(code, err.message.replace(/^E[A-Z]+: /, ''))}\n`);
    return EXIT_FATAL;
  }
  io.stderr(`tlsproof: ${MSG.internalError(err instanceof Error ? err.stack ?? err.message : String(err))}\n`);
  return EXIT_FATAL;
}
