/** Values frozen all the way down by {@link deepFreeze} (so nothing inside them can change). */
const deeplyFrozen = new WeakSet<object>();

/**
 * Freeze `value` and everything inside it, and remember it as deeply frozen: a value shared
 * between answers (a parsed DCQL query, a vacancy) that a caller tried to change would throw,
 * never change it for another answer.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !deeplyFrozen.has(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
    deeplyFrozen.add(value);
  }
  return value;
}

/** True for a value {@link deepFreeze} froze: it can be cached by identity. */
export function isDeeplyFrozen(value: unknown): boolean {
  return typeof value === 'object' && value !== null && deeplyFrozen.has(value);
}
