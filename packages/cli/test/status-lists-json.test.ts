/**
 * Offline status from JSON list credentials: `skillpass verify --status-lists <dir>` and
 * `skillpass wallet list --offline --status-lists <dir>` read, next to vc+jwt lists, a
 * BitstringStatusListCredential or StatusList2021Credential given as JSON and secured with a Data
 * Integrity proof, and verify that proof as the online path does (signed by the credential's
 * issuer, untampered). The lists' URLs are never fetched: a revoked answer can only come from
 * the file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createBitstring, encodeStatusList, type JsonObject, setStatusBit } from '@skillpass/core';
import { signDataIntegrity } from '@skillpass/data-integrity';
import { createWallet } from '@skillpass/holder';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { foreignBadge } from '../../../test-support/foreign-badge.js';
import {
  issueEd25519Signature2020,
  newKey,
  type TestKey,
} from '../../data-integrity/test/helpers/digitalbazaar.js';

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-json-lists-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const issuer = newKey();
const WORKER = 'did:example:worker';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const V1 = 'https://www.w3.org/2018/credentials/v1';
const SL2021 = 'https://w3id.org/vc/status-list/2021/v1';
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
const BITSTRING_LIST = 'https://status.badges.example/lists/1';
const SL2021_LIST = 'https://status.badges.example/2021/7';

let n = 0;
function dirWith(files: Record<string, string>): string {
  const dir = join(root, `lists-${++n}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
function fileWith(value: unknown): string {
  const path = join(root, `credential-${++n}.json`);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

/** A BitstringStatusListCredential with the given indexes set, eddsa-rdfc-2022 by `signer`. */
async function bitstringList(revoked: number[], signer: TestKey = issuer): Promise<JsonObject> {
  const bits = createBitstring();
  for (const i of revoked) setStatusBit(bits, i, true);
  return (await signDataIntegrity(
    {
      '@context': [V2],
      id: BITSTRING_LIST,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: signer.did,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: `${BITSTRING_LIST}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: encodeStatusList(bits),
      },
    },
    { signer: signer.sign, verificationMethod: signer.keyId },
  )) as unknown as JsonObject;
}

/** A foreign OB 3.0 badge (eddsa-rdfc-2022) whose revocation bit is `index` of the Bitstring list. */
async function badgeAt(index: number, subject = WORKER): Promise<JsonObject> {
  return (await signDataIntegrity(
    foreignBadge(issuer.did, subject, {
      id: `urn:uuid:9a4e0c61-2b7d-4f0e-8c51-${String(index).padStart(12, '0')}`,
      credentialStatus: {
        id: `${BITSTRING_LIST}#${index}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: BITSTRING_LIST,
      },
    }),
    { signer: issuer.sign, verificationMethod: issuer.keyId },
  )) as unknown as JsonObject;
}

const verify = async (credential: JsonObject, lists: string) => {
  const run = await runCli(['verify', fileWith(credential), '--status-lists', lists, '--json']);
  const report = JSON.parse(run.stdout || '{"problems":[]}') as { problems: { code: string }[] };
  return { code: run.code, codes: report.problems.map((p) => p.code), stderr: run.stderr };
};

