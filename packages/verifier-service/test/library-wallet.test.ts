// A wallet built only on the @openid4vc client classes (as Credo wallets are) answering our
// verifier service: Openid4vpClient parses and resolves our request URI and sends the answer;
// its key (P-256, did:jwk), the request-object check, the VP JWTs and the SD-JWT key binding are
// node:crypto and jose in this file, nothing from skillpass's wallet. The credentials come from
// a skillpass centre, as they would over OpenID4VCI (see issuer-service's library-wallet test),
// except the ldp_vc of the last test, which an Ed25519 did:jwk holder receives from our issuer
// service over @openid4vc/openid4vci and presents in a VP signed by @digitalbazaar/vc.
import {
  createHash,
  createPublicKey,
  ECDH,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { join } from 'node:path';
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { setGlobalConfig } from '@openid4vc/utils';
import { initIssuer } from '@skillpass/issuer';
import { CompactEncrypt, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newDidJwkKey,
  newKey,
  signPresentationWithDigitalBazaar,
} from '../../data-integrity/test/helpers/digitalbazaar.js';
import { startCentre } from '../../issuer-service/test/helpers.js';
import { offerOn } from '../../issuer-service/test/raw-client.js';
import { createPresentationRequest, readPresentationResult } from '../src/index.js';
import { onCleanup, skillOf, startVerifier, TEST_KDF, tempDir, VACANCY } from './helpers.js';

type Callbacks = ConstructorParameters<typeof Openid4vpClient>[0]['callbacks'];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS signed with node:crypto (ES256, IEEE P1363 signature). */
function es256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64({ alg: 'ES256', ...header })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** base58btc (Bitcoin alphabet) to bytes: enough to read a did:key without a DID library. */
function base58(text: string): Buffer {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for (const ch of text) {
    const digit = alphabet.indexOf(ch);
    if (digit < 0) throw new Error('not base58');
    n = n * 58n + BigInt(digit);
  }
  const hex = n.toString(16);
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Buffer.concat([Buffer.alloc(zeros), bytes]);
}

/**
 * The key of a did:key, read by hand: Ed25519 (multicodec 0xed 0x01) or P-256 (0x1200, varint
 * 0x80 0x24, a compressed point), with the JWS algorithm it signs with.
 */
function keyOfDidKey(did: string): { key: KeyObject; alg: 'EdDSA' | 'ES256' } {
  const bytes = base58(did.slice('did:key:z'.length));
  if (bytes[0] === 0xed && bytes[1] === 0x01 && bytes.length === 34) {
    const x = bytes.subarray(2).toString('base64url');
    return { key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }), alg: 'EdDSA' };
  }
  if (bytes[0] === 0x80 && bytes[1] === 0x24 && bytes.length === 35) {
    const point = ECDH.convertKey(
      bytes.subarray(2),
      'prime256v1',
      undefined,
      undefined,
      'uncompressed',
    ) as Buffer;
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    };
    return { key: createPublicKey({ key: jwk, format: 'jwk' }), alg: 'ES256' };
  }
  throw new Error('not an Ed25519 or P-256 did:key');
}

