/**
 * What one input file contributed to a run, as the later stages (report, store) see it. The ingest
 * stage fills it; its format id is one of the ingest registry's (the model does not list them, so
 * adding a format never touches the model).
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Records an ingester read but did not use. `not-tls-related`: they carry no TLS evidence (Nessus
 * plugins and Greenbone VTs outside the TLS set). `not-evaluated`: they carry a scanner's verdict
 * (testssl.sh rows such as CRIME or fallback SCSV) that no tlsproof check judges, so the report
 * must not claim every row was used. Not problems: counted per id, so the report can list them in
 * its appendix ("12,400 rows from 310 plugins were not TLS-related").
 */
export interface SkippedRecords {
  /** `fixed`: findings the scanner marks as no longer detected (Qualys Vuln Status Fixed). */
  readonly reason: 'not-tls-related' | 'not-evaluated' | 'fixed';
  readonly records: number;
  /** Per plugin id / NVT OID with the name the file gives it, most rows first (at most 100). */
  readonly ids: readonly { readonly id: string; readonly name: string; readonly records: number }[];
  /** Distinct ids beyond the 100 listed. */
  readonly moreIds: number;
}

/**
 * What a scanner export says about the scan itself, where it carries it: the scanner and its
 * version, its plugin/VT feed, the scan policy, and when the scan ran (ISO 8601).
 */
export interface ScanContext {
  readonly tool: string;
  readonly feed?: string;
  readonly policy?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
}

export interface InputFile {
  readonly file: string;
  /** The input format id (ingest registry) it was read as, or `empty` for an empty file. */
  readonly kind: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
  readonly problems: number;
  /** How the bytes were decoded (always set by ingest; optional for hand-built values). */
  readonly encoding?: TextEncoding;
  /**
   * Records read but not used because they carry no TLS evidence, counted per plugin id / NVT OID
   * (Nessus, Greenbone, closed ports in nmap). Not problems: for the report's appendix, e.g. via
   * describeSkipped(). Always set by ingest (possibly empty).
   */
  readonly skipped?: readonly SkippedRecords[];
  /** The scanner, feed, policy and scan times, for formats that carry them (.nessus). */
  readonly context?: ScanContext;
}
