/**
 * @peculiar/x509 resolves its parsers through tsyringe, which refuses to load without the
 * `reflect-metadata` polyfill, and that package is not among the project's dependencies (no
 * installs in parallel work). This is the small subset tsyringe and decorated classes call:
 * metadata stored per target and property in WeakMaps, prototype chain searched on get.
 * Installed only when nothing else has provided Reflect.getMetadata.
 */
type Key = string | symbol | undefined;
const store = new WeakMap<object, Map<Key, Map<unknown, unknown>>>();

function own(target: object, prop: Key, create: boolean): Map<unknown, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp && create) store.set(target, (byProp = new Map()));
  let map = byProp?.get(prop);
  if (!map && create && byProp) byProp.set(prop, (map = new Map()));
  return map;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R['getMetadata'] !== 'function') {
  const defineMetadata = (key: unknown, value: unknown, target: object, prop?: Key) => void own(target, prop, true)!.set(key, value);
  const getOwnMetadata = (key: unknown, target: object, prop?: Key) => own(target, prop, false)?.get(key);
  const getMetadata = (key: unknown, target: object, prop?: Key): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  Object.assign(R, {
    defineMetadata,
    getOwnMetadata,
    getMetadata,
    hasMetadata: (key: unknown, target: object, prop?: Key) => getMetadata(key, target, prop) !== undefined,
    hasOwnMetadata: (key: unknown, target: object, prop?: Key) => own(target, prop, false)?.has(key) ?? false,
    metadata: (key: unknown, value: unknown) => (target: object, prop?: Key) => defineMetadata(key, value, target, prop),
  });
}
export {};
