import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jwtVcDcqlInput, ldpVcDcqlInput, sdJwtDcqlInput } from '../src/internal.js';

describe('DCQL credential input (shared by the wallet and the verifier service)', () => {
  it('an SD-JWT VC is seen by its vct and all its claims', () => {
    const claims = { vct: 'https://example.org/skill', iss: 'did:example:1', skill: { uri: 'u' } };
    expect(sdJwtDcqlInput(claims)).toEqual({
      credential_format: 'dc+sd-jwt',
      vct: 'https://example.org/skill',
      claims,
      cryptographic_holder_binding: true,
    });
  });

  it('an SD-JWT without a string vct, or claims that are not an object, has no view', () => {
    expect(sdJwtDcqlInput({ vct: 7 })).toBeNull();
    expect(sdJwtDcqlInput({})).toBeNull();
    expect(sdJwtDcqlInput(null)).toBeNull();
    expect(sdJwtDcqlInput(['vct'])).toBeNull();
    expect(sdJwtDcqlInput(undefined)).toBeNull();
  });

  it('a VC 2.0 JWT payload is the credential; string types only', () => {
    const payload = { type: ['VerifiableCredential', 3, 'OpenBadgeCredential'], issuer: 'did:example:1' };
    expect(jwtVcDcqlInput(payload)).toEqual({
      credential_format: 'jwt_vc_json',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      claims: payload,
      cryptographic_holder_binding: true,
    });
  });

  it('a VC 1.1 JWT payload keeps the credential in vc', () => {
    const vc = { type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:2' } };
    expect(jwtVcDcqlInput({ iss: 'did:example:1', vc })).toMatchObject({
      type: ['VerifiableCredential'],
      claims: vc,
    });
  });

  it('a payload without a type array has no view', () => {
    expect(jwtVcDcqlInput({ type: 'VerifiableCredential' })).toBeNull();
    expect(jwtVcDcqlInput({ vc: { type: 'x' } })).toBeNull();
    expect(jwtVcDcqlInput('text')).toBeNull();
    expect(jwtVcDcqlInput(null)).toBeNull();
  });

  it('any JSON value gives a view of the right shape or null, never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sd = sdJwtDcqlInput(value);
        if (sd !== null)
          expect(sd.credential_format === 'dc+sd-jwt' && typeof sd.vct === 'string').toBe(true);
        const jwt = jwtVcDcqlInput(value);
        if (jwt !== null && jwt.credential_format === 'jwt_vc_json') {
          expect(jwt.type.every((t) => typeof t === 'string')).toBe(true);
        } else {
          expect(jwt).toBeNull();
        }
      }),
    );
  });

  it('an ldp_vc is seen by its type (a string or an array) and the whole credential', () => {
    const credential = { type: ['VerifiableCredential', 'OpenBadgeCredential', 1], proof: {} };
    expect(ldpVcDcqlInput(credential)).toEqual({
      credential_format: 'ldp_vc',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      claims: credential,
      cryptographic_holder_binding: true,
    });
    expect(ldpVcDcqlInput({ type: 'VerifiableCredential' })).toMatchObject({
      type: ['VerifiableCredential'],
    });
    expect(ldpVcDcqlInput({ type: 3 })).toBeNull();
    expect(ldpVcDcqlInput('{"type":[]}')).toBeNull();
    expect(ldpVcDcqlInput(null)).toBeNull();
  });
});
