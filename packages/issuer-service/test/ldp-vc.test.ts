import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { join } from 'node:path';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  type HashAlgorithm,
  type Jwk,
  setGlobalConfig,
} from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciVersion } from '@openid4vc/openid4vci';
import type { JsonObject } from '@skillpass/core';
import { receiveCredential } from '@skillpass/holder';
import { initIssuer } from '@skillpass/issuer';
import { openSqlite } from '@skillpass/store';
import { createStatusChecker, createVerifier } from '@skillpass/verifier';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';
import { verifyWithDigitalBazaar } from '../../data-integrity/test/helpers/digitalbazaar.js';
import {
  createCredentialOffer,
  createIssuerApp,
  OfferStore,
  SKILLPASS_LDP_CONTEXT,
  startIssuerService,
} from '../src/index.js';
import { makeWallet, startCentre, TEST_KDF, tempDir } from './helpers.js';
import { offerOn } from './raw-client.js';

/** A wallet built only on the @openid4vc client classes (no skillpass code), with a P-256 key. */
function libraryWallet() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const publicJwk = { kty, crv, x, y } as Jwk;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signWith = (key: KeyObject, input: string) =>
    sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch,
    hash: (data: Uint8Array, alg: HashAlgorithm) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom: (n: number) => randomBytes(n),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: (_signer, { header, payload }) => {
      const input = `${b64(header)}.${b64(payload)}`;
      return { jwt: `${input}.${signWith(privateKey, input)}`, signerJwk: publicJwk };
    },
  };
  const didJwk = `did:jwk:${Buffer.from(JSON.stringify(publicJwk)).toString('base64url')}`;
  return { client: new Openid4vciClient({ callbacks }), didJwk };
}

// Loopback http needs the libraries' insecure-URL switch: tests and demos only.
beforeAll(() => setGlobalConfig({ allowInsecureUrls: true }));
afterAll(() => setGlobalConfig({ allowInsecureUrls: false }));

describe('ldp_vc over OpenID4VCI', () => {
  it('a wallet built only on the @openid4vc client classes receives an ldp_vc as a JSON object, bound to its did:jwk; it verifies with skillpass and with @digitalbazaar/vc', async () => {
    const centre = await startCentre();
    const { client, didJwk } = libraryWallet();
    const { offer } = offerOn(centre, { format: 'ldp_vc' });

    const credentialOffer = await client.resolveCredentialOffer(offer);
    expect(credentialOffer.credential_configuration_ids).toEqual(['skill_ldp_vc']);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    expect(issuerMetadata.originalDraftVersion).toBe(Openid4vciVersion.V1);
    const configuration = issuerMetadata.credentialIssuer.credential_configurations_supported.skill_ldp_vc!;
    expect(configuration).toMatchObject({
      format: 'ldp_vc',
      credential_definition: {
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
          SKILLPASS_LDP_CONTEXT,
        ],
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
      },
      cryptographic_binding_methods_supported: ['did:key', 'did:jwk'],
      credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256'] } },
    });
    const display = (configuration.credential_metadata as { display: { locale: string }[] }).display;
    expect(display.map((d) => d.locale).sort()).toEqual(['en', 'nl']);

    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
    });
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: 'skill_ldp_vc',
      signer: { method: 'did', didUrl: `${didJwk}#0`, alg: 'ES256' },
      nonce: c_nonce,
    });
    const response = await client.retrieveCredentials({
      issuerMetadata,
      accessToken: token.accessTokenResponse.access_token,
      credentialConfigurationId: 'skill_ldp_vc',
      proofs: { jwt: [jwt] },
    });
    const credential = (response.credentialResponse.credentials as { credential: unknown }[])[0]!
      .credential as JsonObject;
    expect(typeof credential).toBe('object');
    expect((credential.credentialSubject as { id: string }).id).toBe(didJwk);
    expect(credential.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
    });
    expect((credential['@context'] as string[]).at(-1)).toBe(SKILLPASS_LDP_CONTEXT);

    const verifier = createVerifier({ resolverOptions: { allowHttpLocalhost: true } });
    const report = await verifier.verifyCredential(credential, { expectedSubject: didJwk });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials[0]?.format).toBe('ldp_vc');
    const other = await verifier.verifyCredential(credential, {
      expectedSubject: 'did:example:someone-else',
    });
    expect(other.problems.map((p) => p.code)).toContain('ERR_HOLDER_MISMATCH');

    const digitalBazaar = await verifyWithDigitalBazaar(credential);
    expect(digitalBazaar.error).toBeUndefined();
    expect(digitalBazaar.verified).toBe(true);

    const [record] = await centre.issuer.listIssued();
    expect(record).toMatchObject({ id: credential.id, subject: didJwk, format: 'ldp_vc' });
  });

  it('our wallet receives an ldp_vc; the register and the Bitstring status list work for it (revoked → ERR_REVOKED)', async () => {
    const centre = await startCentre();
    const wallet = await makeWallet();
    const { offer, txCode } = offerOn(centre, { format: 'all', txCode: true });
    const received = await receiveCredential(wallet, offer, {
      txCode: txCode!,
      allowHttpLocalhost: true,
      preferFormats: ['ldp_vc'],
    });
    expect(received.configurationId).toBe('skill_ldp_vc');
    expect(received.entry.format).toBe('ldp_vc');
    const stored = JSON.parse(wallet.get(received.entry.id).token) as JsonObject;
    expect((stored.credentialSubject as { id: string }).id).toBe(wallet.did);
    expect(stored.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry' });

    const [record] = await centre.issuer.listIssued();
    expect(record).toMatchObject({ id: received.entry.id, subject: wallet.did, format: 'ldp_vc' });
    // a fresh verifier each time (fresh status cache) that fetches status lists on loopback
    const freshVerifier = () =>
      createVerifier({
        resolverOptions: { allowHttpLocalhost: true },
        status: createStatusChecker({ allowHttpLocalhost: true }),
      });
    const before = await freshVerifier().verifyCredential(stored, { expectedSubject: wallet.did });
    expect(before.problems).toEqual([]);
    expect(before.verified).toBe(true);
    const statusCheck = before.credentials[0]!.checks.find((c) => c.name === 'status');
    expect(statusCheck).toMatchObject({ ok: true });
    expect(statusCheck?.skipped).not.toBe(true);

    await centre.issuer.revoke(received.entry.id);
    const after = await freshVerifier().verifyCredential(stored, { expectedSubject: wallet.did });
    expect(after.verified).toBe(false);
    expect(after.problems.map((p) => p.code)).toContain('ERR_REVOKED');
  });

  it('a P-256 centre advertises and signs ecdsa-rdfc-2019', async () => {
    const centre = await startCentre({ keyType: 'P-256' });
    const metadata = (await (await fetch(`${centre.url}/.well-known/openid-credential-issuer`)).json()) as {
      credential_configurations_supported: Record<string, Record<string, unknown>>;
    };
    expect(metadata.credential_configurations_supported.skill_ldp_vc).toMatchObject({
      credential_signing_alg_values_supported: ['ecdsa-rdfc-2019'],
    });
    const wallet = await makeWallet();
    const { offer } = offerOn(centre, { format: 'skill_ldp_vc' });
    const received = await receiveCredential(wallet, offer, { allowHttpLocalhost: true });
    const stored = JSON.parse(wallet.get(received.entry.id).token) as { proof: { cryptosuite: string } };
    expect(stored.proof.cryptosuite).toBe('ecdsa-rdfc-2019');
  });
});

