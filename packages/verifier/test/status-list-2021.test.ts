/**
 * StatusList2021 (the VC 1.1 predecessor of Bitstring Status List, still used by Open Badges
 * issuers): a `StatusList2021Entry` in a Data Integrity credential is checked through the same
 * status checker, against a `StatusList2021Credential` secured with a Data Integrity proof and
 * served by a real loopback server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { JsonObject } from '@skillpass/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignBadge } from '../../../test-support/foreign-badge.js';
import { issueEd25519Signature2020, newKey } from '../../data-integrity/test/helpers/digitalbazaar.js';
import { createStatusChecker, createVerifier } from '../src/index.js';

const V1 = 'https://www.w3.org/2018/credentials/v1';
const SL2021 = 'https://w3id.org/vc/status-list/2021/v1';
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
const NOW = new Date('2027-03-01T12:00:00Z');
const issuer = newKey();
const lists = new Map<string, string>();
let hits = 0;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const body = lists.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/vc+ld+json' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A StatusList2021Credential with the given indexes set, signed with Ed25519Signature2020. */
async function publishList(path: string, revoked: number[], signer = issuer): Promise<string> {
  const bits = Buffer.alloc(16 * 1024);
  for (const i of revoked) bits[i >> 3]! |= 0x80 >> (i & 7);
  const url = `${base}${path}`;
  const list = await issueEd25519Signature2020(
    {
      '@context': [V1, SL2021, ED2020],
      id: url,
      type: ['VerifiableCredential', 'StatusList2021Credential'],
      issuer: signer.did,
      issuanceDate: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: `${url}#list`,
        type: 'StatusList2021',
        statusPurpose: 'revocation',
        encodedList: gzipSync(bits).toString('base64url'),
      },
    },
    signer,
  );
  lists.set(path, JSON.stringify(list));
  return url;
}

async function credentialAt(listUrl: string, index: number): Promise<JsonObject> {
  const { validFrom: _from, ...badge } = foreignBadge(issuer.did, 'did:example:worker', {
    id: `urn:uuid:0d2b7f57-3c1e-4c1f-9a55-${String(index).padStart(12, '0')}`,
  });
  return (await issueEd25519Signature2020(
    {
      ...badge,
      '@context': [V1, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', SL2021, ED2020],
      issuanceDate: '2026-02-01T00:00:00Z',
      credentialStatus: {
        id: `${listUrl}#${index}`,
        type: 'StatusList2021Entry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: listUrl,
      },
    },
    issuer,
  )) as JsonObject;
}

describe('StatusList2021Entry through the status checker', () => {
  const verifier = createVerifier({ status: createStatusChecker({ allowHttpLocalhost: true }) });
  const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);

  it('a credential not on the list verifies; one whose bit is set is ERR_REVOKED; the list is fetched once', async () => {
    const url = await publishList('/lists/1', [42]);
    hits = 0;
    const good = await verifier.verifyCredential(await credentialAt(url, 7), { now: NOW });
    expect(good.problems).toEqual([]);
    expect(good.credentials[0]!.checks.find((c) => c.name === 'status')).toMatchObject({ ok: true });
    expect(good.credentials[0]!.checks.find((c) => c.name === 'status')?.skipped).toBeUndefined();
    const revoked = await verifier.verifyCredential(await credentialAt(url, 42), { now: NOW });
    expect(codes(revoked)).toEqual(['ERR_REVOKED']);
    expect(hits).toBe(1);
  });

  it('a list signed by someone else, or tampered, is ERR_STATUS_UNAVAILABLE (fail-closed)', async () => {
    const other = newKey();
    const url = await publishList('/lists/2', [], other);
    const report = await verifier.verifyCredential(await credentialAt(url, 3), { now: NOW });
    expect(codes(report)).toEqual(['ERR_STATUS_UNAVAILABLE']);

    const url3 = await publishList('/lists/3', [5]);
    const tampered = JSON.parse(lists.get('/lists/3')!) as { credentialSubject: { encodedList: string } };
    tampered.credentialSubject.encodedList = gzipSync(Buffer.alloc(16 * 1024)).toString('base64url');
    lists.set('/lists/3', JSON.stringify(tampered));
    const cleared = await verifier.verifyCredential(await credentialAt(url3, 5), { now: NOW });
    expect(codes(cleared)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });
});
