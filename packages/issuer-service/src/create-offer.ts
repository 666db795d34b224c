import { type SkillAssessment, SkillpassError, validateSchema } from '@skillpass/core';
import {
  CONFIGURATION_IDS,
  checkPublicUrl,
  OFFER_FORMATS,
  type OfferFormat,
  offerFormatOf,
} from './configurations.js';
import type { OfferRecord, OfferStore } from './offer-store.js';

/** Default lifetime of an offer (and its pre-authorized code): one day. */
export const DEFAULT_OFFER_TTL_SECONDS = 86_400;
/** Longest lifetime of an offer: thirty days. */
export const MAX_OFFER_TTL_SECONDS = 30 * 86_400;
/** Digits of a transaction code. */
export const TX_CODE_LENGTH = 6;

/** Options of {@link createCredentialOffer}. */
export interface CreateCredentialOfferOptions {
  /** The protocol state of the issuer file. */
  offers: OfferStore;
  /** The credential issuer identifier (the service's public origin). */
  publicUrl: string;
  /** The assessed skill the credential will attest (schemas/skill-assessment.schema.json). */
  assessment: SkillAssessment;
  /** A format identifier or configuration id. Default `dc+sd-jwt`; `all` offers every format (the wallet picks one). */
  format?: string;
  /** Ask for a transaction code (6 digits), given to the worker by another channel. */
  txCode?: boolean;
  /** Lifetime in seconds (1 … 30 days). Default one day. */
  expiresInSeconds?: number;
  now?: Date;
}

/** What {@link createCredentialOffer} returns. */
export interface CreatedCredentialOffer {
  /** `openid-credential-offer://?credential_offer_uri=…` */
  offer: string;
  /** The transaction code, or null. Shown once: the store keeps only its hash. */
  txCode: string | null;
  /** ISO date-time after which the offer is refused. */
  expiresAt: string;
  record: OfferRecord;
}

/** The URL a pending offer is served at. */
export function offerUrl(record: Pick<OfferRecord, 'credentialIssuer' | 'id'>): string {
  return `${record.credentialIssuer}/offers/${record.id}`;
}

/** The credential offer object (OpenID4VCI 1.0 §4.1.1) of a stored offer. */
export function offerObject(record: OfferRecord): Record<string, unknown> {
  return {
    credential_issuer: record.credentialIssuer,
    credential_configuration_ids: record.configurationIds,
    grants: {
      'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
        'pre-authorized_code': record.preAuthorizedCode,
        ...(record.hasTxCode
          ? {
              tx_code: {
                input_mode: 'numeric',
                length: record.txCodeLength,
                description: 'Code van het beoordelingscentrum / code from the assessment centre',
              },
            }
          : {}),
      },
    },
  };
}

/**
 * Record a pending offer of a skill credential for an assessed worker and return its URI (by
 * reference: the offer object is served at `<publicUrl>/offers/<id>` until it is redeemed or
 * expires). The pre-authorized code is single use; with `txCode`, the wallet must also send
 * the 6-digit code (five wrong tries burn the offer).
 *
 * @example
 * ```ts
 * const { offer, txCode } = createCredentialOffer({ offers, publicUrl, assessment, txCode: true });
 * // show `offer` as a QR code; tell the worker `txCode` in person
 * ```
 * @throws SkillpassError ERR_SCHEMA_INVALID (the assessment), ERR_INVALID_OPTIONS (format, lifetime, URL).
 */
export function createCredentialOffer(options: CreateCredentialOfferOptions): CreatedCredentialOffer {
  const publicUrl = checkPublicUrl(options.publicUrl);
  const problems = validateSchema('skill-assessment', options.assessment);
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the assessment is not valid', { problems });
  }
  const formats = formatsOf(options.format ?? 'dc+sd-jwt');
  const ttl = options.expiresInSeconds ?? DEFAULT_OFFER_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_OFFER_TTL_SECONDS) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `expiresInSeconds must be 1 to ${MAX_OFFER_TTL_SECONDS}`);
  }
  const { record, txCode } = options.offers.createOffer({
    credentialIssuer: publicUrl,
    configurationIds: formats.map((f) => CONFIGURATION_IDS[f]),
    assessment: options.assessment,
    expiresInSeconds: ttl,
    ...(options.txCode === true ? { txCodeLength: TX_CODE_LENGTH } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const offer = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerUrl(record))}`;
  return { offer, txCode, expiresAt: record.expiresAt, record };
}

function formatsOf(value: string): OfferFormat[] {
  if (value === 'all') return [...OFFER_FORMATS];
  const format = offerFormatOf(value);
  if (format === undefined) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `format must be one of ${OFFER_FORMATS.join(', ')}, a configuration id, or all`,
    );
  }
  return [format];
}
