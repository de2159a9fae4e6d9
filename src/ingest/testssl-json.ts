/**
 * testssl.sh JSON: flat (`--jsonfile`: an array of `{id, ip: "host/ip", port, severity, finding,
 * cve?, cwe?, hint?}`) and pretty (`--jsonfile-pretty`: a header with the testssl version and
 * start time, `scanResult[]` per host with `targetHost`, `ip`, `port` and one array per section).
 * The findings are the same records as testssl's CSV, so they go through the testssl CSV
 * ingester's record logic unchanged; only the reading differs. Pretty JSON carries the scan's
 * start time and testssl's version: observations take them (observedAtSource `input`).
 */
import type { Observation } from '../model/observation.js';
import type { SourceKind } from '../model/source.js';
import { asRecord, asString, readJsonValues } from './json-document.js';
import { testsslCsv } from './testssl-csv.js';
import type { DocumentIngester, IngestContext, RecordSink } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { PROBLEM } from './messages.js';

const CSV_HEADER = ['id', 'fqdn/ip', 'port', 'severity', 'finding', 'cve', 'cwe'] as const;

/** Host-level keys in a pretty scanResult entry; every other array is a section of findings. */
const HOST_KEYS = new Set(['targetHost', 'ip', 'port', 'rDNS', 'service', 'hostname']);

