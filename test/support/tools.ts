/**
 * The tier of tests that needs real tools (Chromium, a second TTF font…). Locally, a missing tool
 * skips those tests and says so once; under CI=true it never skips: a missing tool is an error
 * that names the Debian package `.ci/run` must install, so a CI run cannot go green by skipping.
 */
import { existsSync } from 'node:fs';

export function missingTool(path: string, debianPackage: string): boolean {
  if (existsSync(path)) return false;
  if (process.env['CI']) throw new Error(`${path} is missing: CI must install the Debian package ${debianPackage} (see .ci/run)`);
  console.warn(`tlsproof tests: skipping the tests that need ${path} (apt-get install ${debianPackage})`);
  return true;
}