/** The wallet: a P-256 key, its did:jwk, and the @openid4vc client with node:crypto / jose callbacks. */
function libraryWallet() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const publicJwk = { kty, crv, x, y } as { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  const did = `did:jwk:${b64(publicJwk)}`;
  const callbacks = {
    fetch,
    hash: (data: Uint8Array, alg: string) =>
      createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    // The request object: signed by the verifier's did:key (decentralized_identifier prefix).
    verifyJwt: async (signer: { method: string; didUrl?: string }, { compact }: { compact: string }) => {
      if (signer.method !== 'did' || !signer.didUrl?.startsWith('did:key:z')) return { verified: false };
      const { key, alg } = keyOfDidKey(signer.didUrl.split('#')[0]!);
      const [h, p, s] = compact.split('.');
      if (JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')).alg !== alg) return { verified: false };
      const verified = verify(
        alg === 'EdDSA' ? null : 'sha256',
        Buffer.from(`${h}.${p}`),
        alg === 'EdDSA' ? key : { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s!, 'base64url'),
      );
      return verified ? { verified: true, signerJwk: key.export({ format: 'jwk' }) } : { verified: false };
    },
    encryptJwe: async (
      encryptor: { method: string; publicJwk: Record<string, unknown>; alg: string; enc: string },
      data: string,
    ) => {
      const key = await importJWK(encryptor.publicJwk as never, encryptor.alg);
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader({
          alg: encryptor.alg,
          enc: encryptor.enc,
          ...(typeof encryptor.publicJwk.kid === 'string' ? { kid: encryptor.publicJwk.kid } : {}),
        })
        .encrypt(key);
      return { jwe, encryptionJwk: encryptor.publicJwk };
    },
    decryptJwe: async () => ({ decrypted: false }),
    signJwt: async () => {
      throw new Error('this wallet signs no JARM response');
    },
  } as unknown as Callbacks;
  return { did, publicJwk, privateKey, client: new Openid4vpClient({ callbacks }) };
}

/** A VC 1.1 VP JWT (jwt_vc_json) of one credential, by the wallet, for this client and nonce. */
function vpJwt(
  wallet: ReturnType<typeof libraryWallet>,
  credential: string,
  audience: string,
  nonce: string,
): string {
  const iat = Math.floor(Date.now() / 1000);
  return es256(
    { typ: 'JWT', kid: `${wallet.did}#0` },
    {
      iss: wallet.did,
      aud: audience,
      nonce,
      iat,
      exp: iat + 300,
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [credential],
      },
    },
    wallet.privateKey,
  );
}

/** An SD-JWT VC presentation with every disclosure and a key-binding JWT (SD-JWT, RFC 9901 §4.3). */
function sdJwtPresentation(
  wallet: ReturnType<typeof libraryWallet>,
  sdJwt: string,
  audience: string,
  nonce: string,
): string {
  const presented = sdJwt.endsWith('~') ? sdJwt : `${sdJwt}~`;
  const sdHash = createHash('sha256').update(presented).digest('base64url');
  const kb = es256(
    { typ: 'kb+jwt' },
    { iat: Math.floor(Date.now() / 1000), aud: audience, nonce, sd_hash: sdHash },
    wallet.privateKey,
  );
  return `${presented}${kb}`;
}

// Loopback http needs the libraries' insecure-URL switch: tests and demos only.
beforeAll(() => setGlobalConfig({ allowInsecureUrls: true }));
afterAll(() => setGlobalConfig({ allowInsecureUrls: false }));

/** A did:key assessment centre run by skillpass (the issuing side is ours in every test here). */
async function startCentreStore() {
  const centre = await initIssuer({
    path: join(tempDir(), 'centre.db'),
    passphrase: 'centre',
    didKey: true,
    name: 'Metal Assessment Centre',
    ...TEST_KDF,
  });
  onCleanup(() => centre.close());
  return centre;
}

const evidence = () => [
  { method: 'practical-exam' as const, assessedOn: new Date().toISOString().slice(0, 10) },
];

/** A skillpass centre's credentials for the wallet: a dc+sd-jwt bound to its key, two VC 1.1 JWTs. */
async function credentialsFor(wallet: ReturnType<typeof libraryWallet>) {
  const centre = await startCentreStore();
  const sdJwt = await centre.issue(
    { skill: skillOf('program a CNC controller'), level: 3, evidence: evidence() },
    { subject: wallet.did, format: 'dc+sd-jwt', holderPublicJwk: wallet.publicJwk },
  );
  const blueprints = await centre.issue(
    { skill: skillOf('read standard blueprints'), level: 4, evidence: evidence() },
    { subject: wallet.did, format: 'jwt-vc-1.1' },
  );
  const milling = await centre.issue(
    { skill: skillOf('operate a CNC milling machine'), level: 3, evidence: evidence() },
    { subject: wallet.did, format: 'jwt-vc-1.1' },
  );
  return { sdJwt: sdJwt.token, blueprints: blueprints.token, milling: milling.token };
}

