/**
 * parseArgs for every command: an option it does not know, or a value missing, becomes a usage
 * error that points to the command's help, thrown to the one catch in cli/index.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ReportError } from '../errors.js';
import { MSG } from './messages.js';

export function parseCommandArgs<T extends ParseArgsConfig>(config: T, help: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
      throw new ReportError('usage', { detail: err.message }, MSG.badArguments(err.message, help), { cause: err });
    }
    throw err;
  }
}
