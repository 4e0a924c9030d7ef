/** Small collection helpers of the correlation index. */

export /** Adds `value` to the set under `key`. */
function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

export /** Whether two label sets are equal (the same object, or the same pairs). */
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) {
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) {
    return false;
  }
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || a[k] !== b[k]) {
      return false;
    }
  }
  return true;
}
