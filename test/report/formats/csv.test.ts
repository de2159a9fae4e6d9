/**
 * --format csv through the registry: the entry itself declares its two files, and each is read
 * back with a real CSV reader: a fixed header and one row per finding, or per framework control.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CONTROLS_HEADER, FINDINGS_HEADER } from '../../../src/report/csv/render.js';
import { fileNames, renderFormat } from '../../../src/report/formats/index.js';
import { makeReportModel } from '../../support/model-factory.js';

const rows = (b: Uint8Array): string[][] => parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(b), { bom: true }) as string[][];

describe('--format csv', () => {
  it('writes <base>-findings.csv and <base>-controls.csv, in that order', async () => {
    expect(fileNames('csv', 'tlsproof-Q3-2026')).toEqual(['tlsproof-Q3-2026-findings.csv', 'tlsproof-Q3-2026-controls.csv']);
    const model = makeReportModel();
    const [findings, controls, ...rest] = await renderFormat('csv', model, 'tlsproof-Q3-2026', {});
    expect(rest).toEqual([]);
    expect(findings!.name).toBe('tlsproof-Q3-2026-findings.csv');
    const f = rows(findings!.bytes);
    expect(f[0]).toEqual([...FINDINGS_HEADER]);
    expect(f.slice(1).map((r) => r[FINDINGS_HEADER.indexOf('finding_id')])).toEqual(model.findings.map((x) => x.id));
    expect(controls!.name).toBe('tlsproof-Q3-2026-controls.csv');
    const c = rows(controls!.bytes);
    expect(c[0]).toEqual([...CONTROLS_HEADER]);
    expect(c).toHaveLength(1 + model.frameworks.reduce((n, fw) => n + fw.controls.length, 0));
  });
});
