/** Deep-freeze plain data (objects, arrays, and the values held by Maps and Sets). */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  const obj = value as unknown as object;
  if (seen.has(obj)) return value;
  seen.add(obj);
  if (obj instanceof Map) for (const [k, v] of obj) {
    deepFreeze(k, seen);
    deepFreeze(v, seen);
  }
  else if (obj instanceof Set) for (const v of obj) deepFreeze(v, seen);
  for (const key of Reflect.ownKeys(obj)) deepFreeze((obj as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
}
