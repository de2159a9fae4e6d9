#!/usr/bin/env node
// Starts the compiled CLI (dist/, built by `npm ci` through the prepare script).
import { main } from '../dist/src/cli/index.js';
import { processIo } from '../dist/src/cli/stdio.js';

process.exitCode = await main(process.argv.slice(2), processIo());
