/**
 * Evaluates the report's own properties (EVIDENCE_PROPERTIES in src/model/framework.ts) for the
 * controls of frameworks that govern evidence rather than TLS: SEC 17a-4, FINRA 4511, FRCP/FRE,
 * SOX 802, and the documentation and retention controls of the others. Each property is judged
 * from facts the report itself holds, per framework (its in-scope endpoints and assets), so the
 * verdict can be re-derived from the report by anyone. Pure: no I/O, no clock.
 */
import { EVIDENCE_PROPERTY_IDS, type EvidencePropertyId } from '../model/framework.js';

/** What a property evaluation found; `not-tested` means tlsproof cannot see it at all. */
type EvidenceStatus = 'pass' | 'warn' | 'fail' | 'not-tested';

export interface EvidenceResult {
  readonly status: EvidenceStatus;
  /** One sentence saying what was looked at and what was found. */
  readonly detail: string;
}

/** The facts one framework's evidence properties are judged on. */
export interface EvidenceFacts {
  /** ISO instant the report was generated. */
  readonly generatedAt: string;
  readonly toolVersion: string;
  readonly inputs: readonly { readonly file: string; readonly sha256: string }[];
  /** The framework's in-scope endpoints. */
  readonly endpoints: readonly {
    readonly key: string;
    readonly observedAtSource: 'input' | 'option' | 'file-mtime';
    readonly tool: string | null;
    readonly scanState: 'completed' | 'partial' | 'failed';
    /** Every protocol version was tested and the certificates were read (or the endpoint offers no TLS to inventory). */
    readonly inventoried: boolean;
  }[];
  /** False when no domain list stated what was meant to be in scope. */
  readonly domainListGiven: boolean;
  /** In-scope assets of the domain list for which no scan result was found. */
  readonly assetsWithoutResults: readonly string[];
  /** Input rows or values tlsproof could not use. */
  readonly inputProblems: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function evaluateEvidenceProperty(property: EvidencePropertyId, facts: EvidenceFacts): EvidenceResult {
  // With nothing in scope there is nothing for the report to vouch for, except the assets it missed.
  if (facts.endpoints.length === 0 && !(property === 'scope-complete' && facts.assetsWithoutResults.length > 0)) {
    return { status: 'not-tested', detail: 'No endpoint is in scope for this framework, so the report holds no evidence for it.' };
  }
  switch (property) {
    case 'report-dated': return reportDated(facts);
    case 'inputs-hashed': return inputsHashed(facts);
    case 'tool-identified': return toolIdentified(facts);
    case 'crypto-inventory': return cryptoInventory(facts);
    case 'scope-complete': return scopeComplete(facts);
    case 'records-retained':
      return { status: 'not-tested', detail: 'Where and for how long this report is kept is outside what tlsproof can see; keep it, with its inputs, on storage that meets the rule.' };
  }
}

/** Every property, evaluated once for one framework. */
export function evaluateEvidence(facts: EvidenceFacts): ReadonlyMap<EvidencePropertyId, EvidenceResult> {
  return new Map(EVIDENCE_PROPERTY_IDS.map((id) => [id, evaluateEvidenceProperty(id, facts)]));
}

/** "2026-10-01T09:00:00.000Z" → "2026-10-01 09:00 UTC", as the report prints instants; the model keeps the ISO value in report.generatedAt. */
function minuteUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

function reportDated(facts: EvidenceFacts): EvidenceResult {
  const fromMtime = facts.endpoints.filter((e) => e.observedAtSource === 'file-mtime').length;
  const generated = `The report records its generation time (${minuteUtc(facts.generatedAt)})`;
  if (fromMtime > 0) {
    return { status: 'warn', detail: `${generated}, but for ${count(fromMtime, 'endpoint')} of ${facts.endpoints.length} the scan time is only the input file's modification time (give --observed-at or scanner output that carries the time).` };
  }
  return { status: 'pass', detail: `${generated} and when the scan of each of its ${count(facts.endpoints.length, 'endpoint')} ran.` };
}

function inputsHashed(facts: EvidenceFacts): EvidenceResult {
  if (facts.inputs.length === 0) return { status: 'not-tested', detail: 'The report lists no input files to identify.' };
  const bad = facts.inputs.filter((i) => !SHA256.test(i.sha256));
  if (bad.length > 0) return { status: 'fail', detail: `${count(bad.length, 'input file')} ${bad.length === 1 ? 'lacks' : 'lack'} a SHA-256 digest: ${bad.map((i) => i.file).join(', ')}.` };
  return { status: 'pass', detail: `All ${count(facts.inputs.length, 'input file')} are recorded with their SHA-256 digest; the digest of the rendered report itself is taken when it is stored.` };
}

function toolIdentified(facts: EvidenceFacts): EvidenceResult {
  const unknown = facts.endpoints.filter((e) => e.tool === null).length;
  const own = `The report names tlsproof ${facts.toolVersion}`;
  if (unknown > 0) return { status: 'warn', detail: `${own}, but the scanner behind ${count(unknown, 'endpoint')} of ${facts.endpoints.length} is not identified in its input.` };
  return { status: 'pass', detail: `${own} and the scanner (with version where the input gives it) behind each in-scope endpoint.` };
}

function cryptoInventory(facts: EvidenceFacts): EvidenceResult {
  const missing = facts.endpoints.filter((e) => !e.inventoried).length;
  if (missing > 0) {
    return { status: 'warn', detail: `The report lists protocols, cipher classes and certificates per endpoint, but for ${count(missing, 'endpoint')} of ${facts.endpoints.length} the scan did not establish every protocol version or read the certificate.` };
  }
  return { status: 'pass', detail: `The report lists the accepted protocol versions, cipher classes and certificates (issuer, key, signature, validity) of all ${count(facts.endpoints.length, 'endpoint')}.` };
}

/**
 * A gap in scope is a gap in the evidence, not evidence of a failing control (the same reason the
 * scan-incomplete check counts toward no control), so the worst this property says is "warn".
 */
function scopeComplete(facts: EvidenceFacts): EvidenceResult {
  const failed = facts.endpoints.filter((e) => e.scanState === 'failed').length;
  const partial = facts.endpoints.filter((e) => e.scanState === 'partial').length;
  const gaps: string[] = [];
  if (facts.assetsWithoutResults.length > 0) gaps.push(`no scan results for ${facts.assetsWithoutResults.join(', ')}`);
  if (failed > 0) gaps.push(`the scan of ${count(failed, 'endpoint')} failed`);
  if (gaps.length > 0) return { status: 'warn', detail: `The requested scope was not reached: ${gaps.join('; ')}.` };
  const caveats: string[] = [];
  if (!facts.domainListGiven) caveats.push('no domain list states what was meant to be in scope');
  if (partial > 0) caveats.push(`the scan of ${count(partial, 'endpoint')} completed only in part`);
  if (facts.inputProblems > 0) caveats.push(`${count(facts.inputProblems, 'input problem')} (listed in the appendix)`);
  if (caveats.length > 0) return { status: 'warn', detail: `Completeness cannot be shown in full: ${caveats.join('; ')}.` };
  return { status: 'pass', detail: `Every in-scope asset has results and all ${count(facts.endpoints.length, 'endpoint')} were scanned completely.` };
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
