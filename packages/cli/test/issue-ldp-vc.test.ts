import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyDataIntegrity } from '@skillpass/data-integrity';
import { initIssuer } from '@skillpass/issuer';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { verifyWithDigitalBazaar } from '../../data-integrity/test/helpers/digitalbazaar.js';

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-ldp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASS = 'a long issuer passphrase';
const env = { SKILLPASS_ISSUER_PASSPHRASE: PASS, USER: 'registrar' };

describe('skillpass issue --format ldp_vc', () => {
  it('prints one line of JSON with a Data Integrity proof, registered as ldp_vc, verifiable by Digital Bazaar', async () => {
    const dir = join(root, 'centre');
    mkdirSync(dir);
    const issuer = await initIssuer({
      path: join(dir, 'issuer.db'),
      passphrase: PASS,
      didKey: true,
      name: 'Metal Assessment Centre Eindhoven',
      statusBaseUrl: 'https://centre.example/status',
      kdf: { N: 2 ** 14 },
      allowWeakKdf: true,
    });
    const did = issuer.did;
    issuer.close();
    const worker = makeIdentity();
    const skillFile = join(root, 'skill.json');
    writeFileSync(skillFile, JSON.stringify(CNC_ASSESSMENTS[0]));

    const run = await runCli(
      ['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile, '--format', 'ldp_vc'],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const credential = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(credential.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
    expect(credential.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry' });
    const report = await verifyDataIntegrity(credential, { expectedController: did });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    const theirs = await verifyWithDigitalBazaar(credential);
    expect(theirs.error).toBeUndefined();
    expect(theirs.verified).toBe(true);

    const list = await runCli(['issuer', 'list', '--issuer', dir, '--json'], { env });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ format: 'ldp_vc', subject: worker.did });
  });
});
