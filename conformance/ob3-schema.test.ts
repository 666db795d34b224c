import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSchema } from '@skillpass/core';
import { initIssuer, issueSkillCredential } from '@skillpass/issuer';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../test-support/fixtures.js';
import { conformanceVectorsDir, readConformanceVectorJson } from '../test-support/vectors.js';

const SPEC = '1edtech-openbadges-specification';

const obValidate = (() => {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(readConformanceVectorJson(`${SPEC}/schema/ob_v3p0_achievementcredential.schema.json`));
})();

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function newIssuer() {
  const dir = mkdtempSync(join(tmpdir(), 'skillpass-conformance-'));
  dirs.push(dir);
  return initIssuer({
    path: join(dir, 'issuer.db'),
    passphrase: 'issuer passphrase',
    didKey: true,
    name: 'Metal Assessment Centre Eindhoven',
    statusBaseUrl: 'https://centre.example/status',
    kdf: { N: 2 ** 14 },
    allowWeakKdf: true,
  });
}

describe('the official 1EdTech Open Badges 3.0 schema (AchievementCredential)', () => {
  // The specification's credential examples (its endorsement example has a schema of its own).
  const examples = readdirSync(join(conformanceVectorsDir(), SPEC, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, json: readConformanceVectorJson<{ type: string[] }>(`${SPEC}/examples/${f}`) }))
    .filter((e) => e.json.type.includes('OpenBadgeCredential'));

  it('finds the specification examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples)('accepts the specification example $file', ({ json }) => {
    expect(obValidate(json), JSON.stringify(obValidate.errors)).toBe(true);
  });

  it.each(CNC_ASSESSMENTS)('accepts the vc+jwt credential issued for $skill.name', async (a) => {
    const issuer = makeIdentity();
    const { credential } = await issueSkillCredential(a, {
      issuer: { did: issuer.did, name: 'Metal Assessment Centre' },
      subject: makeIdentity().did,
      signingKey: issuer.signingKey,
    });
    expect(validateSchema('skill-credential', credential)).toEqual([]);
    expect(obValidate(credential), JSON.stringify(obValidate.errors)).toBe(true);
  });

  it('accepts a store-backed credential with its one revocation entry', async () => {
    const issuer = await newIssuer();
    const { credential } = await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });
    expect(obValidate(credential), JSON.stringify(obValidate.errors)).toBe(true);
    issuer.close();
  });

  it('rejects a suspendable credential: two status entries are outside OB 3.0 cardinality', async () => {
    const issuer = await newIssuer();
    const { credential } = await issuer.issue(CNC_ASSESSMENTS[0]!, {
      subject: makeIdentity().did,
      suspendable: true,
    });
    expect(validateSchema('skill-credential', credential)).toEqual([]);
    expect(obValidate(credential)).toBe(false);
    issuer.close();
  });
});
