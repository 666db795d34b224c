import { receiveCredential } from '@skillpass/holder';
import { describe, expect, it } from 'vitest';
import { MAX_CREDENTIAL_REQUEST_BYTES, MAX_FORM_BYTES, MAX_TX_CODE_FAILURES } from '../src/index.js';
import { makeWallet, startCentre, type TestCentre } from './helpers.js';
import {
  accessToken,
  jwkOf,
  nonce,
  offerOn,
  postCredential,
  postToken,
  proofJwt,
  rawKey,
  signJwt,
} from './raw-client.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

async function nothingIssued(centre: TestCentre): Promise<void> {
  expect(await centre.issuer.listIssued()).toEqual([]);
}

describe('token endpoint refusals', () => {
  it('wrong, missing or unexpected tx_code, unknown, replayed and expired codes: the right OAuth error, nothing issued', async () => {
    const centre = await startCentre();
    const withPin = offerOn(centre, { txCode: true });
    const wrongPin = withPin.txCode === '000000' ? '111111' : '000000';
    const wrong = await postToken(centre, {
      grant_type: GRANT,
      'pre-authorized_code': withPin.code,
      tx_code: wrongPin,
    });
    expect([wrong.status, wrong.body.error]).toEqual([400, 'invalid_grant']);
    const missing = await postToken(centre, { grant_type: GRANT, 'pre-authorized_code': withPin.code });
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);

    const plain = offerOn(centre);
    const unexpected = await postToken(centre, {
      grant_type: GRANT,
      'pre-authorized_code': plain.code,
      tx_code: '123456',
    });
    expect(unexpected.body.error).toBe('invalid_request');
    const unknown = await postToken(centre, { grant_type: GRANT, 'pre-authorized_code': 'not-a-code' });
    expect(unknown.body.error).toBe('invalid_grant');

    const first = await postToken(centre, { grant_type: GRANT, 'pre-authorized_code': plain.code });
    expect(first.status).toBe(200);
    expect(first.body.token_type).toBe('Bearer');
    const replay = await postToken(centre, { grant_type: GRANT, 'pre-authorized_code': plain.code });
    expect([replay.status, replay.body.error]).toEqual([400, 'invalid_grant']);
    // A redeemed offer is no longer served.
    expect((await fetch(`${centre.url}/offers/${plain.record.id}`)).status).toBe(404);

    const old = offerOn(centre, { expiresInSeconds: 60, now: new Date(Date.now() - 120_000) });
    expect((await fetch(`${centre.url}/offers/${old.record.id}`)).status).toBe(404);
    const expired = await postToken(centre, { grant_type: GRANT, 'pre-authorized_code': old.code });
    expect(expired.body.error).toBe('invalid_grant');
    await nothingIssued(centre);
  });

  it(`${MAX_TX_CODE_FAILURES} wrong transaction codes burn the offer: the right code no longer works`, async () => {
    const centre = await startCentre();
    const offer = offerOn(centre, { txCode: true });
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < MAX_TX_CODE_FAILURES; i++) {
      const r = await postToken(centre, {
        grant_type: GRANT,
        'pre-authorized_code': offer.code,
        tx_code: wrong,
      });
      expect(r.body.error).toBe('invalid_grant');
    }
    const right = await postToken(centre, {
      grant_type: GRANT,
      'pre-authorized_code': offer.code,
      tx_code: offer.txCode!,
    });
    expect(right.body.error).toBe('invalid_grant');
    expect((await fetch(`${centre.url}/offers/${offer.record.id}`)).status).toBe(404);
  });

  it('malformed, oversized and wrongly typed token requests are invalid_request / unsupported_grant_type', async () => {
    const centre = await startCentre();
    const { code } = offerOn(centre);
    const json = await postToken(centre, JSON.stringify({ grant_type: GRANT }), {
      'Content-Type': 'application/json',
    });
    expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
    const twice = await postToken(
      centre,
      `grant_type=${encodeURIComponent(GRANT)}&pre-authorized_code=${code}&pre-authorized_code=${code}`,
    );
    expect(twice.body.error).toBe('invalid_request');
    const grant = await postToken(centre, { grant_type: 'authorization_code', code: 'x' });
    expect(grant.body.error).toBe('unsupported_grant_type');
    const big = await postToken(centre, {
      grant_type: GRANT,
      'pre-authorized_code': 'x'.repeat(MAX_FORM_BYTES + 1),
    });
    expect([big.status, big.body.error]).toEqual([413, 'invalid_request']);
    const garbage = await postToken(centre, '%%%&&&===\u0000');
    expect(garbage.status).toBe(400);
    const badDpop = await postToken(
      centre,
      { grant_type: GRANT, 'pre-authorized_code': code },
      { DPoP: 'a.b.c' },
    );
    expect(badDpop.body.error).toBe('invalid_dpop_proof');
    // The bad DPoP proof did not use up the code.
    expect((await postToken(centre, { grant_type: GRANT, 'pre-authorized_code': code })).status).toBe(200);
  });
});

