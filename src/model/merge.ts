/**
 * Several inputs can describe the same endpoint (a rescan, or two files of one run). They become
 * one Observation: the most recent reading of each fact wins, and every source is kept.
 */
import { endpointKey } from './endpoint.js';
import type { Observation } from './observation.js';

export function mergeObservations(all: readonly Observation[]): Observation[] {
  const byKey = new Map<string, Observation[]>();
  for (const o of all) {
    const key = endpointKey(o.endpoint);
    const list = byKey.get(key);
    if (list) list.push(o);
    else byKey.set(key, [o]);
  }
  const out: Observation[] = [];
  for (const list of byKey.values()) out.push(list.length === 1 ? list[0]! : mergeGroup(list));
  return out;
}

function mergeGroup(list: Observation[]): Observation {
  // Oldest first, so later readings overwrite earlier ones.
  const sorted = [...list].sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0));
  const first = sorted[0]!;
  const merged: Observation = {
    ...first,
    scan: { state: first.scan.state, problems: [...first.scan.problems] },
    protocols: { ...first.protocols },
    cipherClasses: { ...first.cipherClasses },
    vulnerabilities: { ...first.vulnerabilities },
    certificates: first.certificates.map((c) => ({ ...c })),
    sources: [...first.sources],
  };
  for (const o of sorted.slice(1)) {
    merged.observedAt = o.observedAt;
    merged.observedAtSource = o.observedAtSource;
    if (o.tool) merged.tool = o.tool;
    merged.scan = { state: o.scan.state, problems: [...merged.scan.problems, ...o.scan.problems] };
    if (o.tlsAvailable) merged.tlsAvailable = o.tlsAvailable;
    if (o.startTlsOffered) merged.startTlsOffered = o.startTlsOffered;
    if (o.forwardSecrecy) merged.forwardSecrecy = o.forwardSecrecy;
    if (o.preferredCipher) merged.preferredCipher = o.preferredCipher;
    Object.assign(merged.protocols, o.protocols);
    Object.assign(merged.cipherClasses, o.cipherClasses);
    Object.assign(merged.vulnerabilities, o.vulnerabilities);
    // A newer scan that saw certificates replaces the older certificate set: certificates are renewed as a whole.
    if (o.certificates.length > 0) merged.certificates = o.certificates.map((c) => ({ ...c }));
    for (const s of o.sources) merged.sources.push(s);
  }
  return merged;
}
