/**
 * --format html through the registry: one page, read back with an HTML parser, that names the
 * report and shows what scan data holds as text, never as markup.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderFormat } from '../../../src/report/formats/index.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../../support/model-factory.js';

describe('--format html', () => {
  it('writes <base>.html: the report by id and organisation, scan data escaped', async () => {
    const model = makeReportModel();
    const files = await renderFormat('html', model, 'tlsproof-Q3-2026', {});
    expect(files.map((f) => f.name)).toEqual(['tlsproof-Q3-2026.html']);
    const html = new TextDecoder().decode(files[0]!.bytes);
    const { document } = parseHTML(html);
    expect(document.body.textContent).toContain(model.report.id);
    expect(document.body.textContent).toContain(model.report.organisation);
    expect(document.body.textContent).toContain(HOSTILE_SUBJECT);
    expect(html).not.toContain(HOSTILE_SUBJECT);
    expect(document.querySelectorAll('img[onerror]')).toHaveLength(0);
  });

  it('passes the run\'s options to the renderer: the configured title is the page\'s', async () => {
    const model = makeReportModel();
    const { configOrDefault } = await import('../../../src/report/config.js');
    const config = { ...configOrDefault(undefined), title: 'Quarterly transport evidence — Zoë' };
    const [file] = await renderFormat('html', model, 'x', { config });
    expect(parseHTML(new TextDecoder().decode(file!.bytes)).document.body.textContent).toContain('Quarterly transport evidence — Zoë');
  });
});
