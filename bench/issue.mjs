import { sign as cryptoSign } from 'node:crypto';
import { parseCompactJws } from '@skillpass/core';
import { issueSkillCredential } from '@skillpass/issuer';
import { assessments, createVeramoAgent, keyManagerSigningKey } from './fixtures.mjs';
import { check, compare, printTable } from './harness.mjs';
import { identity } from './passport-20.mjs';

/** issue: issueSkillCredential (vc+jwt, EdDSA, in-process key) vs raw node:crypto signing. */
export async function runIssue(settings) {
  const centre = identity();
  const worker = identity();
  const [assessment] = assessments(1);
  const issuer = {
    did: centre.did,
    name: 'Metal Assessment Centre',
    url: 'https://assessment.metaal.example',
  };

  const sample = await issueSkillCredential(assessment, {
    issuer,
    subject: worker.did,
    signingKey: centre.signingKey,
  });
  const parsed = parseCompactJws(sample.token, { maxBytes: 64 * 1024, typ: ['vc+jwt'] });
  check(parsed.ok, 'the issued credential parses');
  // Raw: sign the very bytes issueSkillCredential signed, with the same in-process key.
  const signingInput = Buffer.from(parsed.jws.signingInput, 'ascii');

  const agent = createVeramoAgent();
  const veramoCentre = await agent.didManagerCreate({
    provider: 'did:key',
    kms: 'local',
    options: { keyType: 'Ed25519' },
  });
  const viaKeyManager = keyManagerSigningKey(agent, veramoCentre);
  const veramoIssuer = { did: veramoCentre.did, name: 'Metal Assessment Centre' };

  const ours = () =>
    issueSkillCredential(assessment, { issuer, subject: worker.did, signingKey: centre.signingKey });
  const raw = () => cryptoSign(null, signingInput, centre.privateKey);
  const oursKeyManager = () =>
    issueSkillCredential(assessment, {
      issuer: veramoIssuer,
      subject: worker.did,
      signingKey: viaKeyManager,
    });
  const veramo11 = () =>
    issueSkillCredential(assessment, {
      issuer: veramoIssuer,
      subject: worker.did,
      signingKey: viaKeyManager,
      format: 'jwt-vc-1.1',
      veramo: agent,
    });
  check((await oursKeyManager()).token.split('.').length === 3, 'key-manager signing works');
  check((await veramo11()).format === 'jwt-vc-1.1', 'Veramo issuance works');

  console.log(`\nissue: one skill credential (vc+jwt, EdDSA, ${sample.token.length} bytes) per operation`);
  console.log(
    '  ours builds, validates against both schemas, serialises and signs; raw only signs the same bytes',
  );
  const results = await compare(
    [
      { name: 'skillpass issueSkillCredential (node:crypto key)', fn: ours },
      { name: 'raw node:crypto, crypto.sign', fn: raw },
      { name: 'skillpass issueSkillCredential (Veramo key manager signs)', fn: oursKeyManager },
      { name: 'skillpass jwt-vc-1.1 via Veramo createVerifiableCredential', fn: veramo11 },
    ],
    settings,
  );
  printTable(`issue (medians of ${settings.rounds} interleaved runs of ≥ ${settings.minMs} ms)`, results);
  const summary = `issue: ratio-to-raw=${(results[0].opsPerSec / results[1].opsPerSec).toFixed(2)}`;
  console.log(summary);
  return summary;
}
