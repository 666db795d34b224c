/**
 * createStatusChecker({ lists }) with list credentials given as JSON and secured with a Data
 * Integrity proof (offline, `fetch: false`): looked up by their `id`, their proof verified when
 * used, as for a list fetched as JSON.
 */
import { createBitstring, encodeStatusList, type JsonObject, setStatusBit } from '@skillpass/core';
import { signDataIntegrity } from '@skillpass/data-integrity';
import { describe, expect, it } from 'vitest';
import { foreignBadge } from '../../../test-support/foreign-badge.js';
import { newKey, type TestKey } from '../../data-integrity/test/helpers/digitalbazaar.js';
import { createStatusChecker, createVerifier } from '../src/index.js';

const issuer = newKey();
const LIST = 'https://status.badges.example/lists/9';
const NOW = new Date();

async function list(revoked: number[], signer: TestKey = issuer, id = LIST): Promise<string> {
  const bits = createBitstring();
  for (const i of revoked) setStatusBit(bits, i, true);
  const signed = await signDataIntegrity(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: signer.did,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: `${id}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: encodeStatusList(bits),
      },
    },
    { signer: signer.sign, verificationMethod: signer.keyId },
  );
  return JSON.stringify(signed, null, 2);
}

async function badgeAt(index: number): Promise<JsonObject> {
  return (await signDataIntegrity(
    foreignBadge(issuer.did, 'did:example:worker', {
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: LIST,
      },
    }),
    { signer: issuer.sign, verificationMethod: issuer.keyId },
  )) as unknown as JsonObject;
}

const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);
const offline = (lists: string[]) => createVerifier({ status: createStatusChecker({ fetch: false, lists }) });

describe('offline JSON status list credentials', () => {
  it('by id: a clear bit verifies, a set bit is ERR_REVOKED', async () => {
    const verifier = offline([await list([3])]);
    expect(codes(await verifier.verifyCredential(await badgeAt(2), { now: NOW }))).toEqual([]);
    expect(codes(await verifier.verifyCredential(await badgeAt(3), { now: NOW }))).toEqual(['ERR_REVOKED']);
  });

  it('signed by another key, tampered, under another id, or not a JSON object: ERR_STATUS_UNAVAILABLE', async () => {
    const tampered = JSON.parse(await list([3])) as { credentialSubject: { encodedList: string } };
    tampered.credentialSubject.encodedList = encodeStatusList(createBitstring());
    for (const lists of [
      [await list([], newKey())],
      [JSON.stringify(tampered)],
      [await list([], issuer, 'https://status.badges.example/lists/other')],
      ['{"id": "https://status.badges.example/lists/9", '],
      ['[]'],
    ]) {
      const report = await offline(lists).verifyCredential(await badgeAt(3), { now: NOW });
      expect(codes(report)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    }
  });
});
