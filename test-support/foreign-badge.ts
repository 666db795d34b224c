import type { JsonObject } from '@skillpass/core';
import { SignJWT } from 'jose';
import type { TestIdentity } from './fixtures.js';

/** ESCO "program a CNC controller", the alignment the foreign badges below carry. */
export const ESCO_CNC = 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8';

/**
 * An Open Badges 3.0 credential as another badge platform issues it: valid OB 3.0 (an
 * AchievementCredential with an ESCO alignment), but none of skillpass's profile fields (no
 * credentialSchema, rubric, result or evidence dates).
 */
export function foreignBadge(issuer: string, subject: string, overrides: JsonObject = {}): JsonObject {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: 'urn:uuid:6f1c1a9e-2f0b-4a55-9e3b-0d6c1f1b7a01',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'CNC programming badge',
    issuer: { id: issuer, type: ['Profile'], name: 'Open Badge Factory Example' },
    validFrom: '2026-09-01T00:00:00Z',
    credentialSubject: {
      id: subject,
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://badges.example/achievements/cnc-programming',
        type: ['Achievement'],
        achievementType: 'Competency',
        name: 'CNC programming',
        description: 'Programs a CNC controller for a 3-axis milling part.',
        criteria: { narrative: 'Passed a practical assignment reviewed by a workshop instructor.' },
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'program a CNC controller',
            targetUrl: ESCO_CNC,
            targetFramework: 'ESCO',
          },
        ],
      },
    },
    evidence: [{ type: ['Evidence'], name: 'Workshop assignment', narrative: 'Milled the test part.' }],
    ...overrides,
  };
}

/**
 * Sign a credential as `vc+jwt` with jose (not with skillpass's own signer), as another issuer
 * would: payload = the credential, `iss`/`sub`/`jti` mirrored, `nbf`/`exp` from its dates.
 */
export async function signWithJose(credential: JsonObject, issuer: TestIdentity): Promise<string> {
  const issuerId =
    typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id: string }).id;
  const subject = (credential.credentialSubject as { id?: string }).id;
  const claims: Record<string, unknown> = { ...credential, iss: issuerId };
  if (subject !== undefined) claims.sub = subject;
  if (typeof credential.id === 'string') claims.jti = credential.id;
  if (typeof credential.validFrom === 'string')
    claims.nbf = Math.floor(Date.parse(credential.validFrom) / 1000);
  if (typeof credential.validUntil === 'string')
    claims.exp = Math.floor(Date.parse(credential.validUntil) / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: issuer.signingKey.alg, typ: 'vc+jwt', kid: issuer.signingKey.keyId })
    .sign(issuer.privateKey);
}
