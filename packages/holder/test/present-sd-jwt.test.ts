import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { listDisclosableClaims, presentSdJwtCredential } from '../src/index.js';
import { sdJwtFor } from './helpers.js';

const worker = makeIdentity();
const AUD = 'https://jobs.metaalbedrijf.example';
const json = (b64: string) =>
  JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')) as Record<string, unknown>;

function parts(token: string) {
  const all = token.split('~');
  return {
    disclosures: all
      .slice(1, -1)
      .map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]),
    kb: all.at(-1)!,
    withoutKb: token.slice(0, token.length - all.at(-1)!.length),
  };
}

describe('presentSdJwtCredential', () => {
  it('lists what the holder can choose to disclose', async () => {
    const { token } = await sdJwtFor(worker.did, '1990-04-17');
    expect(await listDisclosableClaims(token)).toEqual([
      'dateOfBirth',
      'evidence.0',
      'evidence.0.assessedOn',
      'evidence.0.assessor',
      'evidence.0.score',
    ]);
    await expect(listDisclosableClaims('not an sd-jwt')).rejects.toMatchObject({ code: 'ERR_MALFORMED' });
  });

  it('keeps only the chosen disclosures and binds them to the audience and challenge', async () => {
    const { token } = await sdJwtFor(worker.did, '1990-04-17');
    const now = new Date('2027-03-01T12:00:00Z');
    const shown = await presentSdJwtCredential(token, {
      disclose: ['score'],
      audience: AUD,
      challenge: 'c-1',
      signingKey: worker.signingKey,
      now,
    });
    const { disclosures, kb, withoutKb } = parts(shown);
    // The score needs its evidence entry; nothing else comes along.
    expect(disclosures.map((d) => (d.length === 3 ? d[1] : 'evidence entry')).sort()).toEqual([
      'evidence entry',
      'score',
    ]);
    const [h, p] = kb.split('.');
    expect(json(h!)).toEqual({ typ: 'kb+jwt', alg: 'EdDSA' });
    expect(json(p!)).toEqual({
      aud: AUD,
      nonce: 'c-1',
      iat: now.getTime() / 1000,
      sd_hash: createHash('sha256').update(withoutKb, 'ascii').digest('base64url'),
    });
  });

  it('discloses nothing beyond the skill by default, and whole entries or exact paths on request', async () => {
    const { token } = await sdJwtFor(worker.did, '1990-04-17');
    const base = { audience: AUD, challenge: 'c', signingKey: worker.signingKey };
    expect(parts(await presentSdJwtCredential(token, base)).disclosures).toEqual([]);
    const entry = parts(await presentSdJwtCredential(token, { ...base, disclose: ['evidence'] })).disclosures;
    expect(entry).toHaveLength(1);
    expect(entry[0]).toHaveLength(2);
    const exact = parts(
      await presentSdJwtCredential(token, { ...base, disclose: ['evidence.0.assessedOn', 'dateOfBirth'] }),
    );
    expect(exact.disclosures.map((d) => (d.length === 3 ? d[1] : 'entry')).sort()).toEqual([
      'assessedOn',
      'dateOfBirth',
      'entry',
    ]);
  });

  it('refuses a claim the credential cannot disclose, and an empty audience', async () => {
    const { token } = await sdJwtFor(worker.did);
    const base = { audience: AUD, challenge: 'c', signingKey: worker.signingKey };
    await expect(presentSdJwtCredential(token, { ...base, disclose: ['dateOfBirth'] })).rejects.toMatchObject(
      {
        code: 'ERR_INVALID_OPTIONS',
      },
    );
    await expect(presentSdJwtCredential(token, { ...base, disclose: ['skill'] })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
    await expect(presentSdJwtCredential(token, { ...base, audience: '' })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
  });
});
