/**
 * The report's scan context and limitations in OSCAL's own terms, for the one result of the
 * Assessment Results: what a Nessus "Scan Information" block or the report's "Scan context and
 * limitations" section states, where an OSCAL reader looks for it.
 *
 * - The tools: `local-definitions.assessment-assets.components`, OSCAL's place for "the toolset
 *   used to conduct an assessment": each scanner (with its version, feed and policy where the
 *   input records them) and tlsproof itself, as software components.
 * - Where the scans ran from: one assessment platform using those components, titled with the
 *   vantage point (report.config.yaml), what tlsproof itself knows about it in its remarks.
 * - When each scan ran: one `assessment-log` entry per input (start, end, where the times come
 *   from, the scanner's own address and notes). An input that records no time at all has no entry:
 *   OSCAL requires a start, and its tool is still listed.
 * - The limitations and the caveats on these inputs: the result's `attestations`, as parts with
 *   tlsproof names, in the report's own words.
 */
import type { ReportModel, ScanSource } from '../../model/report-model.js';
import { TIMES_FROM_LABEL, VANTAGE_LABEL, toolText } from '../scan-context.js';

type Json = Record<string, unknown>;
interface Prop { name: string; value: string; ns?: string }

/** OSCAL forbids empty arrays: no `props` key at all when there is nothing to say. */
const props = (list: Prop[]): { props?: Prop[] } => (list.length === 0 ? {} : { props: list });

export interface OscalScanContext {
  readonly props: Prop[];
  readonly assessmentAssets: Json;
  readonly assessmentLog: Json | undefined;
  readonly attestations: Json[];
}

/**
 * `u` makes the deterministic UUIDs of the document; `prop` its properties (empty values left
 * out, tlsproof's namespace); `ns` that namespace, for part names; `dateTime` its time-zoned
 * date-times; `inputHref` the back-matter resource of an input file.
 */
export function oscalScanContext(model: ReportModel, helpers: {
  readonly u: (...parts: string[]) => string;
  readonly prop: (name: string, value: string | number | null | undefined) => Prop[];
  readonly ns: string;
  readonly dateTime: (value: string) => string;
  readonly inputHref: (file: string) => string | undefined;
}): OscalScanContext {
  const { u, prop, ns, dateTime, inputHref } = helpers;
  const ctx = model.scanContext;

  // One component per distinct tool (several inputs of one scanner share it), and tlsproof.
  const byTool = new Map<string, ScanSource[]>();
  for (const s of ctx.sources) {
    const key = toolText(s);
    byTool.set(key, [...(byTool.get(key) ?? []), s]);
  }
  const toolUuid = (title: string) => u('assessment-component', title);
  const own = `${model.tool.name} ${model.tool.version}`;
  const components: Json[] = [
    ...[...byTool].map(([title, sources]) => {
      const first = sources[0]!;
      return {
        uuid: toolUuid(title), type: 'software', title,
        description: `Scanner whose results this assessment read: ${sources.map((s) => `${s.file} (${s.kind})`).join(', ')}.`,
        ...props([...prop('tool', first.tool), ...prop('version', first.version), ...prop('feed', first.feed), ...prop('policy', first.policy)]),
        status: { state: 'operational' },
      };
    }),
    {
      uuid: toolUuid(own), type: 'software', title: own,
      description: 'Read the scanner results, ran the checks on every endpoint and graded the controls through the mapping files.',
      ...props(prop('version', model.tool.version)),
      status: { state: 'operational' },
    },
  ];

  const v = ctx.vantage;
  const platformRemarks = [
    v.description === null ? 'The configuration does not describe the scanning host or network (report.config.yaml vantagePoint.description).' : v.description,
    ...v.known,
  ].join('\n\n');
  const assessmentAssets: Json = {
    components,
    'assessment-platforms': [{
      uuid: u('assessment-platform', 'vantage'),
      title: `Vantage point: ${v.network === null ? 'not stated (report.config.yaml vantagePoint.network)' : VANTAGE_LABEL[v.network]}`,
      ...props(prop('vantage-network', v.network)),
      'uses-components': components.map((c) => ({ 'component-uuid': c['uuid'] as string })),
      remarks: platformRemarks,
    }],
  };

  const entries: Json[] = ctx.sources.flatMap((s, i): Json[] => {
    if (s.startedAt === null) return [];
    const href = inputHref(s.file);
    return [{
      uuid: u('assessment-log', String(i), s.file),
      title: `Scan by ${toolText(s)}: ${s.file}`,
      description: `${s.kind} input ${s.file}; times: ${s.timesFrom === null ? 'not recorded' : TIMES_FROM_LABEL[s.timesFrom]}.`,
      start: dateTime(s.startedAt),
      ...(s.endedAt !== null ? { end: dateTime(s.endedAt) } : {}),
      ...props([...prop('input-file', s.file), ...prop('input-kind', s.kind), ...prop('times-from', s.timesFrom), ...prop('scanner-address', s.scannerAddress)]),
      ...(href !== undefined ? { links: [{ href }] } : {}),
      ...(s.note !== null && s.note.trim() !== '' ? { remarks: s.note } : {}),
    }];
  });

  const part = (name: string, title: string, lines: readonly string[]): Json[] =>
    lines.length === 0 ? [] : [{ name, ns, title, prose: lines.map((l) => `- ${l}`).join('\n') }];
  const parts = [
    ...part('limitations', 'What a TLS scan cannot show', ctx.limitations),
    ...part('caveats', 'Caveats on these inputs', ctx.caveats),
  ];

  return {
    props: prop('vantage-network', v.network),
    assessmentAssets,
    assessmentLog: entries.length === 0 ? undefined : { entries },
    attestations: parts.length === 0 ? [] : [{ parts }],
  };
}
