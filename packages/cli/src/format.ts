import {
  type CheckResult,
  type CredentialReport,
  neutraliseText,
  type VerificationReport,
} from '@skillpass/core';

export { neutraliseText };

/**
 * Readable output from lines: each line neutralised ({@link neutraliseText}: a newline, escape
 * sequence or bidi control from input is shown as its visible escape), joined by newlines,
 * ending in one. Every multi-line printer of the CLI returns through this.
 */
export function neutraliseLines(lines: readonly string[]): string {
  return `${lines.map(neutraliseText).join('\n')}\n`;
}

/**
 * A template tag for one-line messages: every substituted value is neutralised
 * ({@link neutraliseText}); the literal parts (ours, which may end in a newline) are kept.
 *
 * @example
 * ```ts
 * io.stderr(neutralise`added ${name} (${format})\n`);
 * ```
 */
export function neutralise(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += neutraliseText(String(value)) + strings[i + 1]!;
  });
  return out;
}

import { tierInWords } from './tiers.js';

const OK = '✓';
const FAIL = '✗';
const SKIP = '–';

/** Shorten a DID for a table cell, keeping its method and both ends. */
export function shortDid(did: string | null, width = 28): string {
  if (did === null) return '(unknown)';
  if (did.length <= width) return did;
  const keep = Math.max(4, Math.floor((width - 3) / 2));
  return `${did.slice(0, keep)}…${did.slice(-keep + 2)}`;
}

function cell(raw: string, width: number): string {
  // Neutralised before it is cut, so the escapes count towards the width.
  const text = neutraliseText(raw);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function checkLine(checks: readonly CheckResult[]): string {
  return checks.map((c) => `${c.name} ${c.skipped ? SKIP : c.ok ? OK : `${FAIL} ${c.code}`}`).join('  ');
}

function credentialOutcome(c: CredentialReport): string {
  if (c.verified) return `${OK} verified`;
  const failed = c.checks.filter((k) => !k.ok);
  return `${FAIL} ${failed.map((k) => `${k.code} (${k.name})`).join(', ')}`;
}

/** The readable report `skillpass verify` prints without --json. */
export function formatReport(report: VerificationReport): string {
  const lines: string[] = [];
  const verdict = report.verified ? `${OK} VERIFIED` : `${FAIL} NOT VERIFIED`;
  if (report.kind === 'passport') {
    lines.push(`Passport of ${report.holder ?? '(unknown holder)'}: ${verdict}`);
    lines.push(`  presentation checks: ${checkLine(report.checks)}`);
  } else {
    lines.push(`Credential (${report.format ?? 'unrecognised format'}): ${verdict}`);
  }
  if (report.credentials.length > 0) {
    lines.push('');
    lines.push(`  ${cell('#', 3)}${cell('skill', 32)}${cell('level', 16)}${cell('issuer', 34)}result`);
    for (const c of report.credentials) {
      const level =
        c.skill?.level == null ? '-' : `${c.skill.level}${c.skill.levelName ? ` ${c.skill.levelName}` : ''}`;
      const issuer = c.issuerName ? `${c.issuerName}` : shortDid(c.issuer);
      lines.push(
        `  ${cell(String(c.index), 3)}${cell(c.skill?.name ?? '(unreadable)', 32)}${cell(level, 16)}${cell(issuer, 34)}${credentialOutcome(c)}`,
      );
      if (c.verified) lines.push(`     tier: ${c.tier} (${tierInWords(c.tier, 'verifier')})`);
      for (const a of c.excludedAlignments ?? []) {
        lines.push(`     not counted: ${a.uri} (${a.code})`);
      }
      if (c.disclosed !== undefined) {
        lines.push(
          `     disclosed: ${c.disclosed.length > 0 ? c.disclosed.join(', ') : 'nothing beyond the skill'}`,
        );
      }
    }
    const skipped = new Set(
      report.credentials.flatMap((c) =>
        c.checks.filter((k) => k.skipped).map((k) => `${k.name}: ${k.message}`),
      ),
    );
    if (skipped.size > 0) {
      lines.push('');
      for (const s of skipped) lines.push(`  note  ${s}`);
    }
  }
  if (report.problems.length > 0) {
    lines.push('');
    lines.push('Problems:');
    for (const p of report.problems) lines.push(`  ${p.code}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
  }
  return neutraliseLines(lines);
}
