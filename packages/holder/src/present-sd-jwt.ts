import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { type SigningKey, SkillpassError } from '@skillpass/core';
import { sdJwtSigner, sha256Hasher } from '@skillpass/core/internal';

/** Options of {@link presentSdJwtCredential}. */
export interface PresentSdJwtOptions {
  /**
   * What to reveal beyond the always-visible claims (the skill, its level, the issuer): claim
   * names, which select every occurrence (`score` = the score in every evidence entry,
   * `evidence` = every evidence entry), or exact paths from {@link listDisclosableClaims}
   * (`evidence.0.score`). Revealing a nested claim reveals its parent entry too.
   * Default: nothing more (the minimum the skill needs).
   */
  disclose?: readonly string[];
  /** The verifier the presentation is for; the key-binding JWT's `aud`. */
  audience: string;
  /** The verifier's challenge; the key-binding JWT's `nonce`. */
  challenge: string;
  /** The holder's key: the one named in the credential's `cnf.jwk`. */
  signingKey: SigningKey;
  /** Signing time of the key-binding JWT; default now. */
  now?: Date;
}

/**
 * Present an SD-JWT VC (RFC 9901): keep only the chosen disclosures and append a key-binding
 * JWT (`typ: kb+jwt`) with `aud`, `nonce`, `iat` and `sd_hash`, signed with the holder's key,
 * so the presentation is bound to this verifier and this challenge.
 *
 * @example
 * ```ts
 * const shown = await presentSdJwtCredential(token, {
 *   disclose: ['assessedOn'], // the date, not the score or the assessor
 *   audience: 'https://jobs.metaalbedrijf.example',
 *   challenge,
 *   signingKey: worker.signingKey,
 * });
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS for a claim the credential cannot disclose, or empty audience/challenge.
 */
export async function presentSdJwtCredential(token: string, options: PresentSdJwtOptions): Promise<string> {
  if (options.audience === '' || options.challenge === '') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'audience and challenge must not be empty');
  }
  const available = await listDisclosableClaims(token);
  const selected = selectDisclosures(available, options.disclose ?? []);
  const sdjwt = new SDJwtVcInstance({
    hasher: sha256Hasher,
    kbSigner: sdJwtSigner(options.signingKey),
    kbSignAlg: options.signingKey.alg,
  });
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return sdjwt.present(token, frameOf(selected), {
    kb: { payload: { aud: options.audience, nonce: options.challenge, iat } },
  });
}

/**
 * Every claim path the holder of an SD-JWT can choose to disclose, e.g. `dateOfBirth`,
 * `evidence.0`, `evidence.0.score` (array positions as issued).
 *
 * @throws SkillpassError ERR_MALFORMED when the token is not an SD-JWT.
 */
export async function listDisclosableClaims(token: string): Promise<string[]> {
  try {
    return await new SDJwtVcInstance({ hasher: sha256Hasher }).presentableKeys(token);
  } catch (err) {
    throw new SkillpassError('ERR_MALFORMED', 'not a readable SD-JWT', { cause: err });
  }
}

/**
 * Resolve requested claims against the disclosable paths: an exact path, or a claim name
 * that selects every path ending in it (or every element of an array of that name).
 */
export function selectDisclosures(available: readonly string[], requested: readonly string[]): string[] {
  const selected = new Set<string>();
  for (const want of requested) {
    const matches = available.filter((path) => {
      if (path === want) return true;
      const segments = path.split('.');
      const last = segments.at(-1)!;
      if (!want.includes('.') && last === want) return true;
      // `evidence` selects `evidence.0`, `evidence.1`, …
      return /^\d+$/.test(last) && segments.slice(0, -1).join('.') === want;
    });
    if (matches.length === 0) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        `this credential cannot disclose ${JSON.stringify(want)} (it can: ${available.join(', ') || 'nothing'})`,
      );
    }
    for (const m of matches) selected.add(m);
  }
  return [...selected].sort();
}

/** A @sd-jwt presentation frame (nested `{ claim: true }`) from dotted paths; parents come along. */
type Frame = { [claim: string]: boolean | Frame };

function frameOf(paths: readonly string[]): Frame {
  const frame: Frame = {};
  for (const path of paths) {
    let node = frame;
    const segments = path.split('.');
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        if (node[segment] === undefined) node[segment] = true;
        return;
      }
      if (typeof node[segment] !== 'object') node[segment] = {};
      node = node[segment] as Frame;
    });
  }
  return frame;
}