describe('credential endpoint refusals', () => {
  it('proof for another audience, alg none, HS256, wrong typ, stale or future iat, private key or two keys in header, no proof: invalid_proof, nothing issued', async () => {
    const centre = await startCentre();
    const key = rawKey();
    const { code } = offerOn(centre);
    const token = await accessToken(centre, code);
    const request = (jwt: string) => ({
      credential_configuration_id: 'skill_dc_sd_jwt',
      proofs: { jwt: [jwt] },
    });
    const cases: [string, (n: string) => string][] = [
      ['other audience', (n) => proofJwt(key, { aud: 'https://other.example', nonce: n })],
      ['alg none', (n) => proofJwt(key, { aud: centre.url, nonce: n, header: { alg: 'none' } })],
      ['HS256', (n) => proofJwt(key, { aud: centre.url, nonce: n, header: { alg: 'HS256' } })],
      ['wrong typ', (n) => proofJwt(key, { aud: centre.url, nonce: n, header: { typ: 'JWT' } })],
      [
        'private jwk',
        (n) =>
          proofJwt(key, {
            aud: centre.url,
            nonce: n,
            header: { kid: undefined, jwk: key.privateKey.export({ format: 'jwk' }) },
          }),
      ],
      [
        'stale iat',
        (n) =>
          proofJwt(key, { aud: centre.url, nonce: n, payload: { iat: Math.floor(Date.now() / 1000) - 600 } }),
      ],
      [
        'future iat',
        (n) =>
          proofJwt(key, { aud: centre.url, nonce: n, payload: { iat: Math.floor(Date.now() / 1000) + 600 } }),
      ],
      ['kid and jwk both', (n) => proofJwt(key, { aud: centre.url, nonce: n, header: { jwk: jwkOf(key) } })],
      [
        'signed by another key',
        (n) => proofJwt({ ...rawKey(), kid: key.kid }, { aud: centre.url, nonce: n }),
      ],
    ];
    for (const [name, make] of cases) {
      const r = await postCredential(centre, token, request(make(await nonce(centre))));
      expect([name, r.status, r.body.error]).toEqual([name, 400, 'invalid_proof']);
    }
    const none = await postCredential(centre, token, { credential_configuration_id: 'skill_dc_sd_jwt' });
    expect(none.body.error).toBe('invalid_proof');
    const two = await postCredential(centre, token, {
      credential_configuration_id: 'skill_dc_sd_jwt',
      proofs: { jwt: [proofJwt(key, { aud: centre.url }), proofJwt(key, { aud: centre.url })] },
    });
    expect(two.body.error).toBe('invalid_proof');
    await nothingIssued(centre);
    // None of these used up the token: a good proof still gets the credential.
    const good = await postCredential(
      centre,
      token,
      request(proofJwt(key, { aud: centre.url, nonce: await nonce(centre) })),
    );
    expect(good.status, JSON.stringify(good.body)).toBe(200);
  });

  it('replayed, unknown and expired nonces are invalid_nonce; a used token is invalid_token', async () => {
    let clock = Date.now();
    const centre = await startCentre({ now: () => new Date(clock) });
    const key = rawKey();
    const request = (n: string | undefined) => ({
      credential_configuration_id: 'skill_vc_jwt',
      proofs: {
        jwt: [
          proofJwt(key, {
            aud: centre.url,
            payload: { iat: Math.floor(clock / 1000) },
            ...(n === undefined ? {} : { nonce: n }),
          }),
        ],
      },
    });
    const stale = await nonce(centre);
    clock += 301_000;
    const token = await accessToken(centre, offerOn(centre, { format: 'vc+jwt', now: new Date(clock) }).code);
    const expired = await postCredential(centre, token, request(stale));
    expect([expired.status, expired.body.error]).toEqual([400, 'invalid_nonce']);
    expect((await postCredential(centre, token, request('made-up'))).body.error).toBe('invalid_nonce');
    expect((await postCredential(centre, token, request(undefined))).body.error).toBe('invalid_nonce');
    await nothingIssued(centre);

    const fresh = await nonce(centre);
    const ok = await postCredential(centre, token, request(fresh));
    expect(ok.status).toBe(200);
    const token2 = await accessToken(
      centre,
      offerOn(centre, { format: 'vc+jwt', now: new Date(clock) }).code,
    );
    const replayed = await postCredential(centre, token2, request(fresh));
    expect(replayed.body.error).toBe('invalid_nonce');
    const reused = await postCredential(centre, token, request(await nonce(centre)));
    expect([reused.status, reused.body.error]).toEqual([401, 'invalid_token']);
    expect(reused.headers.get('WWW-Authenticate')).toContain('invalid_token');
    expect(await centre.issuer.listIssued()).toHaveLength(1);
  });

  it('missing, malformed or oversized requests and a configuration outside the offer: the right error, nothing issued', async () => {
    const centre = await startCentre();
    const key = rawKey();
    const token = await accessToken(centre, offerOn(centre, { format: 'dc+sd-jwt' }).code);
    const good = async (id = 'skill_dc_sd_jwt') => ({
      credential_configuration_id: id,
      proofs: { jwt: [proofJwt(key, { aud: centre.url, nonce: await nonce(centre) })] },
    });
    const noToken = await postCredential(centre, undefined, await good());
    expect([noToken.status, noToken.body.error]).toEqual([401, 'invalid_token']);
    const badToken = await postCredential(centre, 'bm90LWEtdG9rZW4', await good());
    expect([badToken.status, badToken.body.error]).toEqual([401, 'invalid_token']);
    const other = await postCredential(centre, token, await good('skill_vc_jwt'));
    expect(other.body.error).toBe('unknown_credential_configuration');
    const notJson = await postCredential(centre, token, '{"credential_configuration_id":');
    expect([notJson.status, notJson.body.error]).toEqual([400, 'invalid_credential_request']);
    const array = await postCredential(centre, token, '[]');
    expect(array.body.error).toBe('invalid_credential_request');
    const byIdentifier = await postCredential(centre, token, { credential_identifier: 'x', proofs: {} });
    expect(byIdentifier.body.error).toBe('invalid_credential_request');
    const encrypted = await postCredential(centre, token, {
      ...(await good()),
      credential_response_encryption: {},
    });
    expect(encrypted.body.error).toBe('invalid_encryption_parameters');
    const big = await postCredential(centre, token, { pad: 'x'.repeat(MAX_CREDENTIAL_REQUEST_BYTES) });
    expect([big.status, big.body.error]).toEqual([413, 'invalid_credential_request']);
    const text = await postCredential(centre, token, JSON.stringify(await good()), {
      'Content-Type': 'text/plain',
    });
    expect(text.body.error).toBe('invalid_credential_request');
    await nothingIssued(centre);
  });

  it('a DPoP-bound token needs its DPoP proof: as Bearer it is invalid_token, and nothing is issued', async () => {
    const centre = await startCentre();
    const wallet = await makeWallet();
    const offer = offerOn(centre);
    // The real wallet uses DPoP (the server lists ES256): redeem through it, then steal nothing.
    await receiveCredential(wallet, offer.offer, { allowHttpLocalhost: true });
    const dpopOffer = offerOn(centre);
    const dpopKey = rawKey();
    const dpopJwt = signJwt(
      { alg: 'EdDSA', typ: 'dpop+jwt', jwk: jwkOf(dpopKey) },
      { htm: 'POST', htu: `${centre.url}/token`, iat: Math.floor(Date.now() / 1000), jti: 'j1' },
      dpopKey.privateKey,
    );
    const bound = await postToken(
      centre,
      { grant_type: GRANT, 'pre-authorized_code': dpopOffer.code },
      { DPoP: dpopJwt },
    );
    expect([bound.status, bound.body.token_type], JSON.stringify(bound.body)).toEqual([200, 'DPoP']);
    const asBearer = await postCredential(centre, bound.body.access_token as string, {
      credential_configuration_id: 'skill_dc_sd_jwt',
      proofs: { jwt: [proofJwt(rawKey(), { aud: centre.url, nonce: await nonce(centre) })] },
    });
    expect([asBearer.status, asBearer.body.error]).toEqual([401, 'invalid_token']);
    expect(await centre.issuer.listIssued()).toHaveLength(1);
  });
});

