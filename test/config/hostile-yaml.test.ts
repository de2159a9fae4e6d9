/**
 * Hostile YAML and fonts named in report.config.yaml: an alias bomb ("billion laughs") in the
 * config or a mapping file is refused with file:line:column before it expands, and a file that
 * starts like a font but is not one is refused when the config loads, naming the key.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReportConfig } from '../../src/config/load.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { MAX_YAML_ALIASES } from '../../src/yaml-bounded.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tlsproof-hostile-yaml-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Nine levels of nine aliases each: 9^9 values once expanded. The first alias is on line 3, column 8. */
const BOMB = ['# a comment', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => {
    const prev = 'abcdefghi'[i]!;
    return `${k}: &${k} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`;
  })].join('\n');

describe('YAML alias bombs', () => {
  it('in report.config.yaml: a config error at the first alias, not a crash', async () => {
    const file = join(dir, 'report.config.yaml');
    await writeFile(file, `${BOMB}\n`);
    const err = await loadReportConfig(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ReportError', code: 'usage', data: { line: 3, column: 8 } });
    expect((err as Error).message).toContain(`${file}:3:8: aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies`);
  });

  it('in a mapping file: a mapping error at file:line:column', async () => {
    const maps = join(dir, 'maps');
    await mkdir(join(maps, 'acme'), { recursive: true });
    const file = join(maps, 'acme', '1.0.yaml');
    await writeFile(file, `${BOMB}\n`);
    expect(() => loadMappings({ builtInDir: builtInMappingsDir(), userDirs: [maps] }))
      .toThrow(expect.objectContaining({ code: 'mapping-invalid', message: expect.stringContaining(`${file}:3:8: aliases`) }));
  });

  it('a few ordinary aliases are still read', async () => {
    const file = join(dir, 'aliases.yaml');
    await writeFile(file, 'organisation: &org Example Health\ntitle: *org\n');
    await expect(loadReportConfig(file)).resolves.toMatchObject({ organisation: 'Example Health', title: 'Example Health' });
  });
});

describe('fonts named in the config are loaded when the config loads', () => {
  it('a file with a TrueType signature but damaged tables is refused, naming the key', async () => {
    const font = join(dir, 'broken.ttf');
    await writeFile(font, Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(4096, 7)]));
    const cfg = join(dir, 'font.yaml');
    await writeFile(cfg, 'font:\n  bold: broken.ttf\n');
    await expect(loadReportConfig(cfg)).rejects.toThrow(/font\.bold: .*broken\.ttf starts like a font but cannot be loaded/);
  });

  it('a real font passes', async () => {
    const real = join(dir, 'real.ttf');
    await writeFile(real, await readFile('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'));
    const cfg = join(dir, 'real-font.yaml');
    await writeFile(cfg, 'font:\n  regular: real.ttf\n');
    await expect(loadReportConfig(cfg)).resolves.toMatchObject({ font: { regular: real } });
  });
});
