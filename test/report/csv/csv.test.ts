/**
 * The CSV export read back with a real CSV reader (csv-parse, strict RFC 4180 quoting): the rows
 * are the model's, and no cell a spreadsheet would evaluate starts with a formula character.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CONTROLS_HEADER, FINDINGS_HEADER, renderCsv } from '../../../src/report/csv/render.js';
import { makeReportModel } from '../../support/model-factory.js';

const decode = (b: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
const read = (b: Uint8Array): string[][] => parse(decode(b), { bom: true, relax_quotes: false, relax_column_count: false }) as string[][];
const LIVE = /^[=+\-@\t\r]/;

const HOSTILE = ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\tindent', '\rcarriage', 'a,b', 'say "hi"', 'line\nbreak', '=cmd|\' /C calc\'!A0'];

describe('CSV export', () => {
  it('RFC 4180: BOM, CRLF line ends, quoted fields that need it', () => {
    const { findings } = renderCsv(makeReportModel());
    const text = decode(findings);
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/"[^"]*"/g, '').includes('\n') && !/[^\r]\n/.test(text.replace(/"[^"]*"/g, ''))).toBe(true);
  });

  it('findings.csv: one row per finding with its controls, domains, owner and evidence lines', () => {
    const model = makeReportModel();
    const rows = read(renderCsv(model).findings);
    expect(rows[0]).toEqual([...FINDINGS_HEADER]);
    expect(rows).toHaveLength(model.findings.length + 1);
    const col = (name: typeof FINDINGS_HEADER[number]) => FINDINGS_HEADER.indexOf(name);
    const failing = rows.find((r) => r[col('status')] === 'fail')!;
    expect(failing[col('controls')]).toBe('hipaa 164.312(e)(1)');
    expect(failing[col('report_id')]).toBe(model.report.id);
    const first = rows.find((r) => r[col('host')] === 'mail.example-health.test')!;
    expect(first[col('owner')]).toBe('Zoë Ångström');
    expect(first[col('domains')]).toBe('example-health.test');
    expect(rows.slice(1).every((r) => r.length === FINDINGS_HEADER.length)).toBe(true);
  });

  it('controls.csv: one row per control with status and counts', () => {
    const model = makeReportModel();
    const rows = read(renderCsv(model).controls);
    expect(rows[0]).toEqual([...CONTROLS_HEADER]);
    expect(rows).toHaveLength(model.frameworks.reduce((n, f) => n + f.controls.length, 0) + 1);
    const hipaa = rows.find((r) => r[4] === '164.312(e)(1)')!;
    expect(hipaa.slice(1, 8)).toEqual(['hipaa', '2013', 'HIPAA Security Rule', '164.312(e)(1)', 'Transmission security', 'fail', 'Fail']);
  });

  it('neutralises formulas from scan data: no cell starts live, the text is kept after the apostrophe', () => {
    const model = makeReportModel();
    model.findings.forEach((f, i) => { f.message = HOSTILE[i % HOSTILE.length]!; f.endpoint.host = HOSTILE[(i + 3) % HOSTILE.length]!; });
    model.scope.assets[0]!.owner = '=1+2';
    model.frameworks[0]!.controls[0]!.statusReason = '@evil';
    const { findings, controls } = renderCsv(model);
    for (const rows of [read(findings), read(controls)]) {
      for (const row of rows) for (const c of row) expect(c, `cell ${JSON.stringify(c)}`).not.toMatch(LIVE);
    }
    const messages = read(findings).slice(1).map((r) => r[FINDINGS_HEADER.indexOf('message')]);
    expect(messages).toContain('\'=HYPERLINK("http://evil.test","x")');
    expect(messages).toContain('line\nbreak');
    expect(messages).toContain('a,b');
    expect(messages).toContain('say "hi"');
    expect(messages).toContain('\'\rcarriage');
  });
});
