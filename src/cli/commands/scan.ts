/**
 * `tlsproof scan <domains.csv…> --out DIR`: discovers and probes every mail endpoint of the listed
 * domains, streaming results to DIR/scan.jsonl and DIR/summary.csv. `--resume` continues an
 * interrupted scan in the same folder. Exit codes: 0 every endpoint assessed, 1 some endpoints
 * could not be (errors, blocked, partial) or the list had problems, 2 nothing scanned,
 * 130 interrupted (resume with --resume).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { packageVersion } from '../../version.js';
import { ReportError } from '../../errors.js';
import { checkOutputFolder } from '../../output/location.js';
import { isWriteFailure, outputError } from '../../output/staged.js';
import type { CliIo } from '../io.js';
import type { DomainTarget } from '../../scan/discover.js';
import { parseResolver } from '../../scan/dns.js';
import { storePathFrom } from './history.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, type ExitCode } from '../exit-codes.js';
import { MSG, OUT } from '../messages.js';

const SCAN_HELP = `tlsproof scan — discover and assess every mail endpoint of your domains

Usage:
  tlsproof scan <domains.csv...> --out DIR [options]
  tlsproof scan --domain example.com [--domain …] --out DIR [options]

The domain list is the same CSV as for reports (column "domain"; an optional "hosts" column adds
host[:port] entries DNS does not name, e.g. "relay.internal:25 10.0.0.5:587").

Options:
  --out DIR               results folder: scan.jsonl (tlsproof's results, read back by report) and summary.csv
  --resume                continue an interrupted scan in --out (finished endpoints are not redone)
  --resolver IP[:PORT]    DNS server for every lookup, the MTA-STS fetch included (default: /etc/resolv.conf)
  --ca-file FILE          extra trust anchor (internal CA), PEM; repeatable
  --concurrency N         endpoints probed at once (default 16)
  --connections N         open connections at once (default 32)
  --per-ip N              open connections per server address (default 2; mail servers rate-limit scanners)
  --connect-timeout T     TCP connect timeout (default 10s; T like 10s, 500ms or a number of seconds)
  --read-timeout T        time for one complete server reply (default 20s)
  --handshake-timeout T   time for one TLS handshake (default 15s)
  --endpoint-timeout T    time budget per endpoint (default 180s)
  --retries N             retries after a temporary refusal (421/4xx; default 2)
  --retry-delay T         first retry delay, later ones x4 (default 5s)
  --ehlo NAME             name to give in EHLO (default tlsproof.invalid)
  --ipv4-only             skip AAAA addresses
  --progress | --no-progress   progress bar (default: on when stderr is a terminal)
  --store PATH            evidence store that records the finished scan (default .tlsproof/evidence.db)
  --no-store              do not record this scan
  --quiet                 print nothing but errors

Exit codes: 0 all assessed · 1 some endpoints not (fully) assessed, or list problems · 2 nothing scanned · 130 interrupted`;


/** `10s`, `500ms`, `2m` or a bare number of seconds → milliseconds. */
export function parseDuration(value: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new ReportError('usage', { option, value }, MSG.duration(option, value));
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

function positiveInt(value: string | undefined, option: string, fallback: number, max = 10_000): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new ReportError('usage', { option, value }, MSG.wholeNumber(option, value, max));
  }
  return Number(value);
}

