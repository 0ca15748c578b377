/**
 * A small bounded memo for values that depend only on a period or a date: every payslip of a month asks for the
 * same ones, so they are built once and shared. The cache is cleared when it grows past `limit` (a long-running
 * host computing many months), which only costs rebuilding them. `make` receives the key: pass a module-level
 * function, not a closure, so that a hit allocates nothing.
 */
export function remember<K, V>(cache: Map<K, V>, key: K, make: (key: K) => V, limit = 1000): V {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= limit) cache.clear();
    v = make(key);
    cache.set(key, v);
  }
  return v;
}
