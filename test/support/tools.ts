/**
 * The guard of the lab tier: tests that need a Debian tool, a font file or root. `npm test` runs
 * everywhere; where something is missing, the tests that need it skip and say so in one line that
 * names the Debian package to install. Under CI=true nothing may skip: the guard throws while the
 * test file is collected, so the file fails and names the package `.ci/run` must install, and a CI
 * run cannot go green by skipping.
 *
 * Use it as the condition of `describe.skipIf` / `it.skipIf` on every test that runs one of these:
 *
 *   describe.skipIf(lacks('postfix', 'openssl', 'root'))('real Postfix', () => { … });
 *
 * `TLSPROOF_TESTS=unit` (`npm run test:unit`) asks for the unit tier only: every guarded test
 * skips, whatever is installed and whether or not CI is set.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * What the lab tier runs, and the Debian package that provides it (`.ci/run` installs them all).
 * A name is looked up on PATH, as the tests start it; an absolute path must exist as a file.
 */
export const TOOLS = {
  postfix: 'postfix',
  dovecot: 'dovecot-imapd dovecot-pop3d',
  'gnutls-serv': 'gnutls-bin',
  testssl: 'testssl.sh',
  nmap: 'nmap',
  dnsmasq: 'dnsmasq-base',
  nsd: 'nsd',
  unbound: 'unbound',
  'ldns-signzone': 'ldnsutils',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfsig: 'poppler-utils',
  openssl: 'openssl',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  script: 'bsdutils',
  chattr: 'e2fsprogs',
  '/usr/bin/chromium': 'chromium',
  '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf': 'fonts-liberation',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf': 'fonts-droid-fallback',
  '/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf': 'fonts-droid-fallback',
} as const satisfies Record<string, string>;

/** A tool of the table, or root: the lab servers listen on ports below 1024 and some tests mount, chattr or unshare. */
export type Requirement = keyof typeof TOOLS | 'root';

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function present(r: Requirement, env: NodeJS.ProcessEnv): boolean {
  if (r === 'root') return process.getuid?.() === 0;
  // test/lab/testssl.ts runs $TESTSSL_BIN instead of `testssl` when it is set (a git checkout of testssl.sh).
  const testsslBin = env['TESTSSL_BIN'];
  if (r === 'testssl' && testsslBin) return testsslBin.includes('/') ? existsSync(testsslBin) : onPath(testsslBin, env);
  return r.startsWith('/') ? existsSync(r) : onPath(r, env);
}

/** What is missing of `needs`, as "what (how to get it)" phrases; empty when everything is here. */
export function missing(needs: readonly Requirement[], env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set(needs)].filter((r) => !present(r, env)).map((r) => (r === 'root' ? 'root (run the tests as root, as .ci/run does)' : `${r} (apt-get install ${TOOLS[r]})`));
}

const said = new Set<string>();

/** Prints `line` once per test file (each file runs in its own worker) and says: skip. */
function skip(line: string): true {
  if (!said.has(line)) {
    said.add(line);
    console.warn(line);
  }
  return true;
}

function onCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * True when the tests that need `needs` must skip here; false when they can run. Says why in one
 * line per test file, and throws instead of skipping under CI=true.
 */
export function lacks(...needs: Requirement[]): boolean {
  if (process.env['TLSPROOF_TESTS'] === 'unit') return skip('tlsproof tests: skipping the lab tests (TLSPROOF_TESTS=unit)');
  const gone = missing(needs);
  if (gone.length === 0) return false;
  const what = gone.join(', ');
  if (onCi()) throw new Error(`tlsproof tests: CI must not skip the lab tests that need ${what}: CI installs these in .ci/run`);
  return skip(`tlsproof tests: skipping the lab tests that need ${what}`);
}