/** The DCQL credential query id our verifier uses for requirement `name` in `format`. */
function queryId(name: string, suffix: 'sd' | 'vc' | 'ldp'): string {
  const index = VACANCY.requirements.findIndex((r) => r.name === name);
  if (index < 0) throw new Error(`no requirement ${name}`);
  return `q${index}_${suffix}`;
}

/** What the wallet reads from our request object. */
interface WalletRequest {
  client_id: string;
  nonce: string;
  response_uri: string;
  response_mode: string;
}

/**
 * The library wallet's whole answer to one of our requests: parse and resolve the request URI
 * (request object checked by the wallet's own callback), build the vp_token from what it asks,
 * create the response (encrypted for direct_post.jwt) and post it.
 */
async function answerRequest(
  wallet: ReturnType<typeof libraryWallet>,
  employer: Awaited<ReturnType<typeof startVerifier>>,
  responseMode: 'direct_post' | 'direct_post.jwt',
  build: (request: WalletRequest) => Promise<Record<string, unknown[]>> | Record<string, unknown[]>,
) {
  const { id, uri } = await createPresentationRequest(employer.store, {
    vacancy: VACANCY,
    responseMode,
    allowHttpLocalhost: true,
  });
  const parsed = wallet.client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
  const resolved = await wallet.client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params as never,
  });
  const request = resolved.authorizationRequestPayload as WalletRequest;
  const created = await wallet.client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: resolved.authorizationRequestPayload,
    authorizationResponsePayload: { vp_token: (await build(request)) as never },
    ...(responseMode === 'direct_post.jwt'
      ? {
          jarm: {
            encryption: { nonce: 'library-wallet' },
            serverMetadata: {
              authorization_signing_alg_values_supported: ['ES256'],
              authorization_encryption_alg_values_supported: ['ECDH-ES'],
              authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
            },
          },
        }
      : {}),
  });
  const { response } = await wallet.client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: resolved.authorizationRequestPayload as never,
    authorizationResponsePayload: created.authorizationResponsePayload,
    ...(created.jarm !== undefined ? { jarm: { responseJwt: created.jarm.responseJwt } } : {}),
  });
  return {
    id,
    parsed,
    resolved,
    request,
    jarm: created.jarm,
    status: response.status,
    body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

describe('a wallet built only on the @openid4vc client classes answers our verifier', () => {
  for (const responseMode of ['direct_post', 'direct_post.jwt'] as const) {
    it(`resolves our request, answers with dc+sd-jwt and jwt_vc_json from a did:jwk holder: verified and matched (${responseMode})`, async () => {
      const employer = await startVerifier();
      const wallet = libraryWallet();
      const creds = await credentialsFor(wallet);
      const answered = await answerRequest(wallet, employer, responseMode, (request) => ({
        [queryId('program a CNC controller', 'sd')]: [
          sdJwtPresentation(wallet, creds.sdJwt, request.client_id, request.nonce),
        ],
        [queryId('read standard blueprints', 'vc')]: [
          vpJwt(wallet, creds.blueprints, request.client_id, request.nonce),
        ],
        [queryId('operate a CNC milling machine', 'vc')]: [
          vpJwt(wallet, creds.milling, request.client_id, request.nonce),
        ],
      }));
      expect(answered.parsed.type).toBe('jar');
      expect(answered.resolved.jar).toBeDefined();
      expect(answered.resolved.client.prefix).toBe('decentralized_identifier');
      expect(answered.resolved.dcql).toBeDefined();
      expect(answered.request.response_mode).toBe(responseMode);
      expect(answered.request.client_id).toBe(employer.store.identity.clientId);
      if (responseMode === 'direct_post.jwt') expect(answered.jarm?.responseJwt.split('.')).toHaveLength(5);
      expect(answered.status).toBe(200);

      const result = readPresentationResult(employer.store, answered.id)!;
      expect(result.status).toBe('verified');
      expect(result.verification?.verified).toBe(true);
      expect(result.verification?.holder).toBe(wallet.did);
      expect(result.verification?.credentials.map((c) => c.format).sort()).toEqual([
        'dc+sd-jwt',
        'jwt-vc-1.1',
        'jwt-vc-1.1',
      ]);
      const met = result.match?.requirements.filter((r) => r.outcome === 'met').map((r) => r.name);
      expect(met).toEqual(
        expect.arrayContaining([
          'program a CNC controller',
          'read standard blueprints',
          'operate a CNC milling machine',
        ]),
      );
    });
  }

  it('presents an ldp_vc in a Data Integrity presentation signed by @digitalbazaar/vc (did:key holder): verified and matched', async () => {
    const employer = await startVerifier();
    const centre = await startCentreStore();
    const wallet = libraryWallet(); // its @openid4vc client; the holder key below is Digital Bazaar's
    const holder = newKey('ed25519');
    const issued = await centre.issue(
      { skill: skillOf('operate a CNC lathe'), level: 3, evidence: evidence() },
      { subject: holder.did, format: 'ldp_vc' },
    );
    const answered = await answerRequest(wallet, employer, 'direct_post.jwt', async (request) => ({
      [queryId('operate a CNC lathe', 'ldp')]: [
        await signPresentationWithDigitalBazaar(
          {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: ['VerifiablePresentation'],
            holder: holder.did,
            verifiableCredential: [JSON.parse(issued.token)],
          },
          holder,
          { challenge: request.nonce, domain: request.client_id },
        ),
      ],
    }));
    expect(answered.status).toBe(200);
    const result = readPresentationResult(employer.store, answered.id)!;
    expect(result.status).toBe('verified');
    expect(result.verification?.problems).toEqual([]);
    expect(result.verification?.holder).toBe(holder.did);
    expect(result.verification?.credentials.map((c) => c.format)).toEqual(['ldp_vc']);
    const met = result.match?.requirements.filter((r) => r.outcome === 'met').map((r) => r.name);
    expect(met).toEqual(['operate a CNC lathe']);
  });

  it('its answer bound to another nonce, or with a broken key binding, is refused with the code and recorded as refused', async () => {
    const employer = await startVerifier();
    const wallet = libraryWallet();
    const creds = await credentialsFor(wallet);
    const answer = (build: (request: WalletRequest) => Record<string, string[]>) =>
      answerRequest(wallet, employer, 'direct_post', build);

    const otherNonce = await answer((r) => ({
      [queryId('read standard blueprints', 'vc')]: [
        vpJwt(wallet, creds.blueprints, r.client_id, 'another-nonce'),
      ],
    }));
    expect(otherNonce.status).toBe(400);
    expect(otherNonce.body).toMatchObject({
      error: 'invalid_request',
      skillpass_code: 'ERR_CHALLENGE_MISMATCH',
    });
    expect(readPresentationResult(employer.store, otherNonce.id)?.status).toBe('refused');

    const otherAudience = await answer((r) => ({
      [queryId('program a CNC controller', 'sd')]: [
        sdJwtPresentation(wallet, creds.sdJwt, 'decentralized_identifier:did:key:z6MkOther', r.nonce),
      ],
    }));
    expect(otherAudience.status).toBe(400);
    expect(otherAudience.body.skillpass_code).toBe('ERR_AUDIENCE_MISMATCH');
    expect(readPresentationResult(employer.store, otherAudience.id)?.status).toBe('refused');

    // Another key signs the VP: the did:jwk's key does not verify it.
    const intruder = libraryWallet();
    const forged = await answer((r) => ({
      [queryId('read standard blueprints', 'vc')]: [
        vpJwt({ ...intruder, did: wallet.did }, creds.blueprints, r.client_id, r.nonce),
      ],
    }));
    expect(forged.status).toBe(400);
    expect(forged.body.skillpass_code).toBe('ERR_SIGNATURE_INVALID');
    expect(readPresentationResult(employer.store, forged.id)?.verification?.verified).toBe(false);
  });

  it('an Ed25519 did:jwk holder receives skill_ldp_vc from our issuer over @openid4vc/openid4vci and presents it with @digitalbazaar/vc: verified and matched; another nonce, domain or a changed byte is refused', async () => {
    const employer = await startVerifier();
    const centre = await startCentre();
    const wallet = libraryWallet(); // its @openid4vc client; the holder key is an Ed25519 did:jwk
    const holder = newDidJwkKey('ed25519');
    const vci = new Openid4vciClient({
      callbacks: {
        fetch,
        hash: (data: Uint8Array, alg: string) =>
          createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
        generateRandom: (n: number) => randomBytes(n),
        clientAuthentication: clientAuthenticationAnonymous(),
        signJwt: async (_signer: unknown, { header, payload }: { header: unknown; payload: unknown }) => {
          const input = `${b64(header)}.${b64(payload)}`;
          const signature = sign(null, Buffer.from(input), holder.privateKey).toString('base64url');
          return { jwt: `${input}.${signature}` };
        },
      } as never,
    });
    const { offer } = offerOn(centre, { format: 'ldp_vc' });
    const credentialOffer = await vci.resolveCredentialOffer(offer);
    expect(credentialOffer.credential_configuration_ids).toEqual(['skill_ldp_vc']);
    const issuerMetadata = await vci.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const token = await vci.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
    });
    const { c_nonce } = await vci.requestNonce({ issuerMetadata });
    const { jwt } = await vci.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: 'skill_ldp_vc',
      signer: { method: 'did', didUrl: holder.keyId, alg: 'EdDSA' },
      nonce: c_nonce,
    });
    const response = await vci.retrieveCredentials({
      issuerMetadata,
      accessToken: token.accessTokenResponse.access_token,
      credentialConfigurationId: 'skill_ldp_vc',
      proofs: { jwt: [jwt] },
    });
    const credential = (
      response.credentialResponse.credentials as { credential: Record<string, unknown> }[]
    )[0]!.credential;
    expect((credential.credentialSubject as { id: string }).id).toBe(holder.did);

    const presentation = (challenge: string, domain: string) =>
      signPresentationWithDigitalBazaar(
        {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiablePresentation'],
          holder: holder.did,
          verifiableCredential: [credential],
        },
        holder,
        { challenge, domain },
      );
    const query = queryId('program a CNC controller', 'ldp'); // CNC_ASSESSMENTS[0], what offerOn offers
    const answer = (build: (request: WalletRequest) => Promise<Record<string, unknown>[]>) =>
      answerRequest(wallet, employer, 'direct_post', async (request) => ({ [query]: await build(request) }));

    const answered = await answer(async (r) => [await presentation(r.nonce, r.client_id)]);
    expect(answered.body).toEqual({});
    expect(answered.status).toBe(200);
    const result = readPresentationResult(employer.store, answered.id)!;
    expect(result.status).toBe('verified');
    expect(result.verification?.problems).toEqual([]);
    expect(result.verification?.holder).toBe(holder.did);
    expect(result.verification?.credentials.map((c) => c.format)).toEqual(['ldp_vc']);
    const met = result.match?.requirements.filter((r) => r.outcome === 'met').map((r) => r.name);
    expect(met).toContain('program a CNC controller');

    const otherNonce = await answer(async (r) => [await presentation('another-nonce', r.client_id)]);
    expect(otherNonce.status).toBe(400);
    expect(otherNonce.body.skillpass_code).toBe('ERR_CHALLENGE_MISMATCH');
    expect(readPresentationResult(employer.store, otherNonce.id)?.status).toBe('refused');

    const otherDomain = await answer(async (r) => [
      await presentation(r.nonce, 'decentralized_identifier:did:key:z6MkOther'),
    ]);
    expect(otherDomain.status).toBe(400);
    expect(otherDomain.body.skillpass_code).toBe('ERR_AUDIENCE_MISMATCH');

    const tampered = await answer(async (r) => {
      // one second earlier in the signed proof options: still fresh, no longer what was signed
      const vp = (await presentation(r.nonce, r.client_id)) as { proof: { created: string } };
      vp.proof.created = new Date(Date.parse(vp.proof.created) - 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      return [vp as unknown as Record<string, unknown>];
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body.skillpass_code).toBe('ERR_SIGNATURE_INVALID');
    expect(readPresentationResult(employer.store, tampered.id)?.verification?.verified).toBe(false);
  });
});
