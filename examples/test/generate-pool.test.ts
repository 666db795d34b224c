import { summarisePassport } from '@skillpass/match';
import { createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { createRandom, generatePassports, generatePool } from '../generate-pool.mjs';

type Summary = { id: string; skills: { uri: string; level: number; assessedOn: string; name: string }[] };

describe('examples/generate-pool.mjs', () => {
  it('gives the same pool for the same seed, another for another seed', () => {
    const a: Summary[] = generatePool({ n: 50 });
    expect(generatePool({ n: 50 })).toEqual(a);
    expect(generatePool({ n: 50, seed: 7 })).not.toEqual(a);
    expect(a.map((c) => c.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => `worker-${String(i + 1).padStart(6, '0')}`),
    );
    expect(a.some((c) => c.skills.some((s) => s.uri.startsWith('https://linkeddata.competentnl.nl/')))).toBe(
      true,
    );
  });

  it('draws uniform floats in [0, 1) from mulberry32', () => {
    const random = createRandom(1);
    const xs = Array.from({ length: 10_000 }, () => random());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  it('signs passports that verify and summarise back to the pool', async () => {
    const pool: Summary[] = generatePool({ n: 6 });
    const passports: { id: string; holder: string; token: string }[] = await generatePassports(pool, {
      audience: 'https://jobs.example',
    });
    const verifier = createVerifier();
    for (const p of passports) {
      const report = await verifier.verifyPassport(p.token, {
        audience: 'https://jobs.example',
        challenge: 'pool-20261101',
      });
      expect(report.verified).toBe(true);
      expect(report.holder).toBe(p.holder);
      const expected = pool.find((c) => c.id === p.id)!;
      // A verified passport names its holder, so ranking counts the person once.
      expect(summarisePassport(report, p.id)).toEqual({ ...expected, holder: p.holder });
    }
    expect(passports.map((p) => p.id)).toEqual(pool.filter((c) => c.skills.length > 0).map((c) => c.id));
  });
});
