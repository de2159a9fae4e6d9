/**
 * The evidence store: every report run remembered in one SQLite file.
 */
export { DEFAULT_STORE_PATH, EvidenceStore, runContentHash, storeFault, type OpenOptions, type RecordHooks, type RecordStage, type RunDetail,
  type RunRecord, type RunSummary } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { APPLICATION_ID, MIGRATIONS, STORE_FORMAT, type Migration } from './schema.js';
export { verifyStore, type VerifyCheck, type VerifyResult } from './verify.js';
export { buildRunRecord, localId, modelSha256, recordAndCompare, type RecordedRequest, type ReportRun, type StoreRequest } from './record.js';
