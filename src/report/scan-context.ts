/**
 * The report's scan context and limitations: which tool (and version) produced each input, when
 * each scan ran, where the scans ran from, the caveats that follow from the inputs, and what a TLS
 * scan cannot show. What a Nessus "Scan Information" block or an ASV attestation states, so an
 * auditor can judge the evidence before reading a verdict. Pure: everything comes in as arguments.
 */
import type { InputFile, ObservedWindow, ScanContext } from '../model/input-file.js';
import type { ScanContextModel, ScanSource } from '../model/report-model.js';
import type { VantagePoint } from '../config/schema.js';

/** A scan tlsproof made during this run (`tlsproof report domains.csv`), not read from a file. */
export interface OwnScan {
  /** Where its results were written, or a description when they were kept in memory. */
  readonly file: string;
  readonly tool: string;
  readonly version: string;
  readonly observed: ObservedWindow | undefined;
  readonly interrupted: boolean;
}

/**
 * Always stated, whatever the inputs. Written for a reader who knows TLS but not tlsproof: each
 * sentence names what is out of sight and why.
 */
export const SCAN_LIMITATIONS: readonly string[] = [
  'A TLS scan sees only the servers it reached from where it ran, on the ports it probed. Internal relays, '
  + 'hops between internal mail systems and any server not listed among the inputs are not observed unless they were scanned themselves.',
  'It shows what a server offers to whoever connects. It cannot show how mail clients or the servers that send to these endpoints '
  + 'are configured, nor whether a given message actually travelled over TLS.',
  'It does not see message content, nor how mail is protected once delivered (storage encryption, S/MIME or other end-to-end encryption).',
  'Each endpoint is described as it was at its observation time; changes made since then are not reflected.',
  'tlsproof is not a PCI SSC Approved Scanning Vendor (ASV) scan: this report does not replace the quarterly external ASV scans '
  + 'PCI DSS requirement 11.3.2 calls for.',
];

/** testssl.sh prints certificate validity dates in the scanning machine's local time, with no zone. */
export const TESTSSL_TIME_ZONE_CAVEAT = 'testssl.sh prints certificate validity dates (notBefore, notAfter) without a time zone, '
  + 'in the local time of the machine that ran it; tlsproof reads them as UTC. On a machine not set to UTC, an expiry time can be off by '
  + 'that machine\'s offset from UTC (up to 14 hours), which matters only for a certificate that expires within a day of the observation '
  + 'or report date.';

const MTIME_CAVEAT = 'Some inputs record no scan time: their times are the files\' modification times, which copying a file changes. '
  + 'Give --observed-at, or use an export that records when the scan ran (testssl.sh --jsonfile-pretty, nmap XML, .nessus).';

const TESTSSL_KINDS: ReadonlySet<string> = new Set(['testssl-csv', 'testssl-json']);

interface ScanContextInput {
  readonly files: readonly InputFile[];
  readonly ownScans: readonly OwnScan[];
  readonly vantage: VantagePoint | undefined;
}

export function buildScanContext(input: ScanContextInput): ScanContextModel {
  const sources: ScanSource[] = [
    ...input.files.filter((f) => f.context !== undefined).map((f) => fromFile(f, f.context!)),
    ...input.ownScans.map(fromOwnScan),
  ];
  const known: string[] = [];
  for (const s of input.ownScans) {
    known.push(`${s.tool} scanned from the machine that generated this report, during this run${s.interrupted ? ' (the scan was interrupted)' : ''}.`);
  }
  const jsonl = sources.filter((s) => s.kind === 'tlsproof-jsonl');
  if (jsonl.length > 0) {
    known.push(`${jsonl.map((s) => s.file).join(', ')}: scanned by tlsproof from the machine that ran "tlsproof scan"; the results file does not record which machine that was.`);
  }
  for (const s of sources) {
    if (s.scannerAddress !== null) known.push(`${s.tool} reports scanning from ${s.scannerAddress} (${s.file}).`);
  }
  const caveats: string[] = [];
  if (sources.some((s) => TESTSSL_KINDS.has(s.kind))) caveats.push(TESTSSL_TIME_ZONE_CAVEAT);
  if (sources.some((s) => s.timesFrom === 'file-mtime')) caveats.push(MTIME_CAVEAT);
  return {
    sources,
    vantage: { network: input.vantage?.network ?? null, description: input.vantage?.description ?? null, known },
    caveats,
    limitations: [...SCAN_LIMITATIONS],
  };
}

