/**
 * Helpers for ingest tests: a fixed ingest context, and a compact, stable rendering of ingest
 * output for `.expected.json` files (each fact's source becomes "@line", the observation's sources
 * become "line: excerpt" strings, so a reviewer reads facts and citations side by side).
 */
import { fileURLToPath } from 'node:url';
import type { IngestOutput } from '../../src/ingest/index.js';
import type { Observation } from '../../src/model/observation.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Inputs that carry no time of their own are stamped with this (observedAtSource "option"). */
export const OBSERVED_AT = '2026-09-15T10:00:00.000Z';
export const INGEST_OPTS = { cwd: ROOT, observedAt: OBSERVED_AT } as const;

function isSourceRef(v: unknown): v is { kind: string; file: string; line?: number; excerpt: string } {
  return typeof v === 'object' && v !== null && 'kind' in v && 'excerpt' in v && 'file' in v;
}

function compactFacts(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(compactFacts);
  if (isSourceRef(v)) return `@${v.line ?? '-'}`;
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = compactFacts(x);
    return out;
  }
  return v;
}

export function normaliseObservation(o: Observation): unknown {
  const { sources, ...facts } = o;
  return {
    ...(compactFacts(facts) as object),
    sources: sources.map((s) => `${s.kind} ${s.line ?? '-'}: ${s.excerpt}`),
  };
}

/** The stable part of an ingest run, as pretty JSON. */
export function renderIngest(out: IngestOutput): string {
  return `${JSON.stringify({
    files: out.files.map((f) => ({ kind: f.kind, encoding: f.encoding, records: f.records, problems: f.problems, skipped: f.skipped })),
    problems: out.problems.map((p) => `${p.line ?? '-'}:${p.column ?? '-'} ${p.code} (${p.effect}): ${p.message}`),
    observations: out.observations.map(normaliseObservation),
  }, null, 2)}\n`;
}
