/**
 * `@config`, the second thing templates see beside the ReportModel: typed in config-view.ts, every
 * field described there, the shipped templates and the README naming only those fields, and a
 * template that names another one refused with its file and line.
 */
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../../src/errors.js';
import { CONFIG_VIEW_FIELDS, configView } from '../../../src/report/html/config-view.js';
import { builtinTemplatesDir, renderHtml } from '../../../src/report/html/render.js';
import { EMPTY_CONFIG } from '../../../src/config/load.js';
import { makeReportModel } from '../../support/model-factory.js';

const root = path.resolve(builtinTemplatesDir(), '..', '..');
const fields = Object.keys(CONFIG_VIEW_FIELDS).sort();

async function templateSources(): Promise<string> {
  const dir = builtinTemplatesDir();
  const names = [...(await readdir(dir)).filter((f) => f.endsWith('.hbs')), ...(await readdir(path.join(dir, 'partials'))).map((f) => `partials/${f}`)];
  return (await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')))).join('\n');
}

describe('the @config view', () => {
  const dirs: string[] = [];
  afterAll(async () => { await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))); });

  it('holds exactly the described fields, with the configured values', () => {
    const model = makeReportModel();
    const view = configView(model, { ...EMPTY_CONFIG, classification: 'Confidential' });
    expect(Object.keys(view).sort()).toEqual(fields);
    expect(view.classification).toBe('Confidential');
    expect(view.sections.map((s) => s.id)).toContain('summary');
    expect(Object.keys(view.text).sort()).toEqual(['closing', 'introduction', 'scope']);
  });

  it('is what the shipped templates use: every @config field they name exists, and every field is used', async () => {
    const used = new Set([...(await templateSources()).matchAll(/@config\.([A-Za-z]+)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(fields);
  });

  it('is listed in the README for template authors', async () => {
    const readme = (await readFile(path.join(root, 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    const paragraph = readme.slice(readme.indexOf('and `@config`'), readme.indexOf('config-view.ts'));
    for (const f of fields) expect(paragraph, f).toContain(`\`${f}\``);
  });

  it('refuses a template naming a field it lacks, with the file and line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tlsproof-config-view-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'partials'));
    await writeFile(path.join(dir, 'partials/cover.hbs'), '<header>\n{{#if @config.watermark}}x{{/if}}\n</header>\n');
    const err = await renderHtml(makeReportModel(), { templatesDir: dir }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).message).toMatch(/cover\.hbs:2:\d+: #if: the value is undefined; is a field name misspelt\?/);
  });
});
