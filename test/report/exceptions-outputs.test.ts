/**
 * What the machine-readable outputs say about accepted risks, from the real pipeline on the Q3
 * samples with test/fixtures/exceptions/q3.yaml: findings.csv and controls.csv read back with
 * csv-parse, and the OSCAL document validated against NIST's vendored schema.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/pipeline.js';
import { CONTROLS_HEADER, FINDINGS_HEADER, renderCsv } from '../../src/report/csv/render.js';
import { renderOscal } from '../../src/report/oscal/render.js';
import type { ReportModel } from '../../src/model/report-model.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LEGACY = 'mail.legacy.example.test[127.0.77.30]:25';
let model: ReportModel;
let validate: ValidateFunction;

beforeAll(async () => {
  ({ model } = await buildModel({
    inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', formats: [], outDir: root, strict: false, scan: false,
    generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.1.0', organisation: 'Example Health',
    exceptions: { file: 'test/fixtures/exceptions/q3.yaml' },
  }));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
  validate = ajv.compile(JSON.parse(readFileSync(`${root}test/fixtures/oscal/oscal_assessment-results_schema.json`, 'utf8')) as object);
}, 60_000);

const read = (b: Uint8Array): string[][] => parse(new TextDecoder().decode(b), { bom: true }) as string[][];

describe('accepted risks in CSV and OSCAL', () => {
  it('findings.csv names the exception, its expiry and state; a lapsed one reads expired', () => {
    const rows = read(renderCsv(model).findings);
    const col = (name: typeof FINDINGS_HEADER[number]) => FINDINGS_HEADER.indexOf(name);
    const row = (id: string) => rows.find((r) => r[col('finding_id')] === id)!;
    const pick = (r: string[]) => [r[col('status')], r[col('exception_id')], r[col('exception_expires')], r[col('exception_state')]];
    expect(pick(row(`proto-tls10@${LEGACY}`))).toEqual(['fail', 'EXC-LEGACY-PROTO', '2026-10-31', 'expiring-soon']);
    expect(pick(row(`dh-weak@${LEGACY}`))).toEqual(['fail', 'EXC-LEGACY-CRYPTO', '2027-03-31', 'active']);
    expect(pick(row(`vuln-beast@${LEGACY}`))).toEqual(['fail', 'EXC-BEAST', '2026-09-30', 'expired']);
    expect(pick(row(`vuln-lucky13@${LEGACY}`))).toEqual(['warn', '', '', '']);
  });

  it('controls.csv says what a risk-accepted control would have been and which exceptions it rests on', () => {
    const rows = read(renderCsv(model).controls);
    const col = (name: typeof CONTROLS_HEADER[number]) => CONTROLS_HEADER.indexOf(name);
    const pci = rows.find((r) => r[col('framework_id')] === 'pci-dss' && r[col('control_id')] === '4.2.1')!;
    expect([pci[col('status')], pci[col('status_label')], pci[col('accepted_from')], pci[col('exception_ids')]])
      .toEqual(['risk-accepted', 'Risk accepted (not met)', 'fail', 'EXC-LEGACY-CRYPTO; EXC-LEGACY-PROTO']);
  });

  it('OSCAL: accepted failing findings are deviation-approved risks with the compensating control, approval and expiry; the document validates', () => {
    type Risk = { uuid: string; title: string; status: string; deadline?: string; props: { name: string; value: string }[];
      'mitigating-factors'?: { description: string }[]; 'risk-log'?: { entries: { title: string; description?: string; start: string; end?: string; 'status-change'?: string }[] } };
    const doc = renderOscal(model) as { 'assessment-results': { results: { risks: Risk[]; findings: { props: { name: string; value: string }[]; target: { status: { state: string } } }[] }[] } };
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const result = doc['assessment-results'].results[0]!;
    const prop = (r: Risk, name: string) => r.props.find((p) => p.name === name)?.value;
    const tls10 = result.risks.find((r) => r.title.startsWith('TLS 1.0'))!;
    expect(tls10.status).toBe('deviation-approved');
    expect(prop(tls10, 'risk-acceptance')).toBe('risk-accepted');
    expect(prop(tls10, 'exception-id')).toBe('EXC-LEGACY-PROTO');
    expect(tls10.deadline).toBe('2026-10-31T23:59:59Z');
    expect(tls10['mitigating-factors']![0]!.description).toBe("Compensating control: Inbound connections limited to the partner's address range; no PAN in message bodies.");
    expect(tls10['risk-log']!.entries[0]).toMatchObject({
      title: 'Risk accepted under exception EXC-LEGACY-PROTO', start: '2026-06-01T00:00:00Z', end: '2026-10-31T23:59:59Z', 'status-change': 'deviation-approved',
    });
    expect(tls10['risk-log']!.entries[0]!.description).toContain('Approved by Bob Stone (Head of Payments) on 2026-06-01, ticket SEC-102');
    const beast = result.risks.find((r) => r.title.startsWith('BEAST'))!;
    expect(beast.status).toBe('open');
    expect(prop(beast, 'lapsed-exception-id')).toBe('EXC-BEAST');
    expect(beast['risk-log']!.entries[0]!.title).toBe('Exception EXC-BEAST expired on 2026-09-30');
    // The control stays not satisfied: accepting a risk does not meet the control.
    const pci = result.findings.find((f) => f.props.some((p) => p.name === 'control-id' && p.value === '4.2.1'))!;
    expect(pci.props.find((p) => p.name === 'tlsproof-status')?.value).toBe('risk-accepted');
    expect(pci.target.status.state).toBe('not-satisfied');
  });

  it('the JSON model carries the register with each entry\'s state and matches', () => {
    expect(model.exceptions.entries.map((e) => [e.id, e.state])).toEqual([
      ['EXC-LEGACY-PROTO', 'expiring-soon'], ['EXC-LEGACY-CRYPTO', 'active'], ['EXC-WRONGHOST', 'active'],
      ['EXC-OLD-SSLV3', 'stale'], ['EXC-EXACT-HOST', 'stale'], ['EXC-BEAST', 'expired'],
    ]);
    expect(model.exceptions.maxMonths).toBe(12);
  });
});
