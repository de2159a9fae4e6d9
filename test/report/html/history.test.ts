/**
 * HTML renderer, history section: present only when the model carries history, with the counts,
 * finding tables (ages, due dates), endpoints added and removed, time to remediate, certificate
 * forecast and an accessible SVG trend backed by a data table; every link resolves in the page.
 */
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../../src/config/load.js';
import type { ReportModel } from '../../../src/model/report-model.js';
import { renderHtml } from '../../../src/report/html/render.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../../support/model-factory.js';

type Doc = ReturnType<typeof parseHTML>['document'];

let model: ReportModel;
let history: NonNullable<ReportModel['history']>;
let html: string;
let document: Doc;

beforeAll(async () => {
  model = makeReportModel({ history: true });
  history = model.history!;
  html = await renderHtml(model);
  document = parseHTML(html).document;
});

const section = () => document.querySelector('section#history');
const sectionText = (): string => section()?.textContent?.replace(/\s+/g, ' ') ?? '';
/** A table row's cells, trimmed and joined by single spaces. */
const cells = (row: NonNullable<ReturnType<Doc['querySelector']>>): string => [...row.querySelectorAll('th, td')].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' ');

describe('html renderer: history section', () => {
  it('is absent when the model has no history (null or missing)', async () => {
    const none = makeReportModel();
    expect(none.history).toBeNull();
    for (const m of [none, { ...none, history: undefined }]) {
      const doc = parseHTML(await renderHtml(m)).document;
      expect(doc.querySelector('#history')).toBeNull();
      expect(doc.querySelector('a[href="#history"]')).toBeNull();
    }
  });

  it('is present, after the summary, and listed in the contents', () => {
    expect(section()).not.toBeNull();
    const majors = [...document.querySelectorAll('main > section.major')].map((s) => s.getAttribute('id'));
    expect(majors.slice(0, 2)).toEqual(['summary', 'history']);
    expect(document.querySelector('nav.toc a[href="#history"]')?.textContent).toBe('Changes since the previous period');
    expect(document.querySelector('#history-title')?.textContent).toBe('Changes since Q2 2026');
  });

  it('names the period compared and the previous one', () => {
    const t = sectionText();
    expect(t).toContain('Q3 2026 (1 Jul 2026 to 30 Sep 2026)');
    expect(t).toContain('Q2 2026 (1 Apr 2026 to 30 Jun 2026)');
    expect(t).toContain(`${history.endpoints.current} now, ${history.endpoints.previous} in the previous period; 3 stored runs read`);
  });

  it('shows the counts of new, regressed, persisting, unverified, resolved and overdue findings', () => {
    const figure = (k: string) => document.querySelector(`#history .history-counts [data-count="${k}"] .figure`)?.textContent;
    expect(figure('new')).toBe('1');
    expect(figure('regressed')).toBe('1');
    expect(figure('persisting')).toBe('1');
    expect(figure('unverified')).toBe('0');
    expect(figure('resolved')).toBe('1');
    expect(figure('overdue')).toBe('1');
  });

  it('lists persisting findings with their age in days and overdue items with days overdue', () => {
    const persisting = document.querySelector('#history-persisting + p + table');
    expect(persisting?.textContent).toContain('Certificate name does not match host');
    expect(persisting?.querySelector('.history-age')?.textContent).toBe('232 days');
    expect(persisting?.textContent).toContain('172 days overdue');
    expect(document.querySelector('#history-overdue')?.textContent).toBe('Overdue (1)');
    expect(document.querySelector('#history-unverified')).toBeNull();
    const resolved = document.querySelector('#history-resolved + p + table');
    expect(resolved?.textContent).toContain('RC4 cipher suites offered');
    expect(resolved?.textContent).toContain('1 Mar 2026');
    expect(resolved?.textContent).toContain('20 Jul 2026');
  });

  it('links findings and endpoints only to anchors that exist in the page', () => {
    const links = [...(section()?.querySelectorAll('a[href^="#"]') ?? [])];
    expect(links.length).toBeGreaterThan(0);
    for (const a of links) {
      const id = a.getAttribute('href')!.slice(1);
      expect(document.querySelectorAll(`[id="${id}"]`).length, id).toBe(1);
    }
    // The removed endpoint is not in the model: named, not linked.
    expect(sectionText()).toContain('old.example-health.test port 25');
    expect(sectionText()).toContain('2 findings open then');
  });

  it('draws no links into the endpoint details when that section is not rendered', async () => {
    const doc = parseHTML(await renderHtml(model, { config: { ...EMPTY_CONFIG, sections: ['summary', 'history'] } })).document;
    expect(doc.querySelector('#history')).not.toBeNull();
    expect(doc.querySelectorAll('#history a').length).toBe(0);
  });

  it('shows time to remediate per severity and the certificate forecast, escaped', () => {
    const ttr = [...document.querySelectorAll('#history .history-ttr tbody tr')].map(cells);
    expect(ttr).toEqual(['High 1 141.0 141', 'Medium 2 30.5 44']);
    expect(document.querySelector('#history-certificates')?.textContent).toBe('Certificates expiring in Q4 2026');
    const certs = document.querySelector('#history .history-certs')?.textContent ?? '';
    expect(certs).toContain('30 Nov 2026');
    expect(certs).toContain('61');
    expect(certs).toContain(HOSTILE_SUBJECT);
    expect(html).not.toContain(HOSTILE_SUBJECT);
  });

  it('draws the trend as an accessible inline SVG with a data table fallback', () => {
    const svg = document.querySelector('#history svg.trend-chart');
    expect(svg).not.toBeNull();
    expect(svg?.getAttribute('role')).toBe('img');
    const [titleId, descId] = (svg?.getAttribute('aria-labelledby') ?? '').split(' ');
    expect(document.querySelector(`svg.trend-chart > title[id="${titleId}"]`)?.textContent).toContain('2 periods');
    const desc = document.querySelector(`svg.trend-chart > desc[id="${descId}"]`)?.textContent ?? '';
    expect(desc).toContain('Q2 2026: 6 open findings (2 High, 3 Medium, 1 Low)');
    expect(desc).toContain('Q3 2026: 6 open findings (2 High, 2 Medium, 2 Low)');
    expect(svg?.querySelectorAll('g.trend-period').length).toBe(2);
    expect(svg?.querySelectorAll('rect.bar-fill').length).toBe(6);
    const rows = [...document.querySelectorAll('#history .history-trend-table tbody tr')].map(cells);
    expect(rows).toEqual([`Q2 2026 ${history.trend[0]!.endpoints} 0 2 3 1 0 1`, `Q3 2026 ${history.trend[1]!.endpoints} 0 2 2 2 0 1`]);
  });

  it('shows control status per framework and period, as stacked bars with the numbers beside them', async () => {
    const trend = [history.trend[0]!, { ...history.trend[1]!, frameworks: [{ id: 'hipaa', version: '2013', counts: { fail: 0, warn: 1, 'risk-accepted': 0, pass: 3, evidence: 0, 'not-assessed': 1, 'not-graded': 0 } }] }];
    const doc = parseHTML(await renderHtml({ ...model, history: { ...history, trend } })).document;
    expect(doc.querySelector('#history-control-trend')?.textContent).toBe('Trend: control status per framework');
    const rows = [...doc.querySelectorAll('#history .history-control-trend tbody tr')].map(cells);
    const title = model.frameworks.find((f) => f.id === 'hipaa')!.title;
    expect(rows.map((r) => r.replace(/ [^ ]+ Security Rule, Q.*$/, ''))).toEqual([`${title} 2013 Q2 2026 1 0 0 0 1 0`, 'Q3 2026 0 1 3 0 1 0']);
    const bars = [...doc.querySelectorAll('#history .history-control-trend svg.stack')];
    expect(bars.map((b) => b.getAttribute('aria-label'))).toEqual([
      `${title}, Q2 2026: 1 fail, 0 warning, 0 risk accepted, 0 pass, 0 evidence supplied, 1 not assessed, 0 not graded`,
      `${title}, Q3 2026: 0 fail, 1 warning, 0 risk accepted, 3 pass, 0 evidence supplied, 1 not assessed, 0 not graded`,
    ]);
    // Widths are the shares: 3 of 5 controls pass in Q3.
    expect(bars[1]!.querySelector('rect.st-pass')?.getAttribute('width')).toBe('60');
  });

  it('marks periods without a stored run in the chart and the table', async () => {
    const trend = [{ ...history.trend[0]!, hasData: false }, history.trend[1]!];
    const doc = parseHTML(await renderHtml({ ...model, history: { ...history, trend } })).document;
    expect(doc.querySelector('#history svg.trend-chart .trend-nodata')?.textContent).toBe('no data');
    expect(doc.querySelector('#history .history-trend-table tbody tr')?.textContent).toContain('no stored run');
    expect(doc.querySelector('#history .history-control-trend tbody tr')?.textContent).toContain('no stored run');
  });

  it('renders the same bytes twice and loads nothing external', async () => {
    expect(await renderHtml(model)).toBe(html);
    expect(section()?.innerHTML ?? '').not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });
});
