import type { JsonObject, VerificationReport } from '@skillpass/core';
import type { VerifierOptions, VerifyCredentialOptions, VerifyPassportOptions } from './options.js';
import { createVerifier } from './verifier.js';

/**
 * Verify one credential (a token, or JSON with an embedded proof) with a one-off verifier. For many calls, create a verifier once
 * with {@link createVerifier}: it caches keys and status lists.
 *
 * @example
 * ```ts
 * const report = await verifyCredential(token);
 * console.log(report.verified, report.credentials[0]?.skill);
 * ```
 */
export function verifyCredential(
  credential: string | JsonObject,
  options: VerifyCredentialOptions & VerifierOptions = {},
): Promise<VerificationReport> {
  return createVerifier(options).verifyCredential(credential, options);
}

/**
 * Verify a passport with a one-off verifier: the holder's signature, audience, challenge and
 * freshness, and every credential in it (signature, schema, validity, status, trust, binding).
 *
 * @example
 * ```ts
 * const report = await verifyPassport(token, { audience: 'https://jobs.example', challenge });
 * for (const c of report.credentials) console.log(c.skill?.name, c.verified, c.checks);
 * ```
 */
export function verifyPassport(
  token: string,
  options: VerifyPassportOptions & VerifierOptions,
): Promise<VerificationReport> {
  return createVerifier(options).verifyPassport(token, options);
}