export async function scanCommand(args: string[], io: CliIo): Promise<ExitCode> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${SCAN_HELP}\n`);
    return EXIT_OK;
  }
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      out: { type: 'string' }, resume: { type: 'boolean' }, resolver: { type: 'string' }, 'ca-file': { type: 'string', multiple: true },
      domain: { type: 'string', multiple: true }, concurrency: { type: 'string' }, connections: { type: 'string' }, 'per-ip': { type: 'string' },
      'connect-timeout': { type: 'string' }, 'read-timeout': { type: 'string' }, 'handshake-timeout': { type: 'string' },
      'endpoint-timeout': { type: 'string' }, 'dns-timeout': { type: 'string' }, retries: { type: 'string' }, 'retry-delay': { type: 'string' },
      ehlo: { type: 'string' }, 'ipv4-only': { type: 'boolean' }, progress: { type: 'boolean' }, 'no-progress': { type: 'boolean' },
      quiet: { type: 'boolean' }, 'mta-sts-port': { type: 'string' }, store: { type: 'string' }, 'no-store': { type: 'boolean' },
    },
  }, MSG.seeHelp('scan'));
  if (positionals.length === 0 && (values.domain ?? []).length === 0) {
    throw new ReportError('usage', {}, MSG.scanNeedsList());
  }
  if (!values.out) throw new ReportError('usage', {}, MSG.scanNeedsOut());
  if (values.resolver) {
    try {
      parseResolver(values.resolver);
    } catch (err) {
      throw new ReportError('usage', { resolver: values.resolver }, MSG.scanResolver((err as Error).message));
    }
  }
  if (values['no-store'] && values.store !== undefined) {
    throw new ReportError('usage', {}, MSG.storeAndNoStore());
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const outDir = abs(values.out);
  checkOutputFolder(outDir, '--out');
  if (!values['no-store']) (await import('../../pipeline.js')).checkStoreLocation(storePathFrom(values.store, io));

  // The domain list is read by the shared ingester, so scan and report agree on what a row means.
  const targets: DomainTarget[] = (values.domain ?? []).map((d) => ({ domain: d.toLowerCase().replace(/\.$/, '') }));
  let listProblems = 0;
  if (positionals.length > 0) {
    const { ingest } = await import('../../ingest/index.js');
    const { domainTargetsFromEntries } = await import('../../scan/targets.js');
    const out = await ingest(positionals.map((p) => ({ path: p, format: 'domain-list-csv' as const })), { cwd: io.cwd });
    listProblems = out.problems.length;
    for (const p of out.problems.slice(0, 10)) io.stderr(`tlsproof: ${[p.file, p.line, p.column].filter((x) => x !== undefined).join(':')}: ${p.message}\n`);
    targets.push(...domainTargetsFromEntries(out.domains));
  }
  if (targets.length === 0) throw new ReportError('input-empty', {}, MSG.scanNothing());

  const retries = values.retries === undefined ? 2 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new ReportError('usage', {}, MSG.scanRetries(values.retries));
  const firstDelay = values['retry-delay'] ? parseDuration(values['retry-delay'], '--retry-delay') : 5000;
  const timeouts = {
    ...(values['connect-timeout'] ? { connectMs: parseDuration(values['connect-timeout'], '--connect-timeout') } : {}),
    ...(values['read-timeout'] ? { readMs: parseDuration(values['read-timeout'], '--read-timeout') } : {}),
    ...(values['handshake-timeout'] ? { handshakeMs: parseDuration(values['handshake-timeout'], '--handshake-timeout') } : {}),
    ...(values['endpoint-timeout'] ? { endpointMs: parseDuration(values['endpoint-timeout'], '--endpoint-timeout') } : {}),
    ...(values['dns-timeout'] ? { dnsMs: parseDuration(values['dns-timeout'], '--dns-timeout') } : {}),
  };
  const { scanDomains } = await import('../../scan/index.js');
  const { ProgressBar } = await import('../../scan/progress.js');
  const showProgress = !values.quiet && !values['no-progress'] && (values.progress ?? process.stderr.isTTY === true);
  const bar = new ProgressBar(io.stderr, showProgress);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      io.stderr(`\ntlsproof: ${MSG.scanInterrupted()}\n`);
      controller.abort();
    } else {
      process.exit(EXIT_INTERRUPTED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result;
  try {
    result = await scanDomains(targets, {
      outDir, resume: values.resume ?? false,
      ...(values.resolver ? { resolver: values.resolver } : {}),
      ...(values['ca-file'] ? { caFiles: values['ca-file'].map(abs) } : {}),
      concurrency: positiveInt(values.concurrency, '--concurrency', 16),
      connections: positiveInt(values.connections, '--connections', 32),
      perIp: positiveInt(values['per-ip'], '--per-ip', 2, 64),
      timeouts,
      retry: { attempts: retries + 1, delaysMs: [firstDelay, firstDelay * 4] },
      ehloName: values.ehlo ?? 'tlsproof.invalid',
      ipv6: !values['ipv4-only'],
      ...(values['mta-sts-port'] ? { mtaStsPort: positiveInt(values['mta-sts-port'], '--mta-sts-port', 443, 65535) } : {}),
      now: io.now,
      tool: `tlsproof ${packageVersion()}`,
      signal: controller.signal,
      onPlanned: (p) => bar.update(p, true),
      onEndpoint: (r, p) => {
        bar.update(p);
        io.onScanEndpoint?.(r);
      },
    });
  } catch (err) {
    if (err instanceof ReportError) throw err;
    if (isWriteFailure(err, outDir)) throw outputError(err, outDir, '--out', MSG.scanKept(outDir));
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES') throw new ReportError('input-not-found', {}, e.message, { cause: err });
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const c = result.counts;
  // Said even with --quiet: these lines of the earlier results were dropped (their endpoints scanned again).
  if (result.damagedLines.length > 0) {
    io.stderr(`tlsproof: ${MSG.damagedLines(result.damagedLines.length)}\n`);
    for (const d of result.damagedLines.slice(0, 20)) io.stderr(`  ${relative(io.cwd, d.file) || d.file}:${d.line}: ${d.problem}\n`);
    if (result.damagedLines.length > 20) io.stderr(`  ${MSG.andMore(result.damagedLines.length - 20)}\n`);
  }
  bar.done({ done: c.completed + c.partial + c.error + c.blocked, total: c.completed + c.partial + c.error + c.blocked, errors: c.error, blocked: c.blocked, elapsedMs: result.elapsedMs });
  if (!values.quiet) {
    io.stdout(OUT.scanSummary(result.domains.length, c, result.elapsedMs));
    for (const f of result.files) io.stdout(OUT.wrote(f));
  }
  if (result.interrupted) return EXIT_INTERRUPTED;
  if (!values['no-store']) {
    const results = result.files.find((f) => f.endsWith('.jsonl'));
    if (results !== undefined) {
      const recorded = await recordScan(results, positionals, storePathFrom(values.store, io), ['scan', ...args], io);
      if (!values.quiet) io.stdout(recorded.line);
    }
  }
  return c.partial + c.error + c.blocked > 0 || listProblems > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/**
 * Records a finished scan in the evidence store (every report and scan run is recorded),
 * the way a report over its results folder would: the results file and the domain lists are kept
 * as the run's inputs, so `tlsproof store regenerate` can rebuild a report from this scan later.
 * An interrupted scan is not recorded; the run that finishes it (--resume) is.
 */
async function recordScan(resultsFile: string, lists: readonly string[], storePath: string, command: string[], io: CliIo): Promise<{ line: string }> {
  const { runReport } = await import('../../pipeline.js');
  const { recordedLine } = await import('../recorded.js');
  const rel = relative(io.cwd, resultsFile);
  const now = io.now().toISOString();
  const request = {
    // Inside the working folder the file keeps a relative name, so a regenerated report names it the same way.
    inputs: [rel.startsWith('..') || isAbsolute(rel) ? resultsFile : rel, ...lists], formats: [], outDir: io.cwd, strict: false,
    generatedAt: now, cwd: io.cwd, toolVersion: packageVersion(), scan: false as const,
    store: { path: storePath, command, recordedAt: now },
  };
  // Through the one pipeline, rendering nothing: the scan is refused, checked and recorded as a report over it would be.
  const { model, runSeq } = await runReport(request);
  return { line: runSeq === undefined ? '' : recordedLine(runSeq, storePath, model.history ?? null) };
}
