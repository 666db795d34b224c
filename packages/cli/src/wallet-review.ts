import {
  type CredentialState,
  credentialStateOf,
  type EvidenceTier,
  type Problem,
  SKILL_KINDS,
  type SkillKind,
  skillKindOf,
} from '@skillpass/core';
import type { Wallet, WalletEntry } from '@skillpass/holder';
import { neutraliseLines, neutraliseText, shortDid } from './format.js';
import { tierInWords } from './tiers.js';
import type { WalletCheckVerifiers } from './verify-flags.js';

/** A wallet entry as `wallet list` shows it: the stored entry plus what checking it found. */
export interface ReviewedEntry extends WalletEntry {
  /** Position in the wallet (1-based): what `present --only/--disclose` accept for the id. */
  position: number;
  /** vocational, soft or qualification (`skillKindOf`). */
  kind: SkillKind;
  /** Who vouches for it: judged with --trust; without, only the worker's own statements (`self`). */
  tier: EvidenceTier;
  /** The tier in the worker's words. */
  tierInWords: string;
  /** Whether it still stands: valid, revoked, suspended, expired, …, or not-checked offline. */
  state: CredentialState;
  /** What the state rests on: the problems of the status and validity check (empty when valid). */
  problems: Problem[];
}

/** Check every credential of the wallet: its state (status, validity, signature) and tier. */
export async function reviewWallet(
  wallet: Wallet,
  verifiers: WalletCheckVerifiers,
): Promise<ReviewedEntry[]> {
  const entries = wallet.list();
  return Promise.all(
    entries.map(async (entry, i): Promise<ReviewedEntry> => {
      const { token } = wallet.get(entry.id);
      const stateReport = (await verifiers.state.verifyCredential(token)).credentials[0];
      const tierReport =
        verifiers.tier === undefined
          ? stateReport
          : (await verifiers.tier.verifyCredential(token)).credentials[0];
      const tier = tierReport?.tier ?? 'unknown';
      const state =
        stateReport === undefined
          ? 'invalid'
          : credentialStateOf(stateReport, {
              statusChecked: verifiers.statusChecked,
              offline: verifiers.offline,
            });
      return {
        ...entry,
        position: i + 1,
        kind: skillKindOf(stateReport?.skill ?? {}),
        tier,
        tierInWords: tierInWords(tier, 'worker', { judged: verifiers.tier !== undefined }),
        state,
        problems: state === 'valid' ? [] : (stateReport?.problems ?? []),
      };
    }),
  );
}

const KIND_HEADING: Record<SkillKind, string> = {
  vocational: 'Vocational skills',
  soft: 'Soft skills',
  qualification: 'Qualifications',
};

const STATE_WORDS: Record<CredentialState, string> = {
  valid: 'valid',
  revoked: 'REVOKED',
  suspended: 'SUSPENDED',
  expired: 'expired',
  'not-yet-valid': 'not yet valid',
  invalid: 'INVALID',
  unavailable: 'status unknown',
  'not-checked': 'not checked',
};

function cell(raw: string, width: number): string {
  const text = neutraliseText(raw);
  return text.length >= width ? `${text.slice(0, width - 2)}… ` : text.padEnd(width);
}

/** The readable `wallet list`: credentials grouped by kind, each with its tier in words and its state. */
export function formatReviewedEntries(
  did: string,
  entries: readonly ReviewedEntry[],
  verifiers: Pick<WalletCheckVerifiers, 'tier' | 'statusChecked' | 'offline'>,
): string {
  const lines = [`Wallet of ${did}: ${entries.length} credential${entries.length === 1 ? '' : 's'}`];
  if (entries.length === 0) return neutraliseLines(lines);
  lines.push(
    `  ${verifiers.statusChecked ? (verifiers.offline ? 'status checked against local lists' : 'status checked online') : 'offline: status not checked'}; ` +
      (verifiers.tier === undefined
        ? 'tiers not judged without a trust registry (--trust <file>); your own statements are recognised'
        : 'tiers judged by the trust registry'),
  );
  for (const kind of SKILL_KINDS) {
    const group = entries.filter((e) => e.kind === kind);
    if (group.length === 0) continue;
    lines.push('');
    lines.push(`${KIND_HEADING[kind]} (${group.length})`);
    lines.push(
      `  ${cell('#', 4)}${cell('skill', 30)}${cell('level', 7)}${cell('who vouches', 34)}${cell('state', 15)}${cell('issuer', 26)}${cell('added', 12)}id`,
    );
    for (const e of group) {
      lines.push(
        `  ${cell(String(e.position), 4)}${cell(e.skill?.name ?? '(unreadable)', 30)}${cell(e.level === null ? '-' : String(e.level), 7)}${cell(e.tierInWords, 34)}${cell(STATE_WORDS[e.state], 15)}${cell(e.issuerName ?? shortDid(e.issuer), 26)}${cell(e.addedAt.slice(0, 10), 12)}${e.id}`,
      );
    }
  }
  const flagged = entries.filter((e) => e.state !== 'valid' && e.state !== 'not-checked');
  if (flagged.length > 0) {
    lines.push('');
    for (const e of flagged) {
      lines.push(`  #${e.position} ${STATE_WORDS[e.state]}: ${e.problems.map((p) => p.code).join(', ')}`);
    }
  }
  return neutraliseLines(lines);
}
