import { type SkillAssessment, SkillpassError } from '@skillpass/core';
import type { IssuedRecord, Issuer } from '@skillpass/issuer';
import {
  type CreatedCredentialOffer,
  createCredentialOffer,
  DEFAULT_OFFER_TTL_SECONDS,
} from '../create-offer.js';
import type { OfferRecord, OfferStore } from '../offer-store.js';
import { type AssessmentFormInput, assessmentFromForm } from './assessment-form.js';
import type { CentreSkill } from './centre-skills.js';

/** Options of {@link createCentreConsole}. */
export interface CentreConsoleOptions {
  issuer: Issuer;
  offers: OfferStore;
  /** The credential issuer identifier (the service's public origin). */
  publicUrl: string;
  /** The skills this centre assesses ({@link parseCentreSkills}). */
  skills: readonly CentreSkill[];
  /** Offer format (see `createCredentialOffer`). Default `all`: the wallet picks one. */
  format?: string;
  /** Lifetime of an offer in seconds. Default one day. */
  offerTtlSeconds?: number;
  now?: () => Date;
}

/** Where a credential stands in the register. */
export type RegisterState = 'valid' | 'revoked' | 'suspended';

/** One line of the centre's register, as its page shows it. */
export interface RegisterEntry {
  record: IssuedRecord;
  state: RegisterState;
  /** True when it has a revocation entry and is not revoked yet. */
  canRevoke: boolean;
  /** True when it has a suspension entry and is neither revoked nor suspended. */
  canSuspend: boolean;
  /** True when it is suspended (and not revoked). */
  canUnsuspend: boolean;
}

/** Where an offer stands. */
export type OfferState = 'pending' | 'issued' | 'redeemed' | 'expired';

/** One offer, as the register page shows it. */
export interface OfferEntry {
  record: OfferRecord;
  state: OfferState;
}

/** A status change asked for on the register page. */
export type StatusAction = 'revoke' | 'suspend' | 'unsuspend';

/** Longest reason for a status change. */
export const MAX_REASON_LENGTH = 500;

/** The centre's console: what its staff pages do, on the issuer and its offer store. */
export interface CentreConsole {
  readonly skills: readonly CentreSkill[];
  /** Check the form and record an offer for it (OpenID4VCI, pre-authorized code, transaction code). */
  offerAssessment(form: AssessmentFormInput): CreatedCredentialOffer & { assessment: SkillAssessment };
  /** The register (newest first) with what each entry allows. */
  register(): Promise<RegisterEntry[]>;
  /** The latest offers with their state. */
  offerList(limit?: number): OfferEntry[];
  /** Revoke, suspend or lift a suspension, with a reason (required for revoke and suspend), as `actor`. */
  changeStatus(
    id: string,
    action: StatusAction,
    options: { reason?: string; actor: string },
  ): Promise<{ record: IssuedRecord; changed: boolean }>;
}

/**
 * The centre's console over the existing issuing, offer and status functions: the staff pages of
 * `skillpass issuer serve` call only this (no parallel logic). Offers always ask for a transaction
 * code, to be told to the worker separately from the QR code.
 *
 * @example
 * ```ts
 * const console = createCentreConsole({ issuer, offers, publicUrl, skills });
 * const { offer, txCode } = console.offerAssessment({ skill, level: '3', method: 'practical-exam', date, assessor });
 * ```
 */
export function createCentreConsole(options: CentreConsoleOptions): CentreConsole {
  const { issuer, offers, publicUrl, skills } = options;
  const now = options.now ?? (() => new Date());
  return {
    skills,
    offerAssessment(form) {
      const at = now();
      const assessment = assessmentFromForm(form, skills, { now: at });
      const created = createCredentialOffer({
        offers,
        publicUrl,
        assessment,
        format: options.format ?? 'all',
        txCode: true,
        expiresInSeconds: options.offerTtlSeconds ?? DEFAULT_OFFER_TTL_SECONDS,
        now: at,
      });
      return { ...created, assessment };
    },
    async register() {
      const records = await issuer.listIssued();
      return records
        .map((record) => {
          const has = (purpose: string) => record.status.some((s) => s.purpose === purpose);
          const revoked = record.revokedAt !== null;
          const state: RegisterState = revoked ? 'revoked' : record.suspended ? 'suspended' : 'valid';
          return {
            record,
            state,
            canRevoke: has('revocation') && !revoked,
            canSuspend: has('suspension') && !revoked && !record.suspended,
            canUnsuspend: has('suspension') && !revoked && record.suspended,
          };
        })
        .sort((a, b) =>
          a.record.issuedAt < b.record.issuedAt ? 1 : a.record.issuedAt > b.record.issuedAt ? -1 : 0,
        );
    },
    offerList(limit = 50) {
      const at = now().toISOString();
      return offers.listOffers({ limit }).map((record) => ({
        record,
        state:
          record.credentialId !== null
            ? 'issued'
            : record.redeemedAt !== null
              ? 'redeemed'
              : record.expiresAt <= at
                ? 'expired'
                : 'pending',
      }));
    },
    async changeStatus(id, action, { reason, actor }) {
      const why = (reason ?? '').trim();
      if (action !== 'unsuspend' && why.length === 0) {
        throw new SkillpassError('ERR_INVALID_OPTIONS', 'give a reason');
      }
      if (why.length > MAX_REASON_LENGTH) {
        throw new SkillpassError(
          'ERR_INVALID_OPTIONS',
          `the reason is at most ${MAX_REASON_LENGTH} characters`,
        );
      }
      return issuer[action](id, { actor, now: now(), ...(why === '' ? {} : { reason: why }) });
    },
  };
}
