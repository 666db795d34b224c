import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTimeWindow } from '../src/index.js';

const NOW = Date.parse('2027-03-01T12:00:00Z');

describe('checkTimeWindow', () => {
  it('an end equal to now is expired (RFC 7519 §4.1.4, as jose)', () => {
    expect(checkTimeWindow({ expiresAt: NOW }, NOW)).toEqual({ ok: false, reason: 'expired', at: NOW });
    expect(checkTimeWindow({ expiresAt: NOW + 1 }, NOW)).toEqual({ ok: true });
  });

  it('a start equal to now is valid; one ms later is not yet', () => {
    expect(checkTimeWindow({ notBefore: NOW }, NOW)).toEqual({ ok: true });
    expect(checkTimeWindow({ notBefore: NOW + 1 }, NOW)).toMatchObject({ reason: 'not-yet-valid' });
  });

  it('the skew widens both ends, with the same boundary', () => {
    expect(checkTimeWindow({ expiresAt: NOW - 60_000 }, NOW, 60)).toMatchObject({ reason: 'expired' });
    expect(checkTimeWindow({ expiresAt: NOW - 59_999 }, NOW, 60)).toEqual({ ok: true });
    expect(checkTimeWindow({ notBefore: NOW + 60_000 }, NOW, 60)).toEqual({ ok: true });
    expect(checkTimeWindow({ notBefore: NOW + 60_001 }, NOW, 60)).toMatchObject({ reason: 'not-yet-valid' });
  });

  it('the latest start and the earliest end bind; undefined and NaN bounds are ignored', () => {
    const window = { notBefore: [NOW - 10, undefined, NOW + 5, Number.NaN], expiresAt: [NOW + 9, NOW - 1] };
    expect(checkTimeWindow(window, NOW)).toEqual({ ok: false, reason: 'not-yet-valid', at: NOW + 5 });
    expect(checkTimeWindow({ notBefore: [NOW - 10], expiresAt: [undefined, NOW - 1] }, NOW)).toEqual({
      ok: false,
      reason: 'expired',
      at: NOW - 1,
    });
    expect(checkTimeWindow({ notBefore: [], expiresAt: [Number.NaN] }, new Date(NOW))).toEqual({ ok: true });
  });

  it('agrees with the rule it states, for any instants (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: undefined }),
        fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: undefined }),
        fc.nat(100),
        (from, until, skew) => {
          const result = checkTimeWindow(
            {
              notBefore: from === undefined ? undefined : NOW + from,
              expiresAt: until === undefined ? undefined : NOW + until,
            },
            NOW,
            skew,
          );
          const early = from !== undefined && from > skew * 1000;
          const late = until !== undefined && until <= -skew * 1000;
          expect(result.ok).toBe(!early && !late);
          if (early) expect(result).toMatchObject({ reason: 'not-yet-valid' });
          else if (late) expect(result).toMatchObject({ reason: 'expired' });
        },
      ),
    );
  });
});
