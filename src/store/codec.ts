/**
 * How the store packs what it keeps: raw inputs compressed with Brotli (a testssl CSV shrinks
 * ~20–40×), observations as deflated JSON with each fact's source cut to file:line (the raw record
 * is in the stored input), and a canonical JSON for the hashes `store verify` recomputes.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';

type BlobEncoding = 'br' | 'gzip' | 'identity';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Brotli at quality 5: within a few percent of the best ratio on scanner CSVs at a fifth of the time. */
export function compressInput(data: Uint8Array): { encoding: BlobEncoding; data: Buffer } {
  return {
    encoding: 'br',
    data: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength },
    }),
  };
}

export function decompressInput(encoding: string, data: Uint8Array): Buffer {
  switch (encoding) {
    case 'br': return brotliDecompressSync(data);
    case 'gzip': return gunzipSync(data);
    case 'identity': return Buffer.from(data);
    default: throw new Error(`unknown blob encoding "${encoding}"`);
  }
}

export function packJson(value: unknown): Buffer {
  return deflateRawSync(JSON.stringify(value));
}

export function unpackJson(data: Uint8Array): unknown {
  return JSON.parse(inflateRawSync(data).toString('utf8'));
}

const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/** Object keys in canonical order: array-index-like keys ascending by value, then the rest sorted (as JS itself orders them after a sorted insert). */
function canonicalKeys(o: object): string[] {
  const keys = Object.keys(o).sort();
  const index = keys.filter((k) => INDEX_KEY.test(k) && Number(k) < 4294967295).sort((a, b) => Number(a) - Number(b));
  return index.length === 0 ? keys : [...index, ...keys.filter((k) => !(INDEX_KEY.test(k) && Number(k) < 4294967295))];
}

function encode(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      const withJson = v as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return encode(withJson.toJSON());
      if (Array.isArray(v)) return `[${v.map((x) => encode(x) ?? 'null').join(',')}]`;
      const parts: string[] = [];
      for (const k of canonicalKeys(v)) {
        const e = encode((v as Record<string, unknown>)[k]);
        if (e !== undefined) parts.push(`${JSON.stringify(k)}:${e}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'bigint': throw new TypeError('canonicalJson: BigInt is not JSON');
    default: return undefined;
  }
}

/**
 * JSON with object keys sorted at every level: the same value always hashes the same. Same text as
 * JSON.stringify would give for the value with its keys inserted in sorted order, written directly
 * (a replacer that rebuilds every object was the slowest step of recording a large run).
 */
export function canonicalJson(value: unknown): string {
  return encode(value) ?? 'null';
}

function isSourceRef(v: unknown): v is { file: string; line?: number } {
  return typeof v === 'object' && v !== null && 'kind' in v && 'file' in v && 'excerpt' in v;
}

/**
 * The observation as stored: every `source` (a SourceRef with the raw record) becomes
 * `{ file, line }`, and the list of every contributing record becomes the list of files. Works on
 * any shape of Observation, so new fact kinds are kept without a change here.
 */
export function slimObservation(obs: unknown): unknown {
  const walk = (v: unknown, top: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v === null || typeof v !== 'object') return v;
    if (isSourceRef(v)) return v.line === undefined ? { file: v.file } : { file: v.file, line: v.line };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (top && k === 'sources' && Array.isArray(x)) {
        out['sourceFiles'] = [...new Set(x.filter(isSourceRef).map((s) => s.file))];
        continue;
      }
      if (x !== undefined) out[k] = walk(x, false);
    }
    return out;
  };
  return walk(obs, true);
}