describe('skillpass verify --status-lists <dir> with JSON list credentials', () => {
  it('a BitstringStatusListCredential with a Data Integrity proof: not revoked exits 0, revoked is ERR_REVOKED', async () => {
    const lists = dirWith({ 'issuer-list.json': JSON.stringify(await bitstringList([42]), null, 2) });
    expect(await verify(await badgeAt(7), lists)).toMatchObject({ code: 0, codes: [] });
    expect(await verify(await badgeAt(42), lists)).toMatchObject({ code: 1, codes: ['ERR_REVOKED'] });
  });

  it('a list signed by another key, or tampered, is ERR_STATUS_UNAVAILABLE (verified as online)', async () => {
    const other = dirWith({ list: JSON.stringify(await bitstringList([], newKey())) });
    expect(await verify(await badgeAt(42), other)).toMatchObject({
      code: 1,
      codes: ['ERR_STATUS_UNAVAILABLE'],
    });

    const tampered = await bitstringList([42]);
    (tampered.credentialSubject as JsonObject).encodedList = encodeStatusList(createBitstring());
    const cleared = dirWith({ list: JSON.stringify(tampered) });
    expect(await verify(await badgeAt(42), cleared)).toMatchObject({
      code: 1,
      codes: ['ERR_STATUS_UNAVAILABLE'],
    });
  });

  it('without the list in the folder nothing is fetched: ERR_STATUS_UNAVAILABLE', async () => {
    const empty = dirWith({});
    expect(await verify(await badgeAt(7), empty)).toMatchObject({
      code: 1,
      codes: ['ERR_STATUS_UNAVAILABLE'],
    });
  });

  it('a StatusList2021Credential (VC 1.1, Ed25519Signature2020) answers a StatusList2021Entry', async () => {
    const bits = Buffer.alloc(16 * 1024);
    bits[5 >> 3]! |= 0x80 >> (5 & 7);
    const list = await issueEd25519Signature2020(
      {
        '@context': [V1, SL2021, ED2020],
        id: SL2021_LIST,
        type: ['VerifiableCredential', 'StatusList2021Credential'],
        issuer: issuer.did,
        issuanceDate: '2026-01-01T00:00:00Z',
        credentialSubject: {
          id: `${SL2021_LIST}#list`,
          type: 'StatusList2021',
          statusPurpose: 'revocation',
          encodedList: gzipSync(bits).toString('base64url'),
        },
      },
      issuer,
    );
    const at = async (index: number) => {
      const { validFrom: _from, ...badge } = foreignBadge(issuer.did, WORKER, {
        id: `urn:uuid:0d2b7f57-3c1e-4c1f-9a55-${String(index).padStart(12, '0')}`,
      });
      return (await issueEd25519Signature2020(
        {
          ...badge,
          '@context': [V1, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', SL2021, ED2020],
          issuanceDate: '2026-02-01T00:00:00Z',
          credentialStatus: {
            id: `${SL2021_LIST}#${index}`,
            type: 'StatusList2021Entry',
            statusPurpose: 'revocation',
            statusListIndex: String(index),
            statusListCredential: SL2021_LIST,
          },
        },
        issuer,
      )) as JsonObject;
    };
    const lists = dirWith({ '7.json': JSON.stringify(list) });
    expect(await verify(await at(4), lists)).toMatchObject({ code: 0, codes: [] });
    expect(await verify(await at(5), lists)).toMatchObject({ code: 1, codes: ['ERR_REVOKED'] });
  });

  it('a JSON file that is no list credential (wrong type, no id, no proof, not JSON) is exit 2, ERR_MALFORMED', async () => {
    const list = await bitstringList([]);
    const { id: _id, ...noId } = list;
    const { proof: _proof, ...noProof } = list;
    const credential = await badgeAt(1);
    for (const bad of [
      JSON.stringify(credential),
      JSON.stringify(noId),
      JSON.stringify(noProof),
      '{"type": ["VerifiableCredential", "BitstringStatusListCredential"], ',
    ]) {
      const run = await runCli(['verify', fileWith(credential), '--status-lists', dirWith({ list: bad })]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('skillpass: ERR_MALFORMED:');
    }
  });
});

describe('skillpass wallet list --offline --status-lists <dir> with a JSON list credential', () => {
  it('the revoked credential is shown revoked, the other valid', async () => {
    const path = join(root, 'json-lists.skillpass');
    const PASS = 'a long wallet passphrase';
    const wallet = await createWallet({ path, passphrase: PASS, kdf: { N: 2 ** 14 }, allowWeakKdf: true });
    const did = wallet.did;
    wallet.close();
    const env = { SKILLPASS_WALLET: path, SKILLPASS_WALLET_PASSPHRASE: PASS };
    const good = await badgeAt(11, did);
    const bad = await badgeAt(12, did);
    for (const credential of [good, bad]) {
      const added = await runCli(['wallet', 'add', fileWith(credential)], { env });
      expect(added.code, added.stderr).toBe(0);
    }
    const lists = dirWith({ list: JSON.stringify(await bitstringList([12])) });
    const run = await runCli(['wallet', 'list', '--json', '--offline', '--status-lists', lists], { env });
    expect(run.code, run.stderr).toBe(0);
    const states = Object.fromEntries(
      (JSON.parse(run.stdout) as { id: string; state: string }[]).map((e) => [e.id, e.state]),
    );
    expect(states[good.id as string]).toBe('valid');
    expect(states[bad.id as string]).toBe('revoked');
  });
});
