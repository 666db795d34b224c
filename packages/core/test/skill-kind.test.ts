import { type CredentialReport, credentialStateOf, skillKindOf } from '@skillpass/core';
import { describe, expect, it } from 'vitest';

function report(codes: string[]): CredentialReport {
  return {
    index: 0,
    id: 'urn:uuid:1',
    format: 'vc+jwt',
    verified: codes.length === 0,
    issuer: null,
    subject: null,
    skill: null,
    validFrom: null,
    validUntil: null,
    tier: 'unknown',
    checks: [],
    problems: codes.map((code) => ({ code, message: code })) as CredentialReport['problems'],
  };
}

describe('skillKindOf', () => {
  it('qualification by achievement type, soft by a transversal framework, vocational otherwise', () => {
    expect(skillKindOf({ achievementType: 'Diploma' })).toBe('qualification');
    expect(skillKindOf({ achievementType: 'Certificate', framework: 'ESCO-transversal' })).toBe(
      'qualification',
    );
    expect(skillKindOf({ framework: 'ESCO-transversal' })).toBe('soft');
    expect(skillKindOf({ alignments: [{ framework: 'ESCO transversal skills and competences' }] })).toBe(
      'soft',
    );
    expect(skillKindOf({ achievementType: 'Competency', framework: 'ESCO' })).toBe('vocational');
    expect(skillKindOf({})).toBe('vocational');
  });
});

describe('credentialStateOf', () => {
  it('names what a worker needs to know, and never claims valid without a status check', () => {
    expect(credentialStateOf(report([]))).toBe('valid');
    expect(credentialStateOf(report([]), { statusChecked: false })).toBe('not-checked');
    expect(credentialStateOf(report(['ERR_REVOKED', 'ERR_EXPIRED']))).toBe('revoked');
    expect(credentialStateOf(report(['ERR_SUSPENDED']))).toBe('suspended');
    expect(credentialStateOf(report(['ERR_EXPIRED']))).toBe('expired');
    expect(credentialStateOf(report(['ERR_STATUS_UNAVAILABLE']))).toBe('unavailable');
    expect(credentialStateOf(report(['ERR_ISSUER_UNTRUSTED']))).toBe('valid');
    expect(credentialStateOf(report(['ERR_SIGNATURE_INVALID']))).toBe('invalid');
    expect(credentialStateOf(report(['ERR_DID_UNRESOLVABLE']), { offline: true })).toBe('not-checked');
    expect(credentialStateOf(report(['ERR_DID_UNRESOLVABLE']))).toBe('invalid');
  });
});
