import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { createDidResolver, decodeStatusList, getStatusBit, parseCompactJws } from '@skillpass/core';
import { receiveCredential } from '@skillpass/holder';
import { createStatusChecker, createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createCredentialOffer } from '../src/index.js';
import { makeWallet, startCentre } from './helpers.js';

// The centre serves IETF Token Status Lists next to its Bitstring lists; a verifier fetches
// both through the outbound door (loopback opt-in) and sees every revoke/suspend in both.

/** A fresh verifier (fresh status cache) that checks status on loopback. */
const freshVerifier = () =>
  createVerifier({
    resolverOptions: { allowHttpLocalhost: true },
    status: createStatusChecker({ allowHttpLocalhost: true }),
  });

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('~')[0]!.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;

const statusCodes = async (token: string) => {
  const report = await freshVerifier().verifyCredential(token);
  const credential = report.credentials[0]!;
  const check = credential.checks.find((c) => c.name === 'status')!;
  const codes = credential.problems
    .map((p) => p.code)
    .filter((c) => c.startsWith('ERR_S') || c === 'ERR_REVOKED');
  return { passed: check.ok && check.skipped !== true, codes, verified: report.verified };
};

async function fetchText(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('IETF Token Status List for dc+sd-jwt credentials', () => {
  it('a dc+sd-jwt carries status.status_list; revoke and suspend reach both lists, and the verifier sees each', async () => {
    const centre = await startCentre();
    const worker = makeIdentity();
    const { token, record } = await centre.issuer.issue(CNC_ASSESSMENTS[0]!, {
      subject: worker.did,
      format: 'dc+sd-jwt',
      suspendable: true,
    });
    const claims = payloadOf(token);
    const status = claims.status as {
      status_list: { idx: number; uri: string };
      bitstring_status_list: { statusListCredential: string; statusListIndex: string }[];
    };
    expect(status.status_list.uri).toBe(`${centre.url}/status/token/1`);
    expect(record.tokenStatus).toEqual({
      listId: 1,
      listUrl: status.status_list.uri,
      index: status.status_list.idx,
    });
    expect(status.bitstring_status_list).toHaveLength(2);

    // The token as served: statuslist+jwt, sub = uri, signed by the issuer, readable by the library.
    const served = await fetchText(status.status_list.uri);
    expect(served.status).toBe(200);
    expect(served.type).toBe('application/statuslist+jwt');
    const parsed = parseCompactJws(served.body, { maxBytes: 1 << 20, typ: ['statuslist+jwt'] });
    expect(parsed.ok && parsed.jws.payload.sub).toBe(status.status_list.uri);
    expect(parsed.ok && parsed.jws.payload.iss).toBe(centre.issuer.did);
    expect(getListFromStatusListJWT(served.body).getStatus(status.status_list.idx)).toBe(0);
    expect(await statusCodes(token)).toEqual({ passed: true, codes: [], verified: true });

    // Suspend: the suspension bit and the token's 0x02, one transaction.
    await centre.issuer.suspend(record.id);
    const tokenList = getListFromStatusListJWT((await fetchText(status.status_list.uri)).body);
    expect(tokenList.getStatus(status.status_list.idx)).toBe(2);
    expect(await bitOf(status.bitstring_status_list[1]!)).toBe(true);
    expect(await statusCodes(token)).toMatchObject({
      passed: false,
      codes: ['ERR_SUSPENDED', 'ERR_SUSPENDED'],
      verified: false,
    });

    await centre.issuer.unsuspend(record.id);
    expect(
      getListFromStatusListJWT((await fetchText(status.status_list.uri)).body).getStatus(
        status.status_list.idx,
      ),
    ).toBe(0);
    expect(await statusCodes(token)).toEqual({ passed: true, codes: [], verified: true });

    // Suspended, then revoked: the token says INVALID (final), the revocation bit is set.
    await centre.issuer.suspend(record.id);
    await centre.issuer.revoke(record.id);
    expect(
      getListFromStatusListJWT((await fetchText(status.status_list.uri)).body).getStatus(
        status.status_list.idx,
      ),
    ).toBe(1);
    expect(await bitOf(status.bitstring_status_list[0]!)).toBe(true);
    const revoked = await statusCodes(token);
    expect(revoked.codes).toContain('ERR_REVOKED');
    expect(revoked.verified).toBe(false);

    // The token list alone (as a HAIP verifier reads it) gives ERR_REVOKED too.
    const tokenOnly = await createStatusChecker({ allowHttpLocalhost: true }).check({
      issuer: centre.issuer.did,
      credential: { credentialStatus: [{ type: 'TokenStatusListEntry', status_list: status.status_list }] },
      now: new Date(),
      resolver: createDidResolver(),
    });
    expect(tokenOnly.problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
  });

  it('W3C formats keep Bitstring Status List only; an unchanged token list answers 304', async () => {
    const centre = await startCentre();
    const worker = makeIdentity();
    const vc = await centre.issuer.issue(CNC_ASSESSMENTS[0]!, { subject: worker.did });
    expect(vc.record.tokenStatus).toBeUndefined();
    expect(await fetchText(`${centre.url}/status/token/1`)).toMatchObject({ status: 404 });
    await centre.issuer.issue(CNC_ASSESSMENTS[1]!, { subject: worker.did, format: 'dc+sd-jwt' });
    const lists = await centre.issuer.signedTokenStatusLists();
    expect(lists.map((l) => l.url)).toEqual([`${centre.url}/status/token/1`]);
    // An unchanged list is served with the same ETag, and 304 for If-None-Match.
    const first = await fetch(`${centre.url}/status/token/1`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${centre.url}/status/token/1`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('a wallet receiving dc+sd-jwt by offer gets the status_list reference', async () => {
    const centre = await startCentre();
    const wallet = await makeWallet();
    const { offer } = createCredentialOffer({
      offers: centre.offers,
      publicUrl: centre.url,
      assessment: CNC_ASSESSMENTS[0]!,
      format: 'dc+sd-jwt',
    });
    const received = await receiveCredential(wallet, offer, { allowHttpLocalhost: true });
    const [record] = await centre.issuer.listIssued();
    expect(record?.tokenStatus?.listUrl).toBe(`${centre.url}/status/token/1`);
    expect(received.entry.id).toBe(record?.id);
  });
});

async function bitOf(entry: { statusListCredential: string; statusListIndex: string }): Promise<boolean> {
  const body = (await fetchText(entry.statusListCredential)).body;
  const payload = JSON.parse(Buffer.from(body.split('.')[1]!, 'base64url').toString()) as {
    credentialSubject: { encodedList: string };
  };
  const decoded = decodeStatusList(payload.credentialSubject.encodedList);
  if (!decoded.ok) throw new Error('list did not decode');
  return getStatusBit(decoded.bits, Number(entry.statusListIndex));
}
