import type { OutputHooks } from '../output/staged.js';
import type { EndpointRecord } from '../scan/results-schema.js';

/** What a command may touch of the outside world: the CLI's entry passes the real ones, tests pass fakes. */
export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** Fault injection for tests: called before each file-system step of writing output files. */
  readonly outputHooks?: OutputHooks | undefined;
  /**
   * Called by `tlsproof scan` after each endpoint's record is on disk in scan.jsonl: a point where
   * an interruption leaves a known number of endpoints to resume from (the kill -9 test stops there).
   */
  readonly onScanEndpoint?: ((record: EndpointRecord) => void) | undefined;
}
