#!/usr/bin/env node
// Starts the compiled CLI (dist/, built by `npm ci` through the prepare script).
import { main } from '../dist/src/cli/index.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  now: () => new Date(),
});
