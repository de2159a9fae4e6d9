/**
 * The adapter from stored runs to the history computations: every endpoint's timeline of
 * observations, read in a few passes over the tables.
 */
import type Database from 'better-sqlite3';
import { endpointLabel, type Endpoint } from '../model/endpoint.js';
import type { FindingStatus, Severity } from '../model/finding.js';
import type { EndpointTimeline, HistoryData, SetAsideRun, TimelineCertificate, TimelineFinding, TimelinePoint } from '../history/timeline.js';
import { addStoredFinding } from '../history/renamed-checks.js';
import { addDays } from '../model/period.js';

/**
 * Every endpoint's timeline of observations up to and including the UTC date `until`
 * (everything when absent), for the history computations; `excludeRuns` are left out.
 */
export function loadHistoryData(db: Database.Database, until?: string, opts: { excludeRuns?: readonly number[] } = {}): HistoryData {
  const before = until === undefined ? '9999' : addDays(until, 1);
  const excluded = new Set(opts.excludeRuns ?? []);
  const runs = (db.prepare('SELECT seq FROM runs').pluck().all() as number[]).filter((s) => !excluded.has(s)).length;
  const findings = new Map<string, Map<string, TimelineFinding>>();
  const fStmt = db.prepare('SELECT run_seq, endpoint_id, local_id, check_id, status, severity, message_id FROM findings').raw();
  for (const r of fStmt.iterate() as IterableIterator<[number, number, string, string, FindingStatus, Severity, string]>) {
    if (excluded.has(r[0])) continue;
    const k = `${r[0]}:${r[1]}`;
    let m = findings.get(k);
    if (!m) findings.set(k, (m = new Map()));
    // Under today's check ids: a run recorded before a check was renamed still compares.
    addStoredFinding(m, { localId: r[2], checkId: r[3], status: r[4], severity: r[5], messageId: r[6] });
  }
  const certs = new Map<string, TimelineCertificate[]>();
  const cStmt = db.prepare('SELECT run_seq, endpoint_id, idx, common_name, issuer, serial, fingerprint_sha256, not_after FROM certificates').raw();
  for (const r of cStmt.iterate() as IterableIterator<[number, number, number, string | null, string | null, string | null, string | null, string | null]>) {
    const k = `${r[0]}:${r[1]}`;
    let l = certs.get(k);
    if (!l) certs.set(k, (l = []));
    l.push({ index: r[2], commonName: r[3], issuer: r[4], serial: r[5], fingerprintSha256: r[6], notAfter: r[7] });
  }
  const timelines: EndpointTimeline[] = [];
  let current: { key: string; label: string; endpoint: Endpoint; points: TimelinePoint[] } | undefined;
  // A run recorded for a period speaks for that period only: its observations dated outside it
  // (file times of a copy, a late --observed-at) count in no period's state, so a later run can
  // never re-date an earlier period's evidence. They stay in the run, and are reported as set aside.
  const outside = `r.period_start IS NOT NULL AND (substr(o.observed_at, 1, 10) < r.period_start OR substr(o.observed_at, 1, 10) > r.period_end)`;
  const setAside: SetAsideRun[] = [];
  const sStmt = db.prepare(`SELECT r.seq, r.period_id, r.period_label, r.period_start, r.period_end, COUNT(*), MIN(o.observed_at), MAX(o.observed_at),
    GROUP_CONCAT(DISTINCT o.observed_at_source) FROM observations o JOIN runs r ON r.seq = o.run_seq WHERE ${outside} GROUP BY r.seq ORDER BY r.seq`).raw();
  for (const r of sStmt.iterate() as IterableIterator<[number, string, string, string, string, number, string, string, string]>) {
    if (excluded.has(r[0])) continue;
    setAside.push({ runSeq: r[0], period: { id: r[1], label: r[2], start: r[3], end: r[4] }, observations: r[5], from: r[6], to: r[7],
      sources: r[8].split(',').sort() as SetAsideRun['sources'] });
  }
  const oStmt = db.prepare(`SELECT e.id, e.key, e.host, e.ip, e.port, e.service, e.transport, o.run_seq, o.observed_at, o.scan_state, o.frameworks, o.passed
    FROM observations o JOIN endpoints e ON e.id = o.endpoint_id JOIN runs r ON r.seq = o.run_seq
    WHERE o.observed_at < ? AND NOT (${outside}) ORDER BY e.id, o.observed_at, o.run_seq`).raw();
  const none: ReadonlyMap<string, TimelineFinding> = new Map();
  let lastId = -1;
  type Row = [number, string, string, string | null, number, Endpoint['service'], Endpoint['transport'], number, string, TimelinePoint['scanState'], string, string];
  for (const r of oStmt.iterate(before) as IterableIterator<Row>) {
    if (excluded.has(r[7])) continue;
    if (r[0] !== lastId) {
      const endpoint: Endpoint = { host: r[2], ...(r[3] === null ? {} : { ip: r[3] }), port: r[4], service: r[5], transport: r[6] };
      current = { key: r[1], label: endpointLabel(endpoint), endpoint, points: [] };
      timelines.push(current);
      lastId = r[0];
    }
    const k = `${r[7]}:${r[0]}`;
    current!.points.push(new StoredPoint(r[7], r[8], r[9], r[10], r[11], findings.get(k) ?? none, certs.get(k) ?? []));
  }
  return { runs, timelines, setAside };
}


/**
 * A timeline point read from the store. The framework and pass lists are split on first use: only
 * the trend's few periods need them, and a store of 40 quarters holds ~80,000 observations.
 */
class StoredPoint implements TimelinePoint {
  readonly day: string;
  private frameworksCache: readonly string[] | undefined;
  private passedCache: readonly string[] | undefined;

  constructor(
    readonly runSeq: number,
    readonly observedAt: string,
    readonly scanState: TimelinePoint['scanState'],
    private readonly frameworksText: string,
    private readonly passedText: string,
    readonly findings: ReadonlyMap<string, TimelineFinding>,
    readonly certificates: readonly TimelineCertificate[],
  ) {
    this.day = observedAt.slice(0, 10);
  }

  get frameworks(): readonly string[] {
    return (this.frameworksCache ??= this.frameworksText === '' ? [] : this.frameworksText.split(' '));
  }

  get passed(): readonly string[] {
    return (this.passedCache ??= this.passedText === '' ? [] : this.passedText.split(' '));
  }
}
