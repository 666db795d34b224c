import type { CheckName, CheckResult, CredentialFormat, CredentialReport, Problem } from '@skillpass/core';

/** Collects named check outcomes and their problems, in the order the checks ran. */
export class CheckRecorder {
  readonly checks: CheckResult[] = [];
  readonly problems: Problem[] = [];

  /** Record a check that ran: passed when `problems` is empty. */
  record(name: CheckName, problems: readonly Problem[], message?: string): boolean {
    const first = problems[0];
    if (first === undefined) {
      this.checks.push(message === undefined ? { name, ok: true } : { name, ok: true, message });
      return true;
    }
    this.checks.push({ name, ok: false, code: first.code, message: first.message });
    this.problems.push(...problems);
    return false;
  }

  /** Record a check that did not run, and why. It neither passes nor fails the credential. */
  skip(name: CheckName, message: string): void {
    this.checks.push({ name, ok: true, skipped: true, message });
  }

  /** True when no recorded check failed. */
  get ok(): boolean {
    return this.problems.length === 0;
  }
}

/**
 * A credential report before any check has run: not verified, nothing known yet. Its `checks`
 * and `problems` are the recorder's own arrays, so what the recorder records shows in the report.
 */
export function emptyCredentialReport(
  index: number,
  format: CredentialFormat | null,
  rec: CheckRecorder,
): CredentialReport {
  return {
    index,
    id: null,
    format,
    verified: false,
    issuer: null,
    subject: null,
    skill: null,
    validFrom: null,
    validUntil: null,
    tier: 'unknown',
    checks: rec.checks,
    problems: rec.problems,
  };
}
