/**
 * The output-format registry is the one list of formats: each module in src/report/formats is
 * registered under its own id and has its own test here (ESLint checkRuleFiles, as the check and
 * ingest registries do), every format writes the files it declares in the media types it declares,
 * and the README and --help list exactly the registry's formats, files and help lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/index.js';
import {
  DEFAULT_FORMATS, fileNames, OUTPUT_FORMAT_IDS, outputFormat, outputFormats, renderFormat, type OutputFormatId,
} from '../../../src/report/formats/index.js';
import type { OutputFormat } from '../../../src/report/types.js';
import { makeReportModel } from '../../support/model-factory.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SRC_DIR = `${ROOT}src/report/formats/`;
const TEST_DIR = `${ROOT}test/report/formats/`;
/** Files in those folders that are not one format each. */
const NOT_FORMATS = new Set(['index', 'registry']);

const stems = (dir: string, suffix: string): string[] => readdirSync(dir)
  .filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).filter((s) => !NOT_FORMATS.has(s)).sort();

function isFormat(v: unknown): v is OutputFormat<string> {
  return typeof v === 'object' && v !== null && 'id' in v && 'files' in v && 'render' in v;
}

const text = (b: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

/** What the bytes of each media type must look like; a format declaring another type needs a line here. */
const LOOKS_LIKE: Readonly<Record<string, (b: Uint8Array) => void>> = {
  'text/html': (b) => expect(text(b)).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\s*$/),
  'application/pdf': (b) => {
    expect(Buffer.from(b.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(b.subarray(-6)).toString('latin1')).toMatch(/%%EOF\s*$/);
  },
  'application/json': (b) => expect(typeof JSON.parse(text(b))).toBe('object'),
  'text/csv': (b) => {
    const rows = parse(text(b), { bom: true }) as string[][];
    expect(rows.length).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  },
};

describe('output-format registry', () => {
  it('has one module per format in src/report/formats, each registered, and no stray modules', () => {
    const modules = stems(SRC_DIR, '.ts');
    expect(modules.length).toBeGreaterThan(0);
    expect([...OUTPUT_FORMAT_IDS].sort()).toEqual(modules);
  });

  it.each(OUTPUT_FORMAT_IDS)('%s: its module exports exactly one format, the registered one, with id = file name', async (id) => {
    const mod: Record<string, unknown> = await import(`${SRC_DIR}${id}.ts`);
    const exported = Object.values(mod).filter(isFormat);
    expect(Object.keys(mod)).toHaveLength(1);
    expect(exported).toHaveLength(1);
    expect(exported[0]?.id).toBe(id);
    expect(exported[0]).toBe(outputFormats[id]);
  });

  it('has a test file per format (test/report/formats/<id>.test.ts) and none for a format that is not registered', () => {
    expect(stems(TEST_DIR, '.test.ts')).toEqual([...OUTPUT_FORMAT_IDS].sort());
  });

  it.each(OUTPUT_FORMAT_IDS)('%s: declares distinct file names, known media types and a one-line help', (id) => {
    const f = outputFormat(id);
    const suffixes = Object.values(f.files).map((x) => x.suffix);
    expect(suffixes.length).toBeGreaterThan(0);
    for (const s of suffixes) expect(s).toMatch(/^(-[a-z0-9-]+)?(\.[a-z0-9]+)+$/);
    expect(new Set(fileNames(id, 'x')).size).toBe(suffixes.length);
    for (const { mediaType } of Object.values(f.files)) expect(Object.keys(LOOKS_LIKE), `a check of what ${mediaType} looks like`).toContain(mediaType);
    expect(f.help).toMatch(/^[^\n]{10,90}$/);
    // Standard output takes one file.
    if (f.toStdout) expect(suffixes).toHaveLength(1);
  });

  it('no two formats write the same file name', () => {
    const all = OUTPUT_FORMAT_IDS.flatMap((id) => fileNames(id, 'x'));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe.each(OUTPUT_FORMAT_IDS)('%s renders what it declares', (id) => {
  it('every declared file, named <base><suffix>, in its media type, the same bytes twice', async () => {
    const model = makeReportModel();
    const files = await renderFormat(id, model, 'tlsproof-test', {});
    expect(files.map((f) => f.name)).toEqual(fileNames(id, 'tlsproof-test'));
    const types = Object.values(outputFormat(id).files).map((f) => f.mediaType);
    files.forEach((f, i) => {
      expect(f.signed).toBe(false);
      LOOKS_LIKE[types[i]!]!(f.bytes);
    });
    const again = await renderFormat(id, model, 'tlsproof-test', {});
    again.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(files[i]!.bytes)), f.name).toBe(true));
  }, 60_000);
});

/** The README's table row of a format, as the registry has it. */
function readmeRow(id: OutputFormatId): string {
  const f = outputFormat(id);
  const types = [...new Set(Object.values(f.files).map((x) => x.mediaType))];
  return `| \`${id}\` | ${fileNames(id, '<name>').map((n) => `\`${n}\``).join(', ')} | ${types.map((t) => `\`${t}\``).join(', ')} | ${f.byDefault ? 'yes' : 'no'} | ${f.help} |`;
}

async function help(argv: string[]): Promise<string> {
  let out = '';
  await main(argv, { stdout: (s) => { out += s; }, stderr: () => {}, cwd: ROOT, env: {}, now: () => new Date(0) });
  return out;
}

describe('the lists of formats people read', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');

  it('the README table has one row per registered format, as registered, in registry order', () => {
    const header = readme.indexOf('| format | writes | media type | default | what it is |');
    expect(header).toBeGreaterThan(0);
    const after = readme.slice(header).split('\n').slice(2);
    const rows = after.slice(0, after.findIndex((l) => !l.startsWith('|')));
    expect(rows).toEqual(OUTPUT_FORMAT_IDS.map(readmeRow));
  });

  it('the README usage line and its standard-output sentence name the registry\'s formats', () => {
    expect(readme).toContain(`[--format ${OUTPUT_FORMAT_IDS.join(',')}]`);
    const streamed = OUTPUT_FORMAT_IDS.filter((id) => outputFormat(id).toStdout).map((id) => `\`${id}\``);
    expect(readme).toContain(`Only ${streamed.join(' and ')} can go to standard output (\`--out -\`).`);
  });

  it.each([[['--help']], [['report', '--help']]])('tlsproof %j lists every format with its files and help, and the default', async (argv) => {
    const out = await help(argv);
    expect(out).toContain(`--format LIST         any of ${OUTPUT_FORMAT_IDS.join(',')} (default: ${DEFAULT_FORMATS.join(',')}):`);
    const start = out.indexOf('--format LIST');
    const lines = out.slice(start, out.indexOf('\n  --', start)).replace(/\n {31}/g, ' ');
    for (const id of OUTPUT_FORMAT_IDS) {
      expect(lines).toContain(`${id.padEnd(7)}${fileNames(id, '<name>').join(' and ')} — ${outputFormat(id).help}`);
    }
  });
});
