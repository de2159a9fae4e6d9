/**
 * Name-based UUIDs (RFC 9562 version 5, SHA-1) so the same report gives the same OSCAL document:
 * every UUID is derived from the report id and what the object is, never random.
 */
import { createHash } from 'node:crypto';

/** tlsproof's namespace for OSCAL object names (itself the v5 UUID of "tlsproof/oscal" in the URL namespace). */
const TLSPROOF_OSCAL_NAMESPACE = uuidV5('tlsproof/oscal', '6ba7b811-9dad-11d1-80b4-00c04fd430c8');

export function uuidV5(name: string, namespace: string = TLSPROOF_OSCAL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