describe('the wallet side refuses too, and stores nothing', () => {
  it('wrong tx code: ERR_ISSUANCE_REFUSED with invalid_grant; missing: ERR_INVALID_OPTIONS before any request; wallet empty', async () => {
    const centre = await startCentre();
    const wallet = await makeWallet();
    const offer = offerOn(centre, { txCode: true });
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    await expect(
      receiveCredential(wallet, offer.offer, { txCode: wrong, allowHttpLocalhost: true }),
    ).rejects.toMatchObject({
      code: 'ERR_ISSUANCE_REFUSED',
      oauthError: 'invalid_grant',
      step: 'token',
    });
    await expect(receiveCredential(wallet, offer.offer, { allowHttpLocalhost: true })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
    expect(wallet.list()).toEqual([]);
  });

  it('an issuer that does not answer: ERR_ISSUER_UNREACHABLE; plain http without the opt-in: ERR_OFFER_INVALID', async () => {
    const wallet = await makeWallet();
    const closed = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('http://127.0.0.1:9/offers/x')}`;
    await expect(receiveCredential(wallet, closed, { allowHttpLocalhost: true })).rejects.toMatchObject({
      code: 'ERR_ISSUER_UNREACHABLE',
    });
    await expect(receiveCredential(wallet, closed)).rejects.toMatchObject({ code: 'ERR_OFFER_INVALID' });
    expect(wallet.list()).toEqual([]);
  });
});
