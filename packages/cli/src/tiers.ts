import type { EvidenceTier } from '@skillpass/core';

/** Options of {@link tierInWords}. */
export interface TierInWordsOptions {
  /**
   * True when a trust registry judged the credential: `unknown` then means its issuer is not
   * vouched for by the registry, rather than not judged at all. Default false.
   */
  judged?: boolean;
}

/** A tier in words, for the worker (whose employer attests) or for whoever verifies. */
export function tierInWords(
  tier: EvidenceTier,
  reader: 'worker' | 'verifier',
  options: TierInWordsOptions = {},
): string {
  switch (tier) {
    case 'accredited':
      return 'assessed by an accredited centre';
    case 'employer':
      return reader === 'worker' ? 'attested by your employer' : 'attested by a registered employer';
    case 'self':
      return reader === 'worker' ? 'your own statement' : "the worker's own statement";
    default:
      return options.judged === true
        ? 'not vouched for by the trust registry'
        : 'not judged by a trust registry';
  }
}
