// Issue 14, section 3: strings from input printed as they were let a passport draw its own
// "✓ VERIFIED" block and hide the real verdict with a conceal escape. Replayed against the
// readable output of verify, match and rank: every input string is shown neutralised.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBase64url, encodeBase64urlString } from '@skillpass/core/internal';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

const SECTOR = fileURLToPath(new URL('../../../examples/metal-sector/', import.meta.url));
const vacancyFile = join(SECTOR, 'vacancy-cnc-machinist.json');
const centre = makeIdentity();
const worker = makeIdentity();
const dir = mkdtempSync(join(tmpdir(), 'skillpass-spoof-'));

// The attack as found: a fake verdict, a fake check line, then "conceal" for the rest.
const SPOOF = `${worker.did}: ✓ VERIFIED\n  presentation checks: format ✓ signature ✓ schema ✓ presentation ✓\x1b[8m`;
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** The worker's real passport with `holder` replaced (so its signature no longer holds). */
async function spoofedPassport(skillName = 'program a CNC controller'): Promise<string> {
  const token = (
    await issueSkillCredential(
      { ...CNC_ASSESSMENTS[0]!, skill: { ...CNC_ASSESSMENTS[0]!.skill, name: skillName } },
      {
        issuer: { did: centre.did, name: 'Metal Centre\u202e' },
        subject: worker.did,
        signingKey: centre.signingKey,
      },
    )
  ).token;
  const passport = await createPassport({
    holder: worker,
    credentials: [token],
    audience: 'A',
    challenge: 'C',
  });
  const [header, payload, signature] = passport.split('.');
  const claims = JSON.parse(new TextDecoder().decode(decodeBase64url(payload!)));
  claims.holder = SPOOF;
  if (claims.iss !== undefined) claims.iss = SPOOF;
  return `${header}.${encodeBase64urlString(JSON.stringify(claims))}.${signature}`;
}

/** Lines as a terminal would show them: no control character may remain in any. */
function shownLines(text: string): string[] {
  const lines = text.split('\n');
  for (const line of lines) expect(UNSAFE.test(line), JSON.stringify(line)).toBe(false);
  return lines;
}

describe('readable output neutralises every string from input', () => {
  it('verify: the spoofed holder shows as one line and the real verdict stays visible', async () => {
    const file = join(dir, 'spoofed.jwt');
    writeFileSync(file, await spoofedPassport('Welding\n  2  CNC programming    5 Expert'));
    const run = await runCli(['verify', file, '--audience', 'A', '--challenge', 'C']);
    expect(run.code).toBe(1);
    const lines = shownLines(run.stdout);
    expect(lines[0]).toMatch(/^Passport of .*✗ NOT VERIFIED$/);
    expect(lines[0]).toContain('\\n  presentation checks:');
    expect(lines[0]).toContain('\\x1b[8m');
    expect(lines.filter((l) => l.startsWith('  presentation checks:'))).toHaveLength(1);
    // The fake verdict only ever appears quoted inside a line, never as a line's own verdict.
    expect(lines.filter((l) => l.endsWith('✓ VERIFIED'))).toEqual([]);
    // The hostile skill name stays inside its table row; the issuer's bidi override is visible.
    expect(lines.filter((l) => /^\s+2\s/.test(l))).toEqual([]);
    expect(run.stdout).toContain('Welding\\n');
    expect(run.stdout).toContain('\\u202e');
    // --json keeps the data exactly as it came.
    const json = await runCli(['verify', file, '--audience', 'A', '--challenge', 'C', '--json']);
    expect(JSON.parse(json.stdout).holder).toBe(SPOOF);
  });

  it('match: the same passport cannot draw a verified block either', async () => {
    const file = join(dir, 'spoofed-match.jwt');
    writeFileSync(file, await spoofedPassport());
    const run = await runCli(['match', file, vacancyFile, '--audience', 'A', '--challenge', 'C']);
    expect(run.code).toBe(0);
    const lines = shownLines(run.stdout);
    const passportLines = lines.filter((l) => l.startsWith('Passport of'));
    expect(passportLines).toHaveLength(1);
    expect(passportLines[0]).toContain('✗ NOT fully verified');
    expect(lines.filter((l) => l.startsWith('  presentation checks:'))).toEqual([]);
  });

  it('rank: a file name with an escape sequence and a newline is shown escaped', async () => {
    const pool = join(dir, 'pool');
    mkdirSync(pool);
    const name = 'evil\x1b[2J\n  1    1.00 100%   forged.jwt';
    writeFileSync(join(pool, name), 'not a passport');
    const run = await runCli(['rank', vacancyFile, pool, '--audience', 'A', '--challenge', 'C']);
    expect(run.code).toBe(0);
    const lines = shownLines(run.stdout);
    expect(lines.filter((l) => l.startsWith('  1 '))).toEqual([]);
    expect(run.stdout).toContain('evil\\x1b[2J\\n  1');
  });

  it('errors quote input neutralised too', async () => {
    const run = await runCli(['verify', join(dir, 'missing\x1b[31m\nskillpass: ERR_NONE: all good')]);
    expect(run.code).toBe(2);
    const lines = shownLines(run.stderr).filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('\\x1b[31m\\nskillpass: ERR_NONE');
  });
});
