/**
 * The evidence store: every report run remembered in one SQLite file.
 */
export { EvidenceStore } from './store.js';
export type { RecordStage, RunRecord } from './types.js';
export { MIGRATIONS, STORE_FORMAT, type Migration } from './schema.js';
export { verifyStore } from './verify.js';
