import { verifyDataIntegrity } from '@skillpass/data-integrity';
import { issueSkillCredential } from '@skillpass/issuer';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createPassport, formatOf } from '../src/index.js';

describe('createPassport with an ldp_vc credential', () => {
  it('embeds the credential object itself next to enveloped tokens; its proof still verifies', async () => {
    const centre = makeIdentity();
    const worker = makeIdentity();
    const issue = (format: 'vc+jwt' | 'ldp_vc') =>
      issueSkillCredential(CNC_ASSESSMENTS[0]!, {
        issuer: { did: centre.did, name: 'Metal Assessment Centre' },
        subject: worker.did,
        signingKey: centre.signingKey,
        format,
      });
    const ldp = await issue('ldp_vc');
    const jwt = await issue('vc+jwt');
    expect(formatOf(ldp.token)).toBe('ldp_vc');
    expect(formatOf(jwt.token)).toBe('vc+jwt');
    const passport = await createPassport({
      holder: { did: worker.did, signingKey: worker.signingKey },
      credentials: [jwt.token, { token: ldp.token, format: 'ldp_vc' }, ldp.token],
      audience: 'https://jobs.example',
      challenge: 'c-1',
    });
    const entries = decodeJwt(passport).verifiableCredential as Record<string, unknown>[];
    expect(entries[0]).toMatchObject({ type: 'EnvelopedVerifiableCredential' });
    expect(entries[1]).toEqual(JSON.parse(ldp.token));
    expect(entries[2]).toEqual(JSON.parse(ldp.token));
    expect((await verifyDataIntegrity(entries[1], { expectedController: centre.did })).verified).toBe(true);
  });

  it('refuses an ldp_vc that is not JSON text with ERR_INVALID_OPTIONS', async () => {
    const worker = makeIdentity();
    await expect(
      createPassport({
        holder: { did: worker.did, signingKey: worker.signingKey },
        credentials: [{ token: 'eyJhbGciOiJFZERTQSJ9.e30.sig', format: 'ldp_vc' }],
        audience: 'https://jobs.example',
        challenge: 'c-1',
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });
});
