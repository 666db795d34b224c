// di-credential: verify one Open Badges 3.0 credential secured with a Data Integrity proof
// (DataIntegrityProof, eddsa-rdfc-2022, did:key issuer) with skillpass (@skillpass/data-integrity)
// and with Digital Bazaar's @digitalbazaar/vc, in the same process, with the same offline contexts
// (skillpass's document loader serves both) and interleaved rounds (bench/harness.mjs).
// Runnable alone: `node bench/run.mjs di-credential`.
//
// What is timed: one full proof verification of the same credential each call. Both sides keep
// what their libraries cache between calls (jsonld.js's resolved-context cache is shared by both,
// being one module); skillpass also reuses the hash of a proof configuration it has seen (the
// proof without its value: type, cryptosuite, created, verificationMethod, purpose), which is
// exact, as contexts are fixed and offline. The document itself is canonicalised on every call,
// by skillpass's own jsonld.js instance (active contexts copied sharing their term definitions,
// held equal to the published library by packages/data-integrity/test/canonicalize-equal.test.ts);
// Digital Bazaar uses jsonld.js as published.
import { generateKeyPairSync } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { didKeyFromPublicKey, keyObjectSigner } from '@skillpass/core';
import {
  createDocumentLoader,
  createVerificationMethodResolver,
  verifyDataIntegrity,
} from '@skillpass/data-integrity';
import { issueSkillCredential } from '@skillpass/issuer';
import { assessments } from './fixtures.mjs';
import { check, compare, printTable } from './harness.mjs';

const contexts = createDocumentLoader();

/** Digital Bazaar's loader: the same contexts, and a did:key served as its resolvers serve it. */
async function digitalBazaarLoader(url) {
  if (url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const fingerprint = did.slice('did:key:'.length);
    const method = {
      '@context': 'https://w3id.org/security/multikey/v1',
      id: `${did}#${fingerprint}`,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: fingerprint,
    };
    const document =
      fragment === undefined
        ? {
            '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
            id: did,
            verificationMethod: [method],
            assertionMethod: [method.id],
          }
        : method;
    return { contextUrl: null, documentUrl: url, document };
  }
  return contexts(url);
}

/** Run the case; returns its summary line (also printed last). */
export async function runDiCredential(settings) {
  const { privateKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromPublicKey(privateKey);
  const worker = didKeyFromPublicKey(generateKeyPairSync('ed25519').privateKey);
  const { token } = await issueSkillCredential(assessments(1)[0], {
    issuer: { did, name: 'Metal Assessment Centre Eindhoven' },
    subject: worker,
    signingKey: {
      keyId: `${did}#${did.slice('did:key:'.length)}`,
      alg: 'EdDSA',
      sign: keyObjectSigner(privateKey),
    },
    format: 'ldp_vc',
  });
  const credential = JSON.parse(token);

  const resolveMethod = createVerificationMethodResolver();
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  const skillpass = async () => {
    const report = await verifyDataIntegrity(credential, { resolveMethod, expectedController: did });
    if (!report.verified) throw new Error('skillpass did not verify the credential');
  };
  const digitalBazaar = async () => {
    const result = await vc.verifyCredential({ credential, suite, documentLoader: digitalBazaarLoader });
    if (!result.verified) throw new Error('Digital Bazaar did not verify the credential');
  };
  await skillpass();
  await digitalBazaar();
  const tampered = { ...credential, name: 'Another skill' };
  check(!(await verifyDataIntegrity(tampered, { resolveMethod })).verified, 'a tampered credential verifies');

  const results = await compare(
    [
      { name: 'skillpass verifyDataIntegrity', fn: skillpass },
      { name: '@digitalbazaar/vc verifyCredential', fn: digitalBazaar },
    ],
    settings,
  );
  printTable(
    `di-credential: verify one OB 3.0 credential, DataIntegrityProof eddsa-rdfc-2022, did:key (${Buffer.byteLength(token)} bytes)`,
    results,
  );
  const speedup = results[0].opsPerSec / results[1].opsPerSec;
  const summary = `di-credential: speedup-vs-digitalbazaar=${speedup.toFixed(2)}`;
  console.log(summary);
  return summary;
}
