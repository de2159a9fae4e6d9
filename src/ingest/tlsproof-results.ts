/**
 * Reads tlsproof's own scan results back (`tlsproof scan --out DIR` → DIR/scan.jsonl, format
 * tlsproof-scan/v1). Every line is validated; a torn last line (a scan killed mid-write) or a
 * foreign line becomes a problem, never a guess. The latest record per endpoint wins (a resumed
 * scan never writes an endpoint twice, but a file concatenated by hand might).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observation } from '../model/observation.js';
import type { InputProblem } from '../model/problem.js';
import { RESULTS_FILE, RESULTS_FORMAT, ResultRecordSchema, asObservation, type DomainRecord } from '../scan/results-schema.js';
import { endpointKey } from '../model/endpoint.js';
import { toInstant } from '../time.js';
import type { DocumentIngester } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { MAX_RESULT_LINE_CHARS, oversizedMessage, oversizedString, sizeText } from './limits.js';
import { readResultsFile } from '../scan/results.js';
import { discoveryOf } from '../scan/discovery.js';
import type { DomainDiscovery } from '../model/discovery.js';
import { PROBLEM } from './messages.js';

interface TlsproofResults {
  readonly file: string;
  readonly observations: Observation[];
  readonly domains: DomainRecord[];
  readonly problems: InputProblem[];
  /** True when the file has a footer (the scan ended, possibly interrupted). */
  readonly finished: boolean;
  readonly interrupted: boolean;
}

/** Resolves a results folder to its scan.jsonl; a file path is used as given. */
async function resultsFilePath(path: string): Promise<string> {
  const info = await stat(path);
  return info.isDirectory() ? join(path, RESULTS_FILE) : path;
}

/** Everything in a results file: observations, discovery records and problems. */
export async function readTlsproofResultsDetailed(path: string): Promise<TlsproofResults> {
  const file = await resultsFilePath(path);
  const state = readResultsFile(file);
  const problems: InputProblem[] = state.badLines.map((b) => ({
    file, line: b.line, code: 'bad-result-line', effect: 'row-skipped' as const, message: PROBLEM.resultRecordUnreadable(b.problem),
  }));
  const header = state.records.find((r) => r.type === 'header');
  if (!header && state.records.length > 0) {
    problems.push({ file, code: 'no-header', effect: 'value-ignored', message: PROBLEM.resultsNoHeader() });
  }
  const footer = [...state.records].reverse().find((r) => r.type === 'footer');
  return {
    file,
    observations: [...state.endpoints.values()].map((r) => asObservation(r.observation)),
    domains: [...state.domains.values()],
    problems,
    finished: footer !== undefined,
    interrupted: footer?.type === 'footer' ? footer.interrupted : false,
  };
}

/** The Observations of a tlsproof results folder or scan.jsonl file. */
export async function readTlsproofResults(path: string): Promise<Observation[]> {
  return (await readTlsproofResultsDetailed(path)).observations;
}

/**
 * tlsproof's own scan results as an ingester, so `tlsproof report results/` (or
 * `results/scan.jsonl`) reads them like any scanner export: hashed, listed in scope, problems
 * reported by line. The latest record per endpoint wins, as in readTlsproofResults.
 */