/**
 * A centre whose credential endpoint answers in the wrong shape: the real issuer app behind a
 * loopback server, its credential response rewritten by `rewrite` (a string where an object is
 * due, or the other way round).
 */
async function skewedCentre(rewrite: (credential: unknown) => unknown) {
  const path = join(tempDir(), 'issuer.db');
  const closers: (() => unknown)[] = [];
  let offers: OfferStore | undefined;
  const service = await startIssuerService({
    port: 0,
    app: async (url) => {
      const issuer = await initIssuer({
        path,
        passphrase: 'centre passphrase',
        didKey: true,
        name: 'Scheef Examencentrum',
        statusBaseUrl: `${url}/status`,
        ...TEST_KDF,
      });
      offers = new OfferStore(openSqlite(path));
      closers.push(() => issuer.close());
      const inner = createIssuerApp({ issuer, offers, publicUrl: url });
      const outer = new Hono();
      outer.all('*', async (c) => {
        const response = await inner.fetch(c.req.raw);
        if (new URL(c.req.url).pathname !== '/credential' || response.status !== 200) return response;
        const body = (await response.json()) as { credentials: { credential: unknown }[] };
        return c.json({ credentials: [{ credential: rewrite(body.credentials[0]!.credential) }] });
      });
      return outer;
    },
  });
  closing.push(async () => {
    await service.close();
    for (const close of closers) close();
  });
  return { url: service.url, offers: offers! };
}

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe('ldp_vc in the wrong shape is refused by the wallet, and nothing is stored', () => {
  for (const [what, format, rewrite] of [
    ['an ldp_vc sent as JSON text', 'ldp_vc', (c: unknown) => JSON.stringify(c)],
    ['a vc+jwt sent as an object', 'vc+jwt', (c: unknown) => ({ token: c })],
  ] as const) {
    it(`${what}: ERR_MALFORMED`, async () => {
      const centre = await skewedCentre(rewrite);
      const wallet = await makeWallet();
      const { offer } = createCredentialOffer({
        offers: centre.offers,
        publicUrl: centre.url,
        assessment: CNC_ASSESSMENTS[0]!,
        format,
      });
      await expect(receiveCredential(wallet, offer, { allowHttpLocalhost: true })).rejects.toMatchObject({
        code: 'ERR_MALFORMED',
      });
      expect(wallet.list()).toEqual([]);
    });
  }
});
