/**
 * --format oscal validated against NIST's official OSCAL 1.1.3 Assessment Results JSON Schema
 * (vendored unmodified, checked by hash) with ajv: the factory model (two frameworks) and the
 * shipped samples (every built-in framework), plus the verdict mapping and deterministic UUIDs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/pipeline.js';
import { configOrDefault } from '../../../src/report/config.js';
import { objectiveId, objectiveStatus, renderOscal } from '../../../src/report/oscal/render.js';
import { uuidV5 } from '../../../src/report/oscal/uuid.js';
import { makeReportModel } from '../../support/model-factory.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SCHEMA_PATH = `${root}test/fixtures/oscal/oscal_assessment-results_schema.json`;
const SCHEMA_SHA256 = 'd9e34757f0c12aff61f52b821f0b8f83ba0ba75b3a149a202b08ba82f82bc4c3';
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let validate: ValidateFunction;

type Doc = { 'assessment-results': { uuid: string; metadata: Record<string, unknown>; results: { findings?: { target: { 'target-id': string; status: { state: string } }; props: { name: string; value: string }[] }[]; observations?: { title: string; types?: string[] }[]; risks?: unknown[] }[] } };

function errorsOf(v: ValidateFunction): string {
  return (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

beforeAll(() => {
  const bytes = readFileSync(SCHEMA_PATH);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(SCHEMA_SHA256);
  const schema = JSON.parse(bytes.toString('utf8')) as { $id: string; $schema: string };
  expect(schema.$id).toBe('http://csrc.nist.gov/ns/oscal/1.1.3/oscal-ar-schema.json');
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  // strict: false only because the NIST schema itself uses keywords next to $ref that ajv's strict mode rejects.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  validate = ajv.compile(schema);
});

describe('OSCAL Assessment Results', () => {
  it('the factory model (HIPAA and PCI DSS) validates against the official schema', () => {
    const doc = renderOscal(makeReportModel());
    const ok = validate(doc);
    expect(ok, errorsOf(validate)).toBe(true);
  });

  it('the shipped samples (every framework the domain list selects) validate', async () => {
    const built = await buildModel({ inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', formats: ['oscal'], outDir: root, strict: false,
      generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.1.0', scan: false, organisation: 'Example Health', period: '2026-Q3' });
    expect(built.model.frameworks.length).toBeGreaterThan(2);
    const doc = renderOscal(built.model) as Doc;
    expect(validate(doc), errorsOf(validate)).toBe(true);
    const result = doc['assessment-results'].results[0]!;
    expect(result.observations!.length).toBeGreaterThanOrEqual(built.model.findings.length);
    expect(result.risks).toHaveLength(built.model.findings.filter((f) => f.status === 'fail').length);
  }, 60_000);

  it('carries the scan context: each tool and version, each scan\'s start and end, the vantage point, the limitations and caveats', async () => {
    const built = await buildModel({ inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', formats: ['oscal'], outDir: root, strict: false,
      generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.1.0', scan: false, organisation: 'Example Health', period: '2026-Q3',
      config: { ...configOrDefault(undefined), vantagePoint: { network: 'external', description: 'Scanner VM in the DMZ, outside the mail firewall.' } } });
    const ctx = built.model.scanContext;
    expect(ctx.sources.length).toBeGreaterThan(0);
    const doc = renderOscal(built.model) as Doc & { 'assessment-results': { results: {
      props?: { name: string; value: string }[];
      'local-definitions': { 'assessment-assets': { components: { uuid: string; title: string; props?: { name: string; value: string }[] }[];
        'assessment-platforms': { title: string; remarks: string; props?: { name: string; value: string }[]; 'uses-components': { 'component-uuid': string }[] }[] } };
      'assessment-log': { entries: { title: string; start: string; end?: string; props: { name: string; value: string }[] }[] };
      attestations: { parts: { name: string; prose: string }[] }[];
    }[] } };
    expect(validate(doc), errorsOf(validate)).toBe(true);
    const result = doc['assessment-results'].results[0]!;
    const assets = result['local-definitions']['assessment-assets'];
    // Every tool behind an input, with its version where the input records it, and tlsproof itself.
    for (const s of ctx.sources) {
      const tool = assets.components.find((c) => c.props?.some((p) => p.name === 'tool' && p.value === s.tool));
      expect(tool, s.tool).toBeDefined();
      if (s.version !== null) expect(tool!.props).toContainEqual(expect.objectContaining({ name: 'version', value: s.version }));
    }
    expect(assets.components.map((c) => c.title)).toContain('tlsproof 0.1.0');
    const platform = assets['assessment-platforms'][0]!;
    expect(platform.title).toMatch(/^Vantage point: External/);
    expect(platform.remarks).toContain('Scanner VM in the DMZ');
    expect(platform['uses-components'].map((c) => c['component-uuid']).sort()).toEqual(assets.components.map((c) => c.uuid).sort());
    expect(result.props).toContainEqual(expect.objectContaining({ name: 'vantage-network', value: 'external' }));
    // One log entry per input that records its scan times, with those times.
    const timed = ctx.sources.filter((s) => s.startedAt !== null);
    expect(timed.length).toBeGreaterThan(0);
    expect(result['assessment-log'].entries.map((e) => [e.props.find((p) => p.name === 'input-file')!.value, e.start, e.end])).toEqual(
      timed.map((s) => [s.file, new Date(s.startedAt!).toISOString(), s.endedAt === null ? undefined : new Date(s.endedAt).toISOString()]));
    const parts = result.attestations[0]!.parts;
    const limitations = parts.find((p) => p.name === 'limitations')!.prose;
    for (const l of ctx.limitations) expect(limitations).toContain(l);
    expect(limitations).toContain('not a PCI SSC Approved Scanning Vendor (ASV) scan');
    expect(ctx.caveats.length).toBeGreaterThan(0);
    for (const c of ctx.caveats) expect(parts.find((p) => p.name === 'caveats')!.prose).toContain(c);
  }, 60_000);

  it('the sign-off people of report.config.yaml become parties with roles, and still validate', () => {
    const config = { ...configOrDefault(undefined), signOff: { preparedBy: { name: 'Zoë Ångström', role: 'Security engineer' }, approvedBy: { name: 'Dr. A. Approver', role: '' } } };
    const doc = renderOscal(makeReportModel(), config) as Doc;
    expect(validate(doc), errorsOf(validate)).toBe(true);
    const meta = doc['assessment-results'].metadata as { parties: { name: string; type: string }[]; 'responsible-parties': { 'role-id': string }[] };
    expect(meta.parties.map((p) => [p.type, p.name])).toEqual([['organization', 'Example Health — 東京 Clinic'], ['person', 'Zoë Ångström'], ['person', 'Dr. A. Approver']]);
    expect(meta['responsible-parties'].map((r) => r['role-id'])).toEqual(['assessed-organization', 'prepared-by', 'approver']);
  });

  it('the validator is not vacuous: a document without metadata.version or with a bad objective state is rejected', () => {
    const doc = renderOscal(makeReportModel()) as Doc;
    const noVersion = structuredClone(doc);
    delete noVersion['assessment-results'].metadata['version'];
    expect(validate(noVersion)).toBe(false);
    const badState = structuredClone(doc);
    badState['assessment-results'].results[0]!.findings![0]!.target.status.state = 'partially-satisfied';
    expect(validate(badState)).toBe(false);
  });

  it('maps pass to satisfied, fail and warn to not-satisfied, and makes no claim for a control not assessed', () => {
    expect(objectiveStatus('pass')).toEqual({ state: 'satisfied', reason: 'pass' });
    expect(objectiveStatus('fail')).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(objectiveStatus('warn')).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(objectiveStatus('not-assessed')).toBeNull();
    const doc = renderOscal(makeReportModel()) as Doc;
    const result = doc['assessment-results'].results[0]!;
    const byId = new Map(result.findings!.map((f) => [f.target['target-id'], f.target.status.state]));
    expect(byId.get('hipaa_164.312_e_1')).toBe('not-satisfied');
    expect(byId.get('pci-dss_4.2.1')).toBe('satisfied');
    expect(byId.has('hipaa_164.308_a_8')).toBe(false);
    expect(result.observations!.some((o) => o.title.includes('164.308(a)(8): not assessed') && o.types?.includes('control-objective'))).toBe(true);
  });

  it('is deterministic: UUIDs are version 5, derived from the report id', () => {
    const model = makeReportModel();
    const a = JSON.stringify(renderOscal(model));
    expect(JSON.stringify(renderOscal(makeReportModel()))).toBe(a);
    const uuids = a.match(/"(?:uuid|subject-uuid|observation-uuid|risk-uuid)":"([^"]+)"/g)!.map((m) => m.split('"')[3]!);
    expect(uuids.length).toBeGreaterThan(10);
    for (const x of uuids) expect(x).toMatch(UUID_V5);
    const other = renderOscal({ ...model, report: { ...model.report, id: 'TP-2026Q3-ffffffff' } }) as Doc;
    expect(other['assessment-results'].uuid).not.toBe((JSON.parse(a) as Doc)['assessment-results'].uuid);
  });

  it('uuidV5 matches the RFC 9562 algorithm (Python uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('objective ids are OSCAL tokens', () => {
    expect(objectiveId('hipaa', '164.312(e)(1)')).toBe('hipaa_164.312_e_1');
    expect(objectiveId('nist', '800-52r2 3.1')).toBe('nist_800-52r2_3.1');
    expect(objectiveId('1x', 'a')).toBe('_1x_a');
  });
});
