/** Largest absolute time a JS Date holds, in ms (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

/**
 * A JWT NumericDate (seconds) as ms since the epoch, or undefined when it is not a finite number
 * a Date can hold: a forged `exp: -1e13` must become a problem, never a RangeError.
 */
export function epochMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const ms = value * 1000;
  return Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

/** A JWT NumericDate as an ISO date-time to the second (`…Z`), or undefined when unreadable. */
export function epochToIso(value: unknown): string | undefined {
  const ms = epochMs(value);
  return ms === undefined ? undefined : `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** A Date that holds a time (an `Invalid Date` does not). */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