export const tlsproofJsonl: DocumentIngester = {
  id: 'tlsproof-jsonl',
  syntax: 'json',
  describe: 'tlsproof scan results (scan.jsonl from tlsproof scan --out DIR, format tlsproof-scan/v1)',
  sniff(head) {
    // Parsed, not matched byte for byte: a file re-saved with spaces between tokens is the same file.
    const first = head.trimStart().split('\n', 1)[0] ?? '';
    if (!first.startsWith('{')) return false;
    try {
      const header = JSON.parse(first) as unknown;
      return typeof header === 'object' && header !== null && (header as { format?: unknown }).format === RESULTS_FORMAT;
    } catch {
      return false;
    }
  },
  async consume(text, ctx) {
    const endpoints = new Map<string, Observation>();
    const domains = new Map<string, DomainDiscovery>();
    const run: { tool?: string; startedAt?: string; endedAt?: string; interrupted?: boolean } = {};
    let records = 0;
    let line = 0;
    let rest = '';
    /** `raw` is the line, or the length of a line too long to keep. */
    const take = (raw: string | number, complete: boolean): void => {
      line++;
      if (typeof raw === 'number') {
        records++;
        ctx.problem({ line, code: 'line-too-long', effect: 'row-skipped',
          message: PROBLEM.resultLineTooLong(raw, sizeText(MAX_RESULT_LINE_CHARS)) });
        return;
      }
      if (raw.trim() === '') return;
      records++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        ctx.problem({ line, code: 'bad-result-line', effect: 'row-skipped',
          message: PROBLEM.resultLineNotJson(complete) });
        return;
      }
      const big = oversizedString(parsed);
      if (big !== undefined) {
        ctx.problem({ line, code: 'field-too-long', effect: 'row-skipped', message: oversizedMessage(`the field ${big.path}`, big.length) });
        return;
      }
      const r = ResultRecordSchema.safeParse(parsed);
      if (!r.success) {
        ctx.problem({ line, code: 'bad-result-line', effect: 'row-skipped',
          message: PROBLEM.resultRecordUnreadable(r.error.issues.slice(0, 3).map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')) });
        return;
      }
      if (r.data.type === 'endpoint') {
        const obs = asObservation(r.data.observation);
        if (obs.endpoint.port < 1) {
          ctx.problem({ line, code: 'bad-port', effect: 'row-skipped', message: PROBLEM.resultPort(obs.endpoint.port) });
          return;
        }
        // The schema only says these are strings; a hand-edited 2026-02-30 must not pass as a date.
        if (toInstant(obs.observedAt) === undefined) {
          ctx.problem({ line, code: 'unparseable-date', effect: 'row-skipped', message: PROBLEM.resultObservedAt(obs.observedAt) });
          return;
        }
        for (const cert of obs.certificates) {
          for (const key of ['notBefore', 'notAfter'] as const) {
            const value = cert[key]?.value;
            if (value === undefined || toInstant(value) !== undefined) continue;
            ctx.problem({ line, code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.resultCertificateDate(cert.index, key, value) });
            delete cert[key];
          }
        }
        endpoints.set(endpointKey(obs.endpoint), obs);
      } else if (r.data.type === 'domain') {
        domains.set(r.data.domain, discoveryOf(r.data.plan, ctx.file));
      } else if (r.data.type === 'header' || r.data.type === 'resume') {
        // A resumed scan appends a second header: the scan started with the first one.
        run.tool ??= r.data.tool;
        run.startedAt ??= r.data.startedAt;
      } else if (r.data.type === 'footer') {
        run.endedAt = r.data.finishedAt;
        run.interrupted = r.data.interrupted;
      }
    };
    // An overlong line is dropped as it streams in (only its length is kept), so memory stays
    // bounded by MAX_RESULT_LINE_CHARS whatever the line's size.
    let dropped = 0;
    for await (const chunk of text) {
      const lines = chunk.split('\n');
      const last = lines.pop() ?? '';
      for (const l of lines) {
        if (dropped > 0 || rest.length + l.length > MAX_RESULT_LINE_CHARS) take(dropped + rest.length + l.length, true);
        else take(rest + l, true);
        rest = '';
        dropped = 0;
      }
      if (dropped > 0) dropped += last.length;
      else if (rest.length + last.length > MAX_RESULT_LINE_CHARS) {
        dropped = rest.length + last.length;
        rest = '';
      } else rest += last;
    }
    if (dropped > 0) take(dropped, false);
    else if (rest !== '') take(rest, false);
    const tool = run.tool ?? 'tlsproof';
    const version = /^tlsproof\s+(\S+)$/.exec(tool)?.[1];
    const context: ScanContext = {
      tool, ...(version ? { version } : {}),
      ...(run.interrupted ? { note: 'the scan was interrupted before it finished' } : {}),
      ...(run.startedAt ? { startedAt: run.startedAt } : {}),
      ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    };
    return { kind: 'scan-results', observations: [...endpoints.values()], records, discovery: [...domains.values()], context };
  },
};
