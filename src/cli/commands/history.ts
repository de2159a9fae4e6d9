/**
 * `tlsproof history` lists the runs in the evidence store; `tlsproof history show RUN` shows one:
 * its command, inputs with their SHA-256, what it found, and its problems. `--json` for machines.
 */
import { resolve } from 'node:path';
import { ReportError } from '../../errors.js';
import { DEFAULT_STORE_PATH } from '../../store/defaults.js';
import type { CliIo } from '../io.js';
import { emptyControlCounts } from '../../model/report-model.js';
import { parseCommandArgs } from '../args.js';
import { MSG, OUT } from '../messages.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';

const HISTORY_HELP = `Usage:
  tlsproof history [--store PATH] [--json]            list the runs in the evidence store
  tlsproof history show RUN [--store PATH] [--json]   one run: command, inputs, findings, problems

RUN is a run number (as listed), a uuid prefix (6+ characters) or a report id.
--store PATH   the evidence store (default ${DEFAULT_STORE_PATH} in the current folder)`;

/** The store path from --store (relative to the working folder) or the default. */
export function storePathFrom(value: string | undefined, io: CliIo): string {
  return resolve(io.cwd, value ?? DEFAULT_STORE_PATH);
}

/** "2026-11-28T20:00:00.000Z" → "2026-11-28 20:00". */
export const shortTime = (iso: string | null) => (iso === null ? '—' : iso.slice(0, 16).replace('T', ' '));

/** Left-aligned text table; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, [...c].length); });
  return rows.map((r) => r.map((c, i) => {
    if (i === r.length - 1 && !right.has(i)) return c;
    const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
    return right.has(i) ? pad + c : c + pad;
  }).join('  ').trimEnd()).join('\n');
}

export async function historyCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: { store: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, MSG.seeHelp('history'));
  if (values.help) {
    io.stdout(`${HISTORY_HELP}\n`);
    return EXIT_OK;
  }
  const [sub, ref, ...extra] = positionals;
  if ((sub !== undefined && sub !== 'show') || (sub === 'show' && ref === undefined) || extra.length > 0 || (sub === undefined && ref !== undefined)) {
    throw new ReportError('usage', { args }, MSG.historyUsage());
  }
  const { EvidenceStore } = await import('../../store/store.js');
  const { packageVersion } = await import('../../version.js');
  const path = storePathFrom(values.store, io);
  const store = EvidenceStore.open(path, { toolVersion: packageVersion(), mode: 'read' });
  try {
    if (sub === 'show') {
      const run = store.runDetail(store.findRun(ref!).seq);
      if (values.json) {
        io.stdout(`${JSON.stringify(run, null, 2)}\n`);
        return EXIT_OK;
      }
      const lines = [
        `Run ${run.seq}  ${run.uuid}`,
        `Recorded     ${shortTime(run.recordedAt)} UTC by tlsproof ${run.toolVersion}`,
        `Command      tlsproof ${run.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}`,
        `Report       ${run.reportId}${run.period ? ` for ${run.period.label} (${run.period.start}..${run.period.end})` : ''}, report date ${run.reportDate}, generated ${shortTime(run.generatedAt)} UTC`,
        `Observed     ${shortTime(run.observedFrom)} .. ${shortTime(run.observedTo)} UTC`,
        `Model        SHA-256 ${run.modelSha256}`,
        '',
        `Inputs (${run.inputFiles.length})`,
        table(run.inputFiles.map((i) => [i.file, i.kind, `${i.bytes} B`, `${i.records} records`, i.problems > 0 ? `${i.problems} problems` : '', `observed ${shortTime(i.observedAt)} (${i.observedAtSource})`, i.sha256])).replace(/^/gm, '  '),
        '',
        `Endpoints (${run.endpointKeys.length}): ${run.endpointKeys.join(', ')}`,
        '',
        `Failing and warning findings (${run.openFindings.length})`,
        ...(run.openFindings.length === 0 ? ['  none'] : [table(run.openFindings.map((f) => [f.severity.toUpperCase(), f.status, f.checkId, f.endpointKey, f.message])).replace(/^/gm, '  ')]),
      ];
      // Statuses as stored: runs from before the verdict rules simply have no evidence or not-graded controls.
      const fw = new Map<string, Record<string, number>>();
      for (const c of run.controls) {
        const e: Record<string, number> = fw.get(`${c.frameworkId} ${c.frameworkVersion}`) ?? { ...emptyControlCounts() };
        e[c.status] = (e[c.status] ?? 0) + 1;
        fw.set(`${c.frameworkId} ${c.frameworkVersion}`, e);
      }
      if (fw.size > 0) {
        lines.push('', OUT.runControlsHeading());
        for (const [name, e] of fw) {
          lines.push(`  ${name}: ${Object.entries(e).filter(([k, n]) => n > 0 || ['fail', 'warn', 'pass'].includes(k)).map(([k, n]) => `${n} ${k.replace('-', ' ')}`).join(', ')}`);
        }
      }
      if (run.inputProblems.length > 0) {
        lines.push('', OUT.runProblemsHeading(run.inputProblems.length));
        for (const p of run.inputProblems.slice(0, 20)) lines.push(`  ${[p.file, p.line, p.column].filter((x) => x !== undefined).join(':')}: ${p.message} (${p.effect.replace('-', ' ')})`);
        if (run.inputProblems.length > 20) lines.push(OUT.runMoreProblems(run.inputProblems.length - 20));
      }
      io.stdout(`${lines.join('\n')}\n`);
      return EXIT_OK;
    }
    const runs = store.listRuns();
    if (values.json) {
      io.stdout(`${JSON.stringify({ store: path, format: store.format(), runs }, null, 2)}\n`);
      return EXIT_OK;
    }
    io.stdout(OUT.historyHeader(path, store.format(), runs.length));
    if (runs.length === 0) return EXIT_OK;
    const rows = [['Run', 'Recorded (UTC)', 'By', 'Period', 'Observed (UTC)', 'Endpoints', 'Open', 'Inputs', 'Report id'],
      ...runs.map((r) => [String(r.seq), shortTime(r.recordedAt), r.kind, r.period?.id ?? r.period?.label ?? '—',
        r.observedFrom === null ? '—' : r.observedFrom.slice(0, 10) === r.observedTo?.slice(0, 10) ? r.observedFrom.slice(0, 10) : `${r.observedFrom.slice(0, 10)}..${r.observedTo?.slice(0, 10) ?? ''}`,
        String(r.endpoints), String(r.open), String(r.inputs), r.reportId])];
    io.stdout(`${table(rows, new Set([0, 5, 6, 7]))}\n`);
    return EXIT_OK;
  } finally {
    store.close();
  }
}
