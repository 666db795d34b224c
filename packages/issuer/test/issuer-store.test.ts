import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { initIssuer, type RegisterInput } from '../src/index.js';
import { STATUS_BASE, TEST_KDF, tempDir } from './helpers.js';

const subject = makeIdentity().did;

function registerInput(id: string): RegisterInput {
  return {
    id,
    subject,
    skillUri: 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8',
    skillName: 'program a CNC controller',
    level: 3,
    format: 'vc+jwt',
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: null,
    issuedAt: '2026-11-01T00:00:00.000Z',
  };
}

describe('SqliteIssuerStore', () => {
  it('reads never see the rows of an issue that is still signing and then rolls back', async () => {
    const issuer = await initIssuer({
      path: `${tempDir()}/issuer.db`,
      passphrase: 'pw',
      didKey: true,
      name: 'Centre',
      statusBaseUrl: STATUS_BASE,
      ...TEST_KDF,
    });
    const store = issuer.store;
    let reachedSecond!: () => void;
    const second = new Promise<void>((resolve) => {
      reachedSecond = resolve;
    });
    let failSigning!: () => void;
    const gate = new Promise<void>((resolve) => {
      failSigning = resolve;
    });
    // A batch of two: the first is registered (uncommitted), the second's signing hangs, then fails.
    const pending = store.issue(
      [
        { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000001', purposes: ['revocation'] },
        { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000002', purposes: ['revocation'] },
      ],
      async (_allocations, i) => {
        const id = `urn:uuid:00000000-0000-4000-8000-00000000000${i + 1}`;
        if (i === 1) {
          reachedSecond();
          await gate;
          throw new Error('the key manager is down');
        }
        return { record: registerInput(id), result: id };
      },
    );
    await second;
    const reads = Promise.all([
      store.listIssued(),
      store.getIssued('urn:uuid:00000000-0000-4000-8000-000000000001'),
      store.listStatusLists(),
      store.getStatusList(1),
      store.auditLog(),
      issuer.signedStatusList(1),
    ]);
    failSigning();
    await expect(pending).rejects.toThrow();
    const [issued, one, lists, list, audit, signed] = await reads;
    expect(issued).toEqual([]);
    expect(one).toBeUndefined();
    expect(lists).toEqual([]);
    expect(list).toBeUndefined();
    expect(audit).toEqual([]);
    expect(signed).toBeUndefined();
    issuer.close();
  });
});
