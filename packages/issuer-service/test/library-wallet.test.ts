import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  type HashAlgorithm,
  type Jwk,
  Oauth2Client,
  setGlobalConfig,
} from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciVersion } from '@openid4vc/openid4vci';
import { decodeBase64url } from '@skillpass/core/internal';
import { createVerifier } from '@skillpass/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentre } from './helpers.js';
import { offerOn } from './raw-client.js';

/**
 * A wallet built only on the @openid4vc client classes, as Credo wallets are: its own P-256 key,
 * node:crypto signing callbacks, nothing from skillpass on the receiving side.
 */
function libraryWallet(key: { privateKey: KeyObject; publicJwk: Jwk }) {
  const dpop = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dpopJwk = dpop.publicKey.export({ format: 'jwk' }) as Jwk;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch,
    hash: (data: Uint8Array, alg: HashAlgorithm) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom: (n: number) => randomBytes(n),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: (signer, { header, payload }) => {
      const input = `${b64(header)}.${b64(payload)}`;
      const privateKey =
        signer.method === 'jwk' && signer.publicJwk.x === dpopJwk.x ? dpop.privateKey : key.privateKey;
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const signerJwk = privateKey === dpop.privateKey ? dpopJwk : key.publicJwk;
      return { jwt: `${input}.${signature.toString('base64url')}`, signerJwk };
    },
  };
  return { client: new Openid4vciClient({ callbacks }), oauth2: new Oauth2Client({ callbacks }), dpopJwk };
}

function p256() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk: { kty, crv, x, y } as Jwk };
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(decodeBase64url(jwt.split('~')[0]!.split('.')[1]!)!.toString('utf8')) as Record<
    string,
    unknown
  >;
}

// Loopback http needs the libraries' insecure-URL switch: tests and demos only.
beforeAll(() => setGlobalConfig({ allowInsecureUrls: true }));
afterAll(() => setGlobalConfig({ allowInsecureUrls: false }));

describe('a wallet built only on the @openid4vc client classes receives from our issuer', () => {
  it('dc+sd-jwt with a jwk proof and DPoP: the credential is bound to its key (cnf) and verifies', async () => {
    const centre = await startCentre();
    const key = p256();
    const { client, oauth2, dpopJwk } = libraryWallet(key);
    const { offer, txCode } = offerOn(centre, { txCode: true });

    const credentialOffer = await client.resolveCredentialOffer(offer);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    expect(issuerMetadata.originalDraftVersion).toBe(Openid4vciVersion.V1);
    const [configurationId] = credentialOffer.credential_configuration_ids;
    expect(configurationId).toBe('skill_dc_sd_jwt');
    const dpopSupport = oauth2.isDpopSupported({
      authorizationServerMetadata: issuerMetadata.authorizationServers[0]!,
    });
    expect(dpopSupport.supported).toBe(true);
    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      txCode: txCode!,
      dpop: { signer: { method: 'jwk', alg: 'ES256', publicJwk: dpopJwk } },
    });
    expect(token.accessTokenResponse.token_type).toBe('DPoP');
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId!,
      signer: { method: 'jwk', alg: 'ES256', publicJwk: key.publicJwk },
      nonce: c_nonce,
    });
    const response = await client.retrieveCredentials({
      issuerMetadata,
      accessToken: token.accessTokenResponse.access_token,
      credentialConfigurationId: configurationId!,
      proofs: { jwt: [jwt] },
      ...(token.dpop ? { dpop: token.dpop } : {}),
    });
    const credential = (response.credentialResponse.credentials as { credential: string }[])[0]!.credential;
    const claims = payloadOf(credential);
    expect((claims.cnf as { jwk: Jwk }).jwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      x: key.publicJwk.x,
      y: key.publicJwk.y,
    });
    const verifier = createVerifier({ resolverOptions: { allowHttpLocalhost: true } });
    const report = await verifier.verifyCredential(credential, { expectedSubject: claims.sub as string });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('jwt_vc_json with a did:jwk proof: the VC 1.1 credential names the did:jwk as subject and verifies', async () => {
    const centre = await startCentre();
    const key = p256();
    const didJwk = `did:jwk:${Buffer.from(JSON.stringify(key.publicJwk)).toString('base64url')}`;
    const { client } = libraryWallet(key);
    const { offer } = offerOn(centre, { format: 'all' });
    const credentialOffer = await client.resolveCredentialOffer(offer);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const configurationId = credentialOffer.credential_configuration_ids.find(
      (id) =>
        issuerMetadata.credentialIssuer.credential_configurations_supported[id]?.format === 'jwt_vc_json',
    )!;
    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
    });
    expect(token.accessTokenResponse.token_type).toBe('Bearer');
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      signer: { method: 'did', didUrl: `${didJwk}#0`, alg: 'ES256' },
      nonce: c_nonce,
    });
    const response = await client.retrieveCredentials({
      issuerMetadata,
      accessToken: token.accessTokenResponse.access_token,
      credentialConfigurationId: configurationId,
      proofs: { jwt: [jwt] },
    });
    const credential = (response.credentialResponse.credentials as { credential: string }[])[0]!.credential;
    const claims = payloadOf(credential);
    expect(claims.sub).toBe(didJwk);
    // VC 1.1 JWT (did-jwt-vc form): the subject id lives in `sub`, not inside `vc`.
    expect((claims.vc as { credentialSubject: { id?: string } }).credentialSubject.id).toBeUndefined();
    const verifier = createVerifier({ resolverOptions: { allowHttpLocalhost: true } });
    const report = await verifier.verifyCredential(credential, { expectedSubject: didJwk });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    // One credential per offer: a second request with the same token is refused.
    const { c_nonce: again } = await client.requestNonce({ issuerMetadata });
    const second = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      signer: { method: 'did', didUrl: `${didJwk}#0`, alg: 'ES256' },
      nonce: again,
    });
    await expect(
      client.retrieveCredentials({
        issuerMetadata,
        accessToken: token.accessTokenResponse.access_token,
        credentialConfigurationId: configurationId,
        proofs: { jwt: [second.jwt] },
      }),
    ).rejects.toThrow();
    expect(await centre.issuer.listIssued()).toHaveLength(1);
  });
});
