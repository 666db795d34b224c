import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { didKeyFromPublicKey, keyObjectSigner, type SigningKey, type SkillAssessment } from '@skillpass/core';

/** An in-memory did:key identity for tests. */
export interface TestIdentity {
  did: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  signingKey: SigningKey;
}

/** A fresh did:key identity (Ed25519 by default). */
export function makeIdentity(type: 'Ed25519' | 'P-256' = 'Ed25519'): TestIdentity {
  const { privateKey, publicKey } =
    type === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const did = didKeyFromPublicKey(publicKey);
  const keyId = `${did}#${did.slice('did:key:'.length)}`;
  return {
    did,
    privateKey,
    publicKey,
    signingKey: { keyId, alg: type === 'Ed25519' ? 'EdDSA' : 'ES256', sign: keyObjectSigner(privateKey) },
  };
}

/** Skill assessments of the CNC-machinist example (ESCO-aligned). */
export const CNC_ASSESSMENTS: SkillAssessment[] = [
  {
    skill: {
      uri: 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8',
      name: 'program a CNC controller',
    },
    level: 3,
    evidence: [
      {
        method: 'practical-exam',
        assessedOn: '2026-10-12',
        description: 'Wrote and proved out a G-code program for a 3-axis milling part.',
        assessor: { name: 'J. de Vries' },
        score: 84,
      },
    ],
  },
  {
    skill: {
      uri: 'http://data.europa.eu/esco/skill/68b6ef08-d823-489d-a95c-752ae6f6e6a7',
      name: 'read standard blueprints',
    },
    level: 4,
    evidence: [{ method: 'written-test', assessedOn: '2026-10-12', score: 91 }],
  },
];
