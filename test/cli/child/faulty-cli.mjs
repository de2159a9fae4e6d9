// The compiled CLI with one injected file-system fault, for the output-failure tests:
// TLSPROOF_TEST_FAULT="<step>:<regexp of the target path>:<errno code>" makes the output writer
// fail with that code at the first matching step (mkdir, open, write, fsync, rename), as a full
// disk or a file-size limit would. Everything else is the real `tlsproof` process.
import { main } from '../../../dist/src/cli/index.js';
import { processIo } from '../../../dist/src/cli/stdio.js';

const [step, pattern, code] = (process.env.TLSPROOF_TEST_FAULT ?? '').split(':');
const target = new RegExp(pattern ?? '^$');
let fired = false;
const outputHooks = {
  beforeStep: (at, path) => {
    if (fired || at !== step || !target.test(path)) return;
    fired = true;
    throw Object.assign(new Error(`${code}: injected fault, ${at} '${path}'`), { code, syscall: at });
  },
};
process.exitCode = await main(process.argv.slice(2), { ...processIo(), outputHooks });
