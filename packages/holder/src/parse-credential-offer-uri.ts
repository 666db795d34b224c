import { SkillpassError } from '@skillpass/core';
import { isJsonObject } from '@skillpass/core/internal';
import { checkOutboundUrl } from '@skillpass/net';

/** Longest offer URI accepted, in characters (an offer by value with a few configurations fits). */
export const MAX_OFFER_URI_LENGTH = 16 * 1024;

/** Schemes a credential offer arrives in: the OpenID4VCI custom scheme, HAIP's, or an https link. */
const OFFER_SCHEMES = ['openid-credential-offer:', 'haip:', 'https:'];

/** A credential offer URI, parsed (OpenID4VCI 1.0 §4.1). */
export type ParsedCredentialOfferUri =
  | { kind: 'reference'; credentialOfferUri: string }
  | { kind: 'value'; credentialOffer: Record<string, unknown> };

/**
 * Parse a credential offer URI without fetching anything: `openid-credential-offer://`, `haip://`
 * or an https link, carrying exactly one `credential_offer_uri` (a URL the door may fetch under
 * `policy`: https, loopback http only with `allowHttpLocalhost`) or `credential_offer` (a JSON
 * object). Never throws anything but a SkillpassError.
 *
 * @example
 * ```ts
 * parseCredentialOfferUri('openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcentre.example%2Foffers%2Fabc');
 * // { kind: 'reference', credentialOfferUri: 'https://centre.example/offers/abc' }
 * ```
 * @throws SkillpassError ERR_INPUT_TOO_LARGE (over {@link MAX_OFFER_URI_LENGTH}), ERR_OFFER_INVALID (anything else wrong).
 */
export function parseCredentialOfferUri(
  uri: unknown,
  policy: { allowHttpLocalhost?: boolean } = {},
): ParsedCredentialOfferUri {
  if (typeof uri !== 'string' || uri.length === 0) {
    throw new SkillpassError('ERR_OFFER_INVALID', 'the offer is empty');
  }
  if (uri.length > MAX_OFFER_URI_LENGTH) {
    throw new SkillpassError(
      'ERR_INPUT_TOO_LARGE',
      `an offer URI is at most ${MAX_OFFER_URI_LENGTH} characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new SkillpassError('ERR_OFFER_INVALID', 'the offer is not a URI');
  }
  if (!OFFER_SCHEMES.includes(url.protocol)) {
    throw new SkillpassError('ERR_OFFER_INVALID', 'an offer URI starts with openid-credential-offer://');
  }
  const byReference = url.searchParams.getAll('credential_offer_uri');
  const byValue = url.searchParams.getAll('credential_offer');
  if (byReference.length + byValue.length !== 1) {
    throw new SkillpassError(
      'ERR_OFFER_INVALID',
      'an offer carries exactly one credential_offer_uri or credential_offer parameter',
    );
  }
  if (byReference.length === 1) {
    const target = byReference[0]!;
    if (!checkOutboundUrl(target, { allowHttpLocalhost: policy.allowHttpLocalhost === true }).ok) {
      throw new SkillpassError(
        'ERR_OFFER_INVALID',
        'credential_offer_uri must be an https URL (http only on localhost, with --allow-http-localhost)',
      );
    }
    return { kind: 'reference', credentialOfferUri: new URL(target).href };
  }
  let offer: unknown;
  try {
    offer = JSON.parse(byValue[0]!);
  } catch {
    throw new SkillpassError('ERR_OFFER_INVALID', 'credential_offer is not JSON');
  }
  if (!isJsonObject(offer))
    throw new SkillpassError('ERR_OFFER_INVALID', 'credential_offer is not an object');
  return { kind: 'value', credentialOffer: offer };
}
