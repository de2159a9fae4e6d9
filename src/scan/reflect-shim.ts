/**
 * @peculiar/x509 depends on tsyringe, which refuses to load without a Reflect metadata polyfill.
 * This is the few functions tsyringe calls, backed by a WeakMap, installed only when missing. Import
 * it before '@peculiar/x509' (ESM evaluates imports in order). The `reflect-metadata` package would
 * do the same; it is not among our dependencies.
 */
type Key = unknown;
type Target = object;
const store = new WeakMap<Target, Map<PropertyKey | undefined, Map<Key, unknown>>>();

function own(target: Target, prop: PropertyKey | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let m = byProp.get(prop);
  if (!m && create) {
    m = new Map();
    byProp.set(prop, m);
  }
  return m;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R['getMetadata'] !== 'function') {
  const getOwnMetadata = (key: Key, target: Target, prop?: PropertyKey): unknown => own(target, prop, false)?.get(key);
  const getMetadata = (key: Key, target: Target, prop?: PropertyKey): unknown => {
    for (let t: Target | null = target; t !== null; t = Object.getPrototypeOf(t) as Target | null) {
      const v = getOwnMetadata(key, t, prop);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const defineMetadata = (key: Key, value: unknown, target: Target, prop?: PropertyKey): void => {
    own(target, prop, true)!.set(key, value);
  };
  R['getOwnMetadata'] = getOwnMetadata;
  R['getMetadata'] = getMetadata;
  R['defineMetadata'] = defineMetadata;
  R['hasMetadata'] = (key: Key, target: Target, prop?: PropertyKey) => getMetadata(key, target, prop) !== undefined;
  R['metadata'] = (key: Key, value: unknown) => (target: Target, prop?: PropertyKey) => defineMetadata(key, value, target, prop);
}

export {};
