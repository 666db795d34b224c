// Issue 14 §1, replayed: a centre accredited only for welding signs a welding credential whose
// skill also carries `alsoAlignedTo` entries for two CNC skills. The passport verifies (the
// primary skill is within the accreditation), but neither CNC requirement may be met by it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { makeIdentity } from '../../../test-support/fixtures.js';

const SECTOR = fileURLToPath(new URL('../../../examples/metal-sector/', import.meta.url));
const vacancyFile = join(SECTOR, 'vacancy-cnc-machinist.json');
const ESCO = 'http://data.europa.eu/esco/skill/';
const PROGRAM_CNC = `${ESCO}bf942c60-8539-4951-83ee-63f770da1cb8`;
const OPERATE_MILLING = `${ESCO}6ecfe937-7302-4d93-9bbc-4634411a51ee`;
const WELDING = 'https://taxonomy.metaal-techniek.example/welding/mig-mag';

describe('issue 14 §1: trust scope cannot be widened through extra alignments', () => {
  it('a welding-accredited centre aligning its credential to CNC skills meets neither CNC requirement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skillpass-scope-'));
    const centre = makeIdentity();
    const worker = makeIdentity();
    const registry = {
      schemeOwner: { id: 'did:web:skills.metaal-techniek.example', name: 'Metal Sector Skills Board' },
      assessmentCentres: [
        {
          id: centre.did,
          name: 'Welding Centre',
          accreditations: [{ skills: [WELDING], maxLevel: 5, validFrom: '2026-01-01' }],
        },
      ],
    };
    const registryFile = join(dir, 'registry.json');
    writeFileSync(registryFile, JSON.stringify(registry));
    const { token } = await issueSkillCredential(
      {
        skill: {
          uri: WELDING,
          name: 'MIG/MAG welding',
          alsoAlignedTo: [
            { uri: PROGRAM_CNC, name: 'program a CNC controller', framework: 'ESCO' },
            { uri: OPERATE_MILLING, name: 'operate a CNC milling machine', framework: 'ESCO' },
          ],
        },
        level: 4,
        evidence: [{ method: 'practical-exam', assessedOn: '2026-10-01' }],
      },
      {
        issuer: { did: centre.did, name: 'Welding Centre' },
        subject: worker.did,
        signingKey: centre.signingKey,
        now: new Date('2026-10-01T12:00:00Z'),
      },
    );
    const passportFile = join(dir, 'passport.jwt');
    writeFileSync(
      passportFile,
      await createPassport({ holder: worker, credentials: [token], audience: 'A', challenge: 'C' }),
    );
    const common = ['--audience', 'A', '--challenge', 'C', '--trust', registryFile, '--json'];

    // The passport verifies: the primary skill is within the accreditation ...
    const verify = await runCli(['verify', passportFile, ...common, '--no-status']);
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout);
    expect(report.verified).toBe(true);
    expect(report.credentials[0].tier).toBe('accredited');
    // ... and the report names each alignment that does not count, with its reason.
    expect(
      report.credentials[0].excludedAlignments.map((a: { uri: string; code: string }) => [a.uri, a.code]),
    ).toEqual([
      [PROGRAM_CNC, 'ERR_NOT_ACCREDITED_FOR_SKILL'],
      [OPERATE_MILLING, 'ERR_NOT_ACCREDITED_FOR_SKILL'],
    ]);

    // `skillpass match` with the trust registry: neither CNC requirement is met.
    const match = await runCli([
      'match',
      passportFile,
      vacancyFile,
      ...common,
      '--no-status',
      '--as-of',
      '2026-11-01',
    ]);
    expect(match.code).toBe(0);
    const out = JSON.parse(match.stdout);
    for (const uri of [PROGRAM_CNC, OPERATE_MILLING]) {
      const requirement = out.match.requirements.find((r: { uri: string }) => r.uri === uri);
      expect(requirement.outcome).toBe('unverified');
      expect(requirement.codes).toEqual(['ERR_NOT_ACCREDITED_FOR_SKILL']);
      expect(requirement.held).toBeUndefined();
    }
    expect(out.match.counts.met).toBe(0);
    expect(out.match.score).toBe(0);
  });
});
