/**
 * The package a user installs: `npm pack` of this checkout, installed into an empty project the
 * way `npm install tlsproof-<version>.tgz` would, then its `tlsproof` bin runs `--version` and the
 * README's first command. A file left out of package.json `files` (templates, mappings, fonts),
 * a bin that points into a folder the tarball lacks, or a dependency kept in devDependencies
 * fails here, not on a user's machine.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (err, stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? 99 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The README's first command line, split into the tlsproof arguments after `node bin/tlsproof.js`. */
async function readmeReportArgs(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.includes('node bin/tlsproof.js report'));
  if (line === undefined) throw new Error('README.md has no `node bin/tlsproof.js report` command line');
  const tail = line.slice(line.indexOf('node bin/tlsproof.js') + 'node bin/tlsproof.js'.length).trim();
  // Shell words: the README quotes with double quotes only.
  return [...tail.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('npm pack', () => {
  it('installs from the tarball, runs --version and the README command, and ships no test code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-pack-'));
    // dist/ is built by `npm test` before the tests; --ignore-scripts keeps pack from rebuilding it under running tests.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('bin/tlsproof.js');
    expect(paths.some((p) => p.startsWith('dist/test/') || p.startsWith('dist/bench/') || p.startsWith('test/'))).toBe(false);

    const app = join(dir, 'app');
    await run('mkdir', ['-p', app], dir);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'tlsproof-pack-check', version: '1.0.0', private: true }));
    // Native builds are skipped (no compiler download here); the report below runs without the evidence store.
    const install = await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(dir, info!.filename)], app);
    expect(install.code, install.stderr).toBe(0);
    const bin = join(app, 'node_modules/.bin/tlsproof');
    expect(existsSync(bin)).toBe(true);

    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string; license: string };
    expect(pkg.license).toBe('Apache-2.0');
    const version = await run(bin, ['--version'], app);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(`tlsproof ${pkg.version}`);

    const args = await readmeReportArgs();
    const out = join(dir, 'report');
    const at = args.indexOf('--out');
    const reportArgs = [...(at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 2)]), '--out', out, '--no-store', '--generated-at', '2026-10-01T09:00:00Z'];
    const report = await run(bin, reportArgs, root);
    expect([0, 1], `${report.stdout}\n${report.stderr}`).toContain(report.code);
    const written = await readdir(out);
    expect(written.some((f) => f.endsWith('.pdf'))).toBe(true);
    expect(written.some((f) => f.endsWith('.html'))).toBe(true);
  }, 600_000);
});
