/**
 * Turns the facts an outcome rests on into finding evidence: a one-line summary plus the source
 * record an auditor can go back to.
 */
import type { Evidence } from '../../model/finding.js';
import type { Fact, SourceRef } from '../../model/source.js';

const WHITESPACE = /\s+/g;
const MAX_SUMMARY = 160;
// Facts are immutable and one fact is often cited by several checks (a notAfter by five).
const summaryCache = new WeakMap<Fact<unknown>, string>();

function oneLine(text: string): string {
  for (const line of text.split('\n')) {
    const condensed = line.replace(WHITESPACE, ' ').trim();
    if (condensed !== '') {
      return condensed.length > MAX_SUMMARY ? `${condensed.slice(0, MAX_SUMMARY - 1)}…` : condensed;
    }
  }
  return '';
}

function detailOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('detail' in value)) return undefined;
  const detail = value.detail;
  return typeof detail === 'string' && detail.trim() !== '' ? oneLine(detail) : undefined;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'reported';
}

/**
 * One line saying what a fact's record shows. Vulnerability and chain-trust facts carry the
 * scanner's own words (`detail`), which say more than the raw record; other facts are bare values
 * (`true`, a date) that mean little without their field name, so the record's first line is used.
 */
function evidenceSummary(fact: Fact<unknown>): string {
  let summary = summaryCache.get(fact);
  if (summary === undefined) {
    summary = detailOf(fact.value) ?? (oneLine(fact.source.excerpt) || describeValue(fact.value));
    summaryCache.set(fact, summary);
  }
  return summary;
}

function sameRecord(a: SourceRef, b: SourceRef): boolean {
  return a === b || (a.kind === b.kind && a.file === b.file && a.line === b.line && a.excerpt === b.excerpt);
}

/**
 * Evidence for an outcome's facts, in order, one entry per record: an ingester may derive two
 * facts from one row (a testssl RC4 row gives a cipher class and a vulnerability), and citing the
 * row twice would read as two independent sightings.
 */
export function evidenceFor(facts: readonly Fact<unknown>[]): Evidence[] {
  const out: Evidence[] = [];
  for (const fact of facts) {
    if (!out.some((e) => sameRecord(e.source, fact.source))) out.push({ summary: evidenceSummary(fact), source: fact.source });
    // When two tools disagreed, the worse reading decided; the other is cited so a reader sees both.
    for (const c of fact.conflicts ?? []) {
      if (!out.some((e) => sameRecord(e.source, c.source))) out.push({ summary: `disagrees: ${evidenceSummary(c as Fact<unknown>)}`, source: c.source });
    }
  }
  return out;
}
