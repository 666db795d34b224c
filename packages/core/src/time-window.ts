/**
 * The bounds of a validity window, in ms since the epoch. Each side may list several instants
 * (a credential's `validFrom` and its JWT `nbf`, say): the latest start and the earliest end
 * bind. `undefined` entries are ignored, so optional claims can be passed as read.
 */
export interface TimeWindow {
  /** Not valid before these instants (`nbf`, `validFrom`; `iat` where it must not lie ahead). */
  notBefore?: number | readonly (number | undefined)[] | undefined;
  /**
   * Not valid from these instants on (`exp`, `validUntil`): at the instant itself the window has
   * closed, as RFC 7519 §4.1.4 says of `exp` ("on or after") and jose implements.
   */
  expiresAt?: number | readonly (number | undefined)[] | undefined;
}

/** Outcome of {@link checkTimeWindow}. `at` is the bound that decided, in ms since the epoch. */
export type TimeWindowResult =
  | { ok: true }
  | { ok: false; reason: 'not-yet-valid'; at: number }
  | { ok: false; reason: 'expired'; at: number };

/**
 * The one validity-window check of skillpass, for credentials, passports, key-binding JWTs,
 * status lists and trust registries. With a tolerated clock skew `s`: not yet valid when a start
 * lies after `now + s`; expired when an end is at or before `now − s` (jose's boundary: `exp`
 * equal to now is expired). Not-yet-valid is reported first when both hold.
 *
 * @example
 * ```ts
 * const r = checkTimeWindow({ notBefore: Date.parse(vc.validFrom), expiresAt: exp * 1000 }, now, 60);
 * if (!r.ok) console.log(r.reason); // 'not-yet-valid' | 'expired'
 * ```
 *
 * A NaN bound is ignored like an absent one; never throws.
 */
export function checkTimeWindow(window: TimeWindow, now: Date | number, skewSeconds = 0): TimeWindowResult {
  const t = typeof now === 'number' ? now : now.getTime();
  const skew = skewSeconds * 1000;
  const from = bound(window.notBefore, Math.max);
  const until = bound(window.expiresAt, Math.min);
  if (from !== undefined && from > t + skew) return { ok: false, reason: 'not-yet-valid', at: from };
  if (until !== undefined && until <= t - skew) return { ok: false, reason: 'expired', at: until };
  return { ok: true };
}

function bound(
  value: number | readonly (number | undefined)[] | undefined,
  pick: (...values: number[]) => number,
): number | undefined {
  const values = (typeof value === 'number' ? [value] : (value ?? [])).filter(
    (v): v is number => typeof v === 'number' && !Number.isNaN(v),
  );
  return values.length === 0 ? undefined : pick(...values);
}
