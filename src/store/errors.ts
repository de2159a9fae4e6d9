/**
 * Errors of the evidence store: its codes. The class is tlsproof's one error class (src/errors.ts),
 * under the name the store's modules use; the CLI catches it with every other.
 */

export { ReportError as StoreError } from '../errors.js';
