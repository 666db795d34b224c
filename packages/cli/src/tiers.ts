import type { EvidenceTier } from '@skillpass/core';

/** A tier in words, for the worker (whose employer attests) or for whoever verifies. */
export function tierInWords(tier: EvidenceTier, reader: 'worker' | 'verifier'): string {
  switch (tier) {
    case 'accredited':
      return 'assessed by an accredited centre';
    case 'employer':
      return reader === 'worker' ? 'attested by your employer' : 'attested by a registered employer';
    case 'self':
      return reader === 'worker' ? 'your own statement' : "the worker's own statement";
    default:
      return 'not judged by a trust registry';
  }
}