function fromFile(f: InputFile, c: ScanContext): ScanSource {
  const fromExport = c.startedAt !== undefined || c.endedAt !== undefined;
  const w = f.observed;
  return {
    file: f.file, kind: f.kind, tool: c.tool, version: c.version ?? null, feed: c.feed ?? null, policy: c.policy ?? null,
    startedAt: fromExport ? c.startedAt ?? null : w?.first ?? null,
    endedAt: fromExport ? c.endedAt ?? null : w?.last ?? null,
    timesFrom: fromExport ? 'export' : w === undefined ? null : w.source === 'input' ? 'observations' : w.source,
    scannerAddress: c.scannerAddress ?? null, note: c.note ?? null,
  };
}

function fromOwnScan(s: OwnScan): ScanSource {
  return {
    file: s.file, kind: 'tlsproof-scan', tool: s.tool, version: s.version, feed: null, policy: null,
    startedAt: s.observed?.first ?? null, endedAt: s.observed?.last ?? null, timesFrom: s.observed === undefined ? null : 'observations',
    scannerAddress: null, note: s.interrupted ? 'the scan was interrupted before it finished' : null,
  };
}

/** Where a source's scan times come from, in words both renderers print next to the times. */
export const TIMES_FROM_LABEL: Readonly<Record<NonNullable<ScanSource['timesFrom']>, string>> = {
  export: 'scan start and end as the export records them',
  observations: 'earliest and latest observation time the input records (the export states no scan start or end)',
  option: 'no time in the input: --observed-at',
  'file-mtime': 'no time in the input: the file\'s modification time, not a scan time',
};

export const VANTAGE_LABEL: Readonly<Record<NonNullable<ScanContextModel['vantage']['network']>, string>> = {
  internal: 'Internal: from inside the organisation\'s network',
  external: 'External: from the internet, as a sending server sees the endpoints',
  both: 'Internal and external: from inside the network and from the internet',
};

/** The network line, or what to do when the configuration does not state it. */
export function vantageNetworkText(v: ScanContextModel['vantage']): string {
  return v.network === null ? 'Not stated. Set vantagePoint.network (internal, external or both) in report.config.yaml.' : VANTAGE_LABEL[v.network];
}

/** "Nessus 10.7.3" or "testssl.sh (version not recorded in the input)". */
export function toolText(s: ScanSource): string {
  return s.version === null && !/\d/.test(s.tool) ? `${s.tool} (version not recorded in the input)` : s.tool;
}

/** Policy, feed and note of a source, joined; empty when the input states none. */
export function runDetails(s: ScanSource): string[] {
  return [s.policy, s.feed, s.note === null ? null : `Note: ${s.note}`].filter((x): x is string => x !== null);
}

/** Sources that differ only in their file and times, drawn as one row. */
interface SourceGroup {
  readonly files: readonly string[];
  /** The first files, for display; `more` counts the rest. */
  readonly shown: readonly string[];
  readonly more: number;
  readonly source: ScanSource;
  /** Earliest start and latest end across the group. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

const SHOWN_FILES = 4;

/**
 * Groups sources that share tool, version, policy, feed, note, scanner address and where their
 * times come from: a quarter's worth of testssl.sh files from one machine reads as one row, and
 * any difference (another version, an interrupted run) keeps its own.
 */
export function groupSources(sources: readonly ScanSource[]): SourceGroup[] {
  const groups = new Map<string, { files: string[]; source: ScanSource; starts: number[]; ends: number[] }>();
  for (const s of sources) {
    const key = JSON.stringify([s.kind, s.tool, s.version, s.feed, s.policy, s.note, s.scannerAddress, s.timesFrom]);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { files: [], source: s, starts: [], ends: [] });
    g.files.push(s.file);
    if (s.startedAt !== null) g.starts.push(Date.parse(s.startedAt));
    if (s.endedAt !== null) g.ends.push(Date.parse(s.endedAt));
  }
  const iso = (ms: number[], pick: (...n: number[]) => number): string | null => (ms.length === 0 ? null : new Date(pick(...ms)).toISOString());
  return [...groups.values()].map((g) => ({
    files: g.files, shown: g.files.slice(0, SHOWN_FILES), more: Math.max(0, g.files.length - SHOWN_FILES), source: g.source,
    startedAt: iso(g.starts, Math.min), endedAt: iso(g.ends, Math.max),
  }));
}
