/**
 * The shipped templates/report.config.yaml (what `tlsproof templates init` copies) promises that
 * every commented example is valid as it stands. Each commented example block is uncommented on
 * its own, written next to the files it names, and loaded through the real config loader; its
 * text blocks are then rendered over a real ReportModel (templates are strict, so a misspelt field
 * fails here rather than in a user's first report).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportConfig } from '../../src/config/load.js';
import { ReportConfigFileSchema, TEXT_BLOCK_IDS } from '../../src/config/schema.js';
import { renderTextBlock } from '../../src/report/config.js';
import { fontPaths } from '../../src/report/pdf/fonts.js';
import { makeReportModel } from '../support/model-factory.js';
import { ROOT } from '../ingest/support.js';

const SHIPPED = join(ROOT, 'templates/report.config.yaml');
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TOP_KEYS: ReadonlySet<string> = new Set(Object.keys(ReportConfigFileSchema.shape));

export interface ExampleBlock {
  /** 1-based line numbers of the block in the file. */
  readonly from: number;
  readonly to: number;
  /** The whole file with this block (only) uncommented. */
  readonly text: string;
}

const COMMENT = /^(\s*)#( ?)(.*)$/;
const KEY = /^(\s*)(?:- |([A-Za-z][A-Za-z0-9]*):(?:\s|$))/;

/**
 * Commented YAML in the file: a comment whose text starts with a config key (a top-level key at
 * the margin, any key when the comment itself is indented inside a live mapping) and the comment
 * lines below it that are indented further. Prose ("# Logo: a PNG…") starts with no config key.
 */
export function exampleBlocks(text: string): ExampleBlock[] {
  const lines = text.split('\n');
  const blocks: ExampleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = COMMENT.exec(lines[i]!);
    if (!m) continue;
    const [, hashIndent = '', , content = ''] = m;
    const k = KEY.exec(content);
    if (!k || k[2] === undefined || (k[1] ?? '') !== '') continue;
    if (hashIndent === '' && !TOP_KEYS.has(k[2])) continue;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const c = COMMENT.exec(lines[j]!);
      if (!c || (c[1] ?? '') !== hashIndent || !/^\s+\S/.test(c[3] ?? '')) break;
    }
    const out = [...lines];
    for (let n = i; n < j; n++) out[n] = lines[n]!.replace(/^(\s*)# ?/, '$1');
    blocks.push({ from: i + 1, to: j, text: out.join('\n') });
    i = j - 1;
  }
  return blocks;
}

/** Relative files an uncommented config names (logo, fonts), so the loader can read them. */
function namedFiles(text: string): { logos: string[]; fonts: string[] } {
  const raw = (parse(text) ?? {}) as { logo?: string; font?: Record<string, string | string[]> };
  const fonts = Object.entries(raw.font ?? {}).filter(([k]) => k !== 'family').flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
  return { logos: raw.logo === undefined ? [] : [raw.logo], fonts };
}

describe('shipped report.config.yaml', () => {
  let dir = '';
  let shipped = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-shipped-config-'));
    shipped = await readFile(SHIPPED, 'utf8');
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  async function load(text: string, name: string) {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    const { logos, fonts } = namedFiles(text);
    for (const logo of logos) {
      await mkdir(dirname(join(folder, logo)), { recursive: true });
      await writeFile(join(folder, logo), PNG_1X1);
    }
    for (const font of fonts) {
      expect(font.startsWith('/'), `${font}: examples name fonts relative to the config, not files of one machine`).toBe(false);
      await mkdir(dirname(join(folder, font)), { recursive: true });
      await copyFile(fontPaths().regular, join(folder, font));
    }
    const file = join(folder, 'report.config.yaml');
    await writeFile(file, text);
    const config = await parseReportConfig(text, file);
    const model = makeReportModel();
    for (const id of TEXT_BLOCK_IDS) renderTextBlock(model, config, id);
    return config;
  }

  it('loads as shipped, naming no one and printing blank sign-off lines', async () => {
    const config = await load(shipped, 'as-shipped');
    expect(config.signOff).toEqual({});
    expect(config.sections).toContain('signoff');
    expect(shipped).not.toMatch(/Ana Müller|Jean Dupont/);
  });

  it('introduces the report with the evidence dates, not the report date', async () => {
    const config = await load(shipped, 'intro');
    const model = makeReportModel();
    const intro = renderTextBlock(model, config, 'introduction') ?? '';
    expect(intro).toContain('as observed on 15 Sep 2026');
    expect(shipped).not.toMatch(/observed on \{\{formatDate report\.reportDate\}\}/);
  });

  it('finds the commented examples (guard against testing nothing)', () => {
    const blocks = exampleBlocks(shipped);
    const firstLines = blocks.map((b) => shipped.split('\n')[b.from - 1]!.trim());
    expect(firstLines).toEqual(expect.arrayContaining([
      '# organisation: Exämple Médical GmbH', '# logo: logo.png', '# font:', '# accentInk: "#163a5c"', '# signOff:', '# vantagePoint:', '# fiscalYearStart: October',
    ]));
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it('each commented example is valid when uncommented', async () => {
    const blocks = exampleBlocks(shipped);
    for (const [i, b] of blocks.entries()) {
      const loaded = load(b.text, `example-${i}`);
      await expect(loaded, `templates/report.config.yaml lines ${b.from}-${b.to}`).resolves.toBeDefined();
    }
  });

  it('a role alone is a valid signatory: the name line stays blank to sign by hand', async () => {
    const signOff = exampleBlocks(shipped).find((b) => /signOff:/.test(shipped.split('\n')[b.from - 1] ?? ''));
    expect(signOff).toBeDefined();
    const config = await load(signOff!.text, 'signoff');
    expect(config.signOff.approvedBy).toEqual({ role: 'Chief Information Security Officer' });
  });
});
