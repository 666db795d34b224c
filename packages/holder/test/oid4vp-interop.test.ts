// Our wallet against a verifier built only on the @openid4vc verifier classes (as Credo's is):
// the library creates and signs the request, parses and decrypts the response; nothing of
// skillpass runs on the verifier side.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { setGlobalConfig } from '@openid4vc/utils';
import { didKeyFromPublicKey } from '@skillpass/core';
import { compactDecrypt, exportJWK, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { onCleanup, VACANCY, workerWithCredentials } from '../../verifier-service/test/helpers.js';
import { answerPresentationRequest, resolvePresentationRequest } from '../src/index.js';

setGlobalConfig({ allowInsecureUrls: true });

async function libraryVerifier(responseMode: 'direct_post' | 'direct_post.jwt') {
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const did = didKeyFromPublicKey(signing.publicKey);
  const didUrl = `${did}#${did.slice('did:key:'.length)}`;
  const enc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const encJwk = { ...(await exportJWK(enc.publicKey)), kid: 'enc-1', use: 'enc', alg: 'ECDH-ES' };
  const decryptJwe = async (jwe: string) => {
    const { plaintext } = await compactDecrypt(jwe, enc.privateKey);
    return {
      decrypted: true as const,
      payload: Buffer.from(plaintext).toString(),
      decryptionJwk: encJwk as never,
    };
  };
  const verifier = new Openid4vpVerifier({
    callbacks: {
      hash: () => {
        throw new Error('not used');
      },
      signJwt: async (_signer, { header, payload }) => ({
        jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(signing.privateKey),
        signerJwk: (await exportJWK(signing.publicKey)) as never,
      }),
      verifyJwt: async () => ({ verified: false }),
      encryptJwe: () => {
        throw new Error('not used');
      },
      decryptJwe,
    },
  });
  let received: Awaited<ReturnType<Openid4vpVerifier['parseOpenid4vpAuthorizationResponse']>> | undefined;
  let jar = '';
  let payload: Record<string, unknown> = {};
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' });
      res.end(jar);
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', async () => {
      try {
        received = await verifier.parseOpenid4vpAuthorizationResponse({
          authorizationResponse: Object.fromEntries(new URLSearchParams(body)),
          authorizationRequestPayload: payload as never,
          callbacks: { decryptJwe, verifyJwt: async () => ({ verified: false }) },
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      } catch (err) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_request', error_description: String(err) }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const nonce = randomBytes(16).toString('base64url');
  const created = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token',
      client_id: `decentralized_identifier:${did}`,
      response_mode: responseMode,
      response_uri: `${base}/response`,
      nonce,
      state: 'library-state',
      dcql_query: {
        credentials: [
          {
            id: 'skill',
            format: 'dc+sd-jwt',
            meta: { vct_values: ['https://skillpass.dev/vct/skill/v1'] },
            claims: [{ path: ['skill', 'uri'], values: [VACANCY.requirements[0]!.uri] }],
          },
          {
            id: 'w3c',
            format: 'jwt_vc_json',
            meta: { type_values: [['VerifiableCredential', 'OpenBadgeCredential']] },
            claims: [
              {
                path: ['credentialSubject', 'achievement', 'alignment', null, 'targetUrl'],
                values: [VACANCY.requirements[2]!.uri],
              },
            ],
          },
        ],
      },
      client_metadata: {
        vp_formats_supported: { 'dc+sd-jwt': {}, jwt_vc_json: {} },
        ...(responseMode === 'direct_post.jwt'
          ? { jwks: { keys: [encJwk as never] }, encrypted_response_enc_values_supported: ['A128GCM'] }
          : {}),
      },
    },
    jar: {
      requestUri: `${base}/request`,
      jwtSigner: { method: 'did', didUrl, alg: 'ES256' },
      expiresInSeconds: 300,
    },
  });
  jar = created.jar!.authorizationRequestJwt;
  payload = created.authorizationRequestPayload as Record<string, unknown>;
  return {
    uri: created.authorizationRequest,
    clientId: `decentralized_identifier:${did}`,
    nonce,
    received: () => received,
  };
}

describe('our wallet answers a verifier built only on @openid4vc classes', () => {
  for (const mode of ['direct_post', 'direct_post.jwt'] as const) {
    it(`resolves its request and sends a vp_token it can parse (${mode})`, async () => {
      const lib = await libraryVerifier(mode);
      const { wallet } = await workerWithCredentials();
      const request = await resolvePresentationRequest(lib.uri, wallet, { allowHttpLocalhost: true });
      expect(request.clientId).toBe(lib.clientId);
      const outcome = await answerPresentationRequest(wallet, request, { allowHttpLocalhost: true });
      expect(outcome).toMatchObject({ accepted: true, error: null });
      const received = lib.received()!;
      expect(received.type).toBe('dcql');
      const presentations = received.type === 'dcql' ? received.dcql.presentations : {};
      expect(Object.keys(presentations).sort()).toEqual(['skill', 'w3c']);
      // dc+sd-jwt: a key-binding JWT for the full client_id and the request nonce.
      const sd = String(presentations.skill![0]);
      const kb = decodeJwt({ jwt: sd.slice(sd.lastIndexOf('~') + 1) });
      expect(kb.header.typ).toBe('kb+jwt');
      expect(kb.payload).toMatchObject({ aud: lib.clientId, nonce: lib.nonce });
      // jwt_vc_json: a VP JWT signed by the holder for the full client_id and the nonce.
      const vp = decodeJwt({ jwt: String(presentations.w3c![0]) });
      expect(vp.payload).toMatchObject({ iss: wallet.did, aud: lib.clientId, nonce: lib.nonce });
      expect((vp.payload.vp as { verifiableCredential: string[] }).verifiableCredential).toHaveLength(1);
    });
  }

  it('refuses the same library request once its signature is broken', async () => {
    const lib = await libraryVerifier('direct_post');
    const { wallet } = await workerWithCredentials();
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // A request signed by another key under the library verifier's client id.
    const other = await new SignJWT({ client_id: lib.clientId, response_type: 'vp_token', nonce: 'n' })
      .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: `${lib.clientId.slice(25)}#x` })
      .sign(await importJWK(await exportJWK(key.privateKey), 'ES256'));
    const uri = `openid4vp://?client_id=${encodeURIComponent(lib.clientId)}&request=${other}`;
    await expect(resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true })).rejects.toMatchObject(
      {
        code: 'ERR_REQUEST_INVALID',
      },
    );
  });
});
