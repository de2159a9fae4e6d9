/**
 * Constants the CLI needs without loading SQLite.
 */

/** Where `tlsproof report` keeps its evidence store unless told otherwise (relative to the working folder). */
export const DEFAULT_STORE_PATH = '.tlsproof/evidence.db';
