/**
 * A row of the domain list: the organisation's own statement of scope. It belongs to the model
 * because every later stage reads it (scope attribution, the scanner's targets, the report, the
 * store); the CSV reader in ingest/ only produces it.
 */
export interface DomainListEntry {
  /** Lower-case, without a trailing dot; IDN domains as the user wrote them. */
  readonly domain: string;
  readonly owner: string;
  readonly businessUnit: string;
  readonly dataClasses: readonly string[];
  /** Framework ids named explicitly (validated against loaded mappings by the pipeline). */
  readonly frameworks: readonly string[];
  readonly notes: string;
  readonly extra: Readonly<Record<string, string>>;
  readonly file: string;
  readonly line: number;
}

/** "Business Unit", "business-unit" and "BUSINESS_UNIT" are the same column. */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
