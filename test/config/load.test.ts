/**
 * report.config.yaml loading: a good config resolves (logo read and sniffed, paths made absolute),
 * and each kind of mistake fails with the file and the key path in the message.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportConfig, parseReportConfig, resolveReportConfig } from '../../src/config/load.js';
import { ReportError } from '../../src/errors.js';
import { builtinTemplatesDir } from '../../src/report/html/render.js';

export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-config-'));
  await writeFile(join(dir, 'logo.png'), PNG_1X1);
  await writeFile(join(dir, 'logo.svg'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
  await writeFile(join(dir, 'notes.txt'), 'not an image');
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function failure(yaml: string): Promise<ReportError> {
  const file = join(dir, 'report.config.yaml');
  const err = await parseReportConfig(yaml, file).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ReportError);
  const re = err as ReportError;
  expect(re.message).toContain(file);
  return re;
}

describe('report.config.yaml', () => {
  it('loads a complete config, reading the logo and resolving paths against the file', async () => {
    const file = join(dir, 'report.config.yaml');
    await writeFile(file, [
      'schema: tlsproof-report-config/v1',
      'organisation: 東京メール株式会社',
      'logo: logo.png',
      'colours: { accent: "#004488" }',
      'classification: Restricted',
      'templates: tpl',
      'sections: [summary, signoff]',
      'text: { introduction: "Hello {{report.organisation}}" }',
      'signOff: { preparedBy: { name: "Zoë Ørsted", role: "Analyst" } }',
      'remediationDeadlines: { critical: 7, high: 30 }',
    ].join('\n'));
    const c = await loadReportConfig(file);
    expect(c.organisation).toBe('東京メール株式会社');
    expect(c.logo?.mime).toBe('image/png');
    expect(c.logo?.file).toBe(join(dir, 'logo.png'));
    expect(c.templatesDir).toBe(join(dir, 'tpl'));
    expect(c.sections).toEqual(['summary', 'signoff']);
    expect(c.signOff.preparedBy).toEqual({ name: 'Zoë Ørsted', role: 'Analyst' });
    expect(c.remediationDeadlines).toEqual({ critical: 7, high: 30 });
    expect(c.colours).toEqual({ accent: '#004488' });
  });

  it('sniffs SVG logos and accepts an empty file', async () => {
    expect((await parseReportConfig('logo: logo.svg', join(dir, 'x.yaml'))).logo?.mime).toBe('image/svg+xml');
    const empty = await parseReportConfig('', join(dir, 'x.yaml'));
    expect(empty.sections).toBeUndefined();
    expect(empty.text).toEqual({});
  });

  it('the commented config shipped for `templates init` is valid', async () => {
    const file = join(builtinTemplatesDir(), '..', 'report.config.yaml');
    const c = await parseReportConfig(await readFile(file, 'utf8'), file);
    expect(c.classification).toBe('CONFIDENTIAL');
    expect(c.sections).toContain('signoff');
  });

  it.each([
    ['an unknown key', 'colors: { accent: "#000000" }', /\(top level\): unknown key "colors"/],
    ['a nested unknown key', 'signOff: { preparedBy: { name: A, role: B, email: x } }', /signOff\.preparedBy: unknown key "email"/],
    ['a bad colour', 'colours: { accent: navy }', /colours\.accent: must be a colour written as #rrggbb/],
    ['an unknown section', 'sections: [summary, apendix]', /sections\[1\]: is not a section; valid sections: summary, history/],
    ['a repeated section', 'sections: [summary, summary]', /sections: must not list a section twice/],
    ['a negative deadline', 'remediationDeadlines: { high: -1 }', /remediationDeadlines\.high/],
    ['an empty person name', 'signOff: { approvedBy: { name: "", role: CISO } }', /signOff\.approvedBy\.name: must not be empty/],
    ['a wrong schema id', 'schema: v2', /schema:/],
  ])('rejects %s with the key path', async (_name, yaml, message) => {
    expect((await failure(yaml)).message).toMatch(message);
  });

  it('rejects broken YAML with its line', async () => {
    expect((await failure('title: [unclosed\nclassification: x')).message).toMatch(/not valid YAML.*line \d+/s);
  });

  it('rejects a text block that is not valid Handlebars', async () => {
    expect((await failure('text: { closing: "{{#if report.id}}open" }')).message).toMatch(/text\.closing: not a valid Handlebars template/);
  });

  it('reads the fiscal year start as a month number or name, and refuses anything else', async () => {
    const file = join(dir, 'report.config.yaml');
    expect((await parseReportConfig('fiscalYearStart: October', file)).fiscalYearStartMonth).toBe(10);
    expect((await parseReportConfig('fiscalYearStart: 7', file)).fiscalYearStartMonth).toBe(7);
    expect((await parseReportConfig('title: x', file)).fiscalYearStartMonth).toBeUndefined();
    for (const bad of ['13', 'Q4', '0']) {
      expect((await failure(`fiscalYearStart: ${bad}`)).message).toMatch(/fiscalYearStart: must be a month: 1 to 12 or a month name/);
    }
  });

  it('rejects a missing logo and one that is not an image', async () => {
    expect((await failure('logo: nope.png')).message).toMatch(/logo: cannot read .*nope\.png/);
    expect((await failure('logo: notes.txt')).message).toMatch(/logo: .*notes\.txt is not a PNG, JPEG or SVG image/);
  });

  it('names a missing config file', async () => {
    await expect(loadReportConfig(join(dir, 'absent.yaml'))).rejects.toThrow(/absent\.yaml: cannot be read/);
  });

  it('uses ./report.config.yaml only when present, and --config always', async () => {
    expect(await resolveReportConfig(undefined, join(dir, 'nowhere'))).toBeUndefined();
    await expect(resolveReportConfig('absent.yaml', dir)).rejects.toThrow(/absent\.yaml: cannot be read/);
    await writeFile(join(dir, 'other.yaml'), 'title: Other');
    expect((await resolveReportConfig('other.yaml', dir))?.source).toBe(join(dir, 'other.yaml'));
    await writeFile(join(dir, 'report.config.yaml'), 'title: T');
    expect((await resolveReportConfig(undefined, dir))?.source).toBe(join(dir, 'report.config.yaml'));
    expect((await resolveReportConfig('other.yaml', dir))?.source).toBe(join(dir, 'other.yaml'));
  });
});
