/**
 * The shapes the evidence store takes in and gives out: a run to record, the summaries and
 * details read back, and the raw rows of its tables as SQLite returns them.
 */
import type { FindingStatus, Severity } from '../model/finding.js';
import type { InputFile } from '../model/input-file.js';
import type { InputProblem } from '../model/problem.js';
import type { Migration } from './schema.js';

export interface OpenOptions {
  /** Recorded with every migration and run. */
  readonly toolVersion: string;
  /** `write` creates the file (and its folder) when missing; `read` refuses a missing store. */
  readonly mode: 'read' | 'write';
  /** How long to wait for another process's write lock. @default 15000 */
  readonly busyTimeoutMs?: number;
  /** Clock for schema_version.applied_at. @default () => new Date() */
  readonly now?: () => Date;
  /** The migration list; tests pass their own to exercise the mechanism. @default MIGRATIONS */
  readonly migrations?: readonly Migration[];
  /**
   * Write mode: skip SQLite's quick check when this process already checked the same file and
   * it has not changed since its connection closed (a report compares, writes its outputs, then
   * records), and remember this connection's check when it closes. @default false
   */
  readonly reuseCheck?: boolean;
}

export interface StoredFinding {
  readonly localId: string;
  readonly checkId: string;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly messageId: string;
  readonly message: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly evidence: readonly { summary: string; file: string; line: number | null }[];
}

interface StoredCertificate {
  readonly index: number;
  readonly commonName: string | null;
  readonly issuer: string | null;
  readonly serial: string | null;
  readonly fingerprintSha256: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
}

export interface RunEndpointRecord {
  readonly key: string;
  readonly host: string;
  readonly ip: string | null;
  readonly port: number;
  readonly service: string;
  readonly transport: string;
  readonly observedAt: string;
  readonly observedAtSource: string;
  readonly tool: string | null;
  readonly scanState: 'completed' | 'partial' | 'failed';
  readonly frameworks: readonly string[];
  /** The observation, slimmed (see codec.slimObservation). */
  readonly facts: unknown;
  /** Every finding of the endpoint, passes included. */
  readonly findings: readonly StoredFinding[];
  readonly certificates: readonly StoredCertificate[];
}

/** One input of a run as the store keeps it: the model's file summary, its dating, and its bytes. */
export interface RunInputRecord extends Pick<InputFile, 'file' | 'kind' | 'sha256' | 'bytes' | 'records' | 'problems'> {
  readonly observedAt: string;
  readonly observedAtSource: string;
  /** The raw bytes; compressed on the way in. */
  readonly content: Uint8Array;
}

/** Everything one run stores. Built by record.ts from a report run. */
export interface RunRecord {
  readonly uuid: string;
  readonly recordedAt: string;
  readonly toolVersion: string;
  readonly command: readonly string[];
  readonly request: Readonly<Record<string, unknown>>;
  readonly reportId: string;
  readonly period: { readonly id: string; readonly label: string; readonly start: string; readonly end: string } | null;
  readonly reportDate: string;
  readonly generatedAt: string;
  readonly inputs: readonly RunInputRecord[];
  readonly endpoints: readonly RunEndpointRecord[];
  readonly problems: readonly InputProblem[];
  readonly controls: readonly { frameworkId: string; frameworkVersion: string; controlId: string; status: string }[];
  readonly summary: unknown;
  readonly modelSha256: string;
  /** Files the request names by `sha256` besides the inputs (stored as blobs, covered by the chain). */
  readonly blobs?: readonly { readonly sha256: string; readonly content: Uint8Array }[] | undefined;
  /** The signed PDFs the run wrote (--sign). */
  readonly signatures?: readonly SignatureRecord[] | undefined;
}

/** A signed PDF report as the store keeps it: enough to re-check the signature and its signer. */
export interface SignatureRecord {
  /** The PDF's name as written. */
  readonly file: string;
  readonly pdfSha256: string;
  readonly pdfBytes: number;
  readonly signerSubject: string;
  /** SHA-256 of the signer certificate (DER), hex. */
  readonly signerSha256: string;
  /** ISO 8601, as the PDF's signature states it. */
  readonly signingTime: string;
  /** The RFC 3161 time-stamp's time (--tsa), or null. */
  readonly timestampTime: string | null;
  /** The CMS SignedData embedded in the PDF (DER). */
  readonly cms: Uint8Array;
}

/** A run as recorded: its number, and its link in the chain with the link before it. */
export interface RecordedRun {
  readonly seq: number;
  readonly uuid: string;
  readonly chain: { readonly seq: number; readonly sha256: string };
  readonly prev: { readonly seq: number; readonly sha256: string } | null;
}

/** A stage of recordRun, for fault-injection tests (the crash test pauses inside the transaction). */
export type RecordStage = 'prepared' | 'run' | 'inputs' | 'observations' | 'findings' | 'before-commit';

export interface RecordHooks {
  readonly onStage?: (stage: RecordStage) => void;
}

export interface RunSummary {
  readonly seq: number;
  readonly uuid: string;
  readonly recordedAt: string;
  readonly toolVersion: string;
  readonly reportId: string;
  readonly period: { readonly id: string | null; readonly label: string; readonly start: string; readonly end: string } | null;
  readonly reportDate: string;
  readonly generatedAt: string;
  readonly observedFrom: string | null;
  readonly observedTo: string | null;
  readonly inputs: number;
  readonly endpoints: number;
  readonly findings: number;
  readonly problems: number;
  /** Failing and warning findings (from the stored summary). */
  readonly open: number;
  /** The tlsproof command that recorded the run ("report", "scan"), from its recorded command line. */
  readonly kind: string;
}

export interface RunDetail extends RunSummary {
  readonly command: string[];
  readonly request: Record<string, unknown>;
  readonly summary: unknown;
  readonly modelSha256: string;
  readonly contentSha256: string;
  readonly inputFiles: { file: string; kind: string; sha256: string; bytes: number; records: number; problems: number; observedAt: string; observedAtSource: string }[];
  readonly endpointKeys: string[];
  readonly openFindings: { endpointKey: string; localId: string; checkId: string; status: string; severity: string; message: string }[];
  readonly inputProblems: InputProblem[];
  readonly controls: { frameworkId: string; frameworkVersion: string; controlId: string; status: string }[];
}

export interface RunRowDb {
  seq: number; uuid: string; recorded_at: string; tool_version: string; command: string; request: string; report_id: string;
  period_id: string | null; period_label: string | null; period_start: string | null; period_end: string | null;
  report_date: string; generated_at: string; observed_from: string | null; observed_to: string | null;
  input_count: number; endpoint_count: number; finding_count: number; problem_count: number;
  summary: string; model_sha256: string; content_sha256: string;
}
export interface InputRowDb {
  run_seq: number; ord: number; file: string; kind: string; sha256: string; bytes: number; records: number; problems: number;
  observed_at: string; observed_at_source: string;
}
export interface ObservationRowDb {
  run_seq: number; endpoint_id: number; observed_at: string; observed_at_source: string; tool: string | null; scan_state: string;
  frameworks: string; passed: string; facts: Buffer;
}
export interface FindingRowDb {
  run_seq: number; endpoint_id: number; local_id: string; check_id: string; status: string; severity: string;
  message_id: string; message: string; data: string; evidence: string;
}
export interface ProblemRowDb {
  run_seq: number; ord: number; file: string; line: number | null; col: number | null; code: string; message: string; effect: string;
}