export const testsslJson: DocumentIngester = {
  id: 'testssl-json',
  syntax: 'json',
  describe: 'testssl.sh JSON (--jsonfile flat array, or --jsonfile-pretty with "scanResult")',
  sniff(head) {
    if (/^\s*\[\s*(?:\]|\{\s*"id"\s*:)/.test(head)) return /"finding"\s*:/.test(head) || /^\s*\[\s*\]/.test(head);
    return /^\s*\{/.test(head) && (/"Invocation"\s*:/.test(head) || (/"scanResult"\s*:/.test(head) && /"targetHost"\s*:/.test(head)));
  },
  async consume(text, ctx) {
    const sink = testsslCsv.start(CSV_HEADER, ctx);
    const header: Record<string, string> = {};
    let pretty = false;
    /** Host context of the scanResult entry being read (pretty JSON). */
    let hostIndex = -1;
    let host: { targetHost?: string; ip?: string; port?: string } = {};
    /** Scalars of the current scanResult entry that are not host keys (see the quirk below). */
    let stray: { fields: Record<string, string>; line: number } | undefined;
    const flushStray = (): void => {
      // testssl 3.0 writes a mass scan's host without TLS as a bare finding inside scanResult
      // ({"id": "optimal_proto", "finding": "127.0.61.33:25 doesn't seem to be a TLS/SSL enabled server."}),
      // with no targetHost: the address and port are only in the finding's text.
      if (stray && stray.fields['id'] && host.targetHost === undefined && host.ip === undefined) {
        const m = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d+)\b/.exec(stray.fields['finding'] ?? '');
        if (m) feed(sink, stray.fields, { ip: m[1]!, port: m[2]! }, stray.line, ctx);
        else ctx.problem({ line: stray.line, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.findingOutsideScan(stray.fields['id']) });
      }
      stray = undefined;
    };
    await readJsonValues(text, ctx,
      (path, kind) => {
        if (path.length === 0) {
          pretty = kind === 'object';
          return kind === 'scalar' ? 'skip' : 'descend';
        }
        if (!pretty) return path.length === 1 ? 'capture' : 'skip';
        if (path.length === 1) {
          if (path[0] === 'scanResult') return kind === 'array' ? 'descend' : 'skip';
          return kind === 'scalar' ? 'capture' : 'skip';
        }
        if (path[0] !== 'scanResult') return 'skip';
        if (path.length === 2) return kind === 'object' ? 'descend' : 'skip';
        if (path.length === 3) return kind === 'scalar' ? 'capture' : kind === 'array' ? 'descend' : 'skip';
        return path.length === 4 ? 'capture' : 'skip';
      },
      (v) => {
        if (!pretty) {
          feed(sink, v.value, undefined, v.line, ctx);
          return;
        }
        if (v.path.length === 1) {
          const s = asString(v.value);
          if (s !== undefined) header[String(v.path[0])] = s;
          return;
        }
        const index = Number(v.path[1]);
        if (index !== hostIndex) {
          flushStray();
          hostIndex = index;
          host = {};
        }
        if (v.path.length === 3) {
          const key = String(v.path[2]);
          const s = asString(v.value);
          if (s === undefined) return;
          if (key === 'targetHost') host.targetHost = s;
          else if (key === 'ip') host.ip = s;
          else if (key === 'port') host.port = s;
          else if (!HOST_KEYS.has(key)) {
            stray ??= { fields: {}, line: v.line };
            stray.fields[key] = s;
          }
          return;
        }
        feed(sink, v.value, host, v.line, ctx);
      },
    );
    flushStray();
    const result = sink.end();
    if (result.kind !== 'scan-results') return result;
    const startTime = header['startTime'];
    const observedAt = startTime && /^\d+$/.test(startTime) ? new Date(Number(startTime) * 1000).toISOString() : undefined;
    const version = header['version']?.trim().split(/\s+/)[0];
    for (const obs of result.observations) relabel(obs, observedAt, version);
    // scanTime: the run's length in seconds (pretty JSON; "Scan interrupted" when it was cut short).
    const seconds = header['scanTime'] !== undefined && /^\d+$/.test(header['scanTime']) ? Number(header['scanTime']) : undefined;
    const endedAt = observedAt !== undefined && seconds !== undefined ? new Date(Date.parse(observedAt) + seconds * 1000).toISOString() : undefined;
    const openssl = header['openssl']?.trim();
    // The OpenSSL testssl.sh ran with bounds what it could test (an old one cannot offer TLS 1.3).
    const context: ScanContext = {
      tool: `${version ? `testssl.sh ${version}` : 'testssl.sh'}${openssl ? ` with ${openssl.replace(/\s+from\s+.*$/, '')}` : ''}`,
      ...(version ? { version } : {}),
      ...(observedAt ? { startedAt: observedAt } : {}),
      ...(endedAt ? { endedAt } : {}),
      ...(header['scanTime'] !== undefined && /interrupt/i.test(header['scanTime']) ? { note: 'testssl.sh recorded the scan as interrupted' } : {}),
    };
    return { ...result, context };
  },
};

/** One finding object → the CSV ingester's record (fields in CSV column order). */
function feed(sink: RecordSink, value: unknown, host: { targetHost?: string; ip?: string; port?: string } | undefined, line: number, ctx: IngestContext): void {
  const o = asRecord(value);
  if (!o) {
    ctx.problem({ line, code: 'malformed-record', effect: 'row-skipped', message: PROBLEM.findingNotObject() });
    return;
  }
  let target: string;
  let port: string;
  if (host) {
    // Pretty JSON: the finding has no host; its scanResult entry does.
    if (host.targetHost === undefined && host.ip === undefined) {
      ctx.problem({ line, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.findingBeforeHost() });
      return;
    }
    target = `${host.targetHost ?? host.ip ?? ''}/${host.ip ?? host.targetHost ?? ''}`;
    port = host.port ?? '';
  } else {
    target = field(o['ip']);
    port = field(o['port']);
  }
  // The raw record cited as evidence: the finding as one line of JSON.
  sink.record([field(o['id']), target, port, field(o['severity']), field(o['finding']), field(o['cve']), field(o['cwe'])], line, JSON.stringify(o));
}

/** A finding's field as the CSV ingester expects it: strings and numbers as text, else empty. */
function field(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

const KIND: SourceKind = 'testssl-json';

/**
 * The CSV logic labels its sources `testssl-csv`; these came from JSON. Facts share their
 * SourceRef objects with `obs.sources`, so relabelling those relabels every fact.
 */
function relabel(obs: Observation, observedAt: string | undefined, version: string | undefined): void {
  for (const s of obs.sources) s.kind = KIND;
  if (observedAt) {
    obs.observedAt = observedAt;
    obs.observedAtSource = 'input';
  }
  obs.tool = version ? `testssl.sh ${version}` : 'testssl.sh';
}
