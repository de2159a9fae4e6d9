/**
 * Special files as every file-reading option: a FIFO with no writer and /dev/zero must be refused
 * at once with a message naming the option and the path, never read (a FIFO blocks forever, a
 * device never ends). Runs the real bin, each run bounded by a kill timeout: a hang fails the test
 * instead of hanging the suite. Caps are proved in-process on the loaders.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReportConfig } from '../../src/config/load.js';
import { ingest } from '../../src/ingest/index.js';
import { CAPS } from '../../src/fs-guard.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/tlsproof.js');
const SAMPLE = join(root, 'test/fixtures/testssl/smtp-good.csv');
const RUN_LIMIT_MS = 20_000;

function run(args: string[], cwd: string): Promise<{ code: number | string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : err.killed ? 'killed (hung)' : String(err.code)) : 0;
      resolve({ code, stderr });
    });
  });
}

let dir: string;
let fifo: string;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/src/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-special-'));
  fifo = join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A config naming `target` as its logo or font, or a templates/mappings folder holding it. */
async function setup(kind: string, target: string): Promise<string[]> {
  const sub = await mkdtemp(join(dir, `${kind}-`));
  const out = join(sub, 'out');
  const base = [SAMPLE, '--no-store', '--no-scan', '--format', 'html', '--out', out, '--generated-at', '2026-10-01T09:00:00Z'];
  switch (kind) {
    case 'input': return [target, '--no-store', '--no-scan', '--out', out];
    case 'domains': return [...base, '--domains', target];
    case 'config': return [...base, '--config', target];
    case 'logo':
      await writeFile(join(sub, 'report.config.yaml'), `logo: ${target}\n`);
      return [...base, '--config', join(sub, 'report.config.yaml')];
    case 'font':
      await writeFile(join(sub, 'report.config.yaml'), `font:\n  regular: ${target}\n`);
      return [...base, '--config', join(sub, 'report.config.yaml')];
    case 'mappings': {
      await mkdir(join(sub, 'maps', 'acme'), { recursive: true });
      execFileSync('ln', ['-s', target, join(sub, 'maps', 'acme', '1.0.yaml')]);
      return [...base, '--mappings', join(sub, 'maps')];
    }
    case 'templates': {
      await mkdir(join(sub, 'tpl'));
      // Inside the folder (links out of it are refused on their own), so make the special file there.
      if (target === fifo) execFileSync('mkfifo', [join(sub, 'tpl', 'report.css')]);
      else execFileSync('mknod', [join(sub, 'tpl', 'report.css'), 'c', '1', '5']);
      return [...base, '--templates', join(sub, 'tpl')];
    }
    default: throw new Error(kind);
  }
}

const OPTION_WORDS: Record<string, RegExp> = {
  input: /input/i, domains: /input/i, config: /--config/, logo: /logo/, font: /font\.regular/, mappings: /mapping file/, templates: /--templates/,
};

describe('special files are refused, not read, for every file option', () => {
  const kinds = ['input', 'domains', 'config', 'logo', 'font', 'mappings', 'templates'];
  for (const kind of kinds) {
    for (const special of ['fifo', '/dev/zero'] as const) {
      // Making a character device inside the templates folder needs root.
      it.skipIf(kind === 'templates' && special === '/dev/zero' && lacks('root'))(`${kind}: ${special}`, async () => {
        const target = special === 'fifo' ? fifo : special;
        const args = await setup(kind, target);
        const r = await run(['report', ...args], dir);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(special === 'fifo' ? /FIFO/ : /character device/);
        expect(r.stderr).toMatch(OPTION_WORDS[kind]!);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }, RUN_LIMIT_MS + 5000);
    }
  }
});

describe('each kind of file has a size cap, said in the message', () => {
  it('a config one byte over its cap is refused; one at the cap is read', async () => {
    const big = join(dir, 'big.yaml');
    await writeFile(big, `# ${'x'.repeat(CAPS.config - 3)}\n`);
    await expect(loadReportConfig(big)).resolves.toBeDefined();
    await writeFile(big, `# ${'x'.repeat(CAPS.config - 2)}\n`);
    await expect(loadReportConfig(big)).rejects.toThrow(/--config .*big\.yaml is 1048577 bytes, more than the 1 MiB/);
  });

  it('a logo over its cap names the logo and the cap', async () => {
    const cfg = join(dir, 'logo.yaml');
    const logo = join(dir, 'logo.png');
    await writeFile(logo, Buffer.alloc(CAPS.logo + 1));
    await writeFile(cfg, 'logo: logo.png\n');
    await expect(loadReportConfig(cfg)).rejects.toThrow(/logo: logo file .*logo\.png is \d+ bytes, more than the 2 MiB/);
  });

  it('an input folder holding a FIFO does not hang on it', async () => {
    const folder = join(dir, 'scans');
    await mkdir(folder);
    await copyFile(SAMPLE, join(folder, 'a.csv'));
    execFileSync('mkfifo', [join(folder, 'b.xml')]);
    const out = await ingest([folder], { cwd: dir, observedAt: '2026-10-01T09:00:00Z' });
    expect(out.files.map((f) => f.file)).toEqual([join('scans', 'a.csv')]);
  }, 10_000);
});
