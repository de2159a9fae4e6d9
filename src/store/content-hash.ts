/**
 * The content hash of a run: what `store verify` recomputes from the stored rows to tell whether
 * a run still holds exactly what was recorded.
 */
import { canonicalJson, sha256Hex } from './codec.js';

/** Row order for the content hash: any total order works, as long as record and verify share it (both sort in JS). */
const byKeys = (...idx: number[]) => (a: readonly unknown[], b: readonly unknown[]) => {
  for (const i of idx) {
    const x = String(a[i]);
    const y = String(b[i]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Rows of one run, as tuples in table-column order, from which its content hash is computed. */
export interface RunRows {
  readonly run: readonly unknown[];
  readonly inputs: (readonly unknown[])[];
  readonly observations: (readonly unknown[])[];
  readonly findings: (readonly unknown[])[];
  readonly certificates: (readonly unknown[])[];
  readonly problems: (readonly unknown[])[];
  readonly controls: (readonly unknown[])[];
}

/**
 * SHA-256 over a run's rows, endpoints by key (not by the store-local id) and blobs by hash, in a
 * fixed order. `store verify` recomputes it from what is stored; any edit to a run shows.
 */
export function runContentHash(rows: RunRows): string {
  const parts: [string, (readonly unknown[])[], (a: readonly unknown[], b: readonly unknown[]) => number][] = [
    ['inputs', rows.inputs, byKeys(0)],
    ['observations', rows.observations, byKeys(0)],
    ['findings', rows.findings, byKeys(0, 1)],
    ['certificates', rows.certificates, byKeys(0, 1)],
    ['problems', rows.problems, byKeys(0)],
    ['controls', rows.controls, byKeys(0, 2)],
  ];
  const lines = [`run ${canonicalJson(rows.run)}`];
  for (const [name, list, cmp] of parts) {
    for (const r of [...list].sort(cmp)) lines.push(`${name} ${canonicalJson(r.map((v) => (v instanceof Uint8Array ? sha256Hex(v) : v)))}`);
  }
  return sha256Hex(lines.join('\n'));
}
