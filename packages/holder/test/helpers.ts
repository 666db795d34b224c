import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SkillAssessment } from '@skillpass/core';
import { issueSdJwtSkillCredential, issueSkillCredential } from '@skillpass/issuer';
import { afterEach } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

/** Fast scrypt for tests (the store's floor, N = 2^14); wallets default to N = 2^17. */
export const TEST_KDF = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillpass-holder-'));
  dirs.push(dir);
  return dir;
}

/** The assessment centre of the tests (did:key, so verification needs no network). */
export const centre = makeIdentity();
export const ISSUER = { did: centre.did, name: 'Metal Assessment Centre' };

/** A vc+jwt skill credential for `subject`. */
export async function vcFor(
  subject: string,
  assessment: SkillAssessment = CNC_ASSESSMENTS[1]!,
): Promise<string> {
  return (await issueSkillCredential(assessment, { issuer: ISSUER, subject, signingKey: centre.signingKey }))
    .token;
}

/** An SD-JWT VC skill credential for `subject` (a did:key: its key becomes cnf). */
export async function sdJwtFor(
  subject: string,
  dateOfBirth?: string,
): Promise<{ token: string; id: string }> {
  return issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, {
    issuer: ISSUER,
    subject,
    signingKey: centre.signingKey,
    ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
  });
}
