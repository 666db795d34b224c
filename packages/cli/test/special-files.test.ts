// Issue 14, section 4 (first half): files that are not what they seem, replayed against the
// built CLI in a child process (a hang or an unhandled EPIPE only shows in a real process).
// Each run must end, with its stable code, within the child timeout, and leave the planted
// special file as it was.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, CLI_BIN, ensureBuilt, runBin, runChild } from '../../../test-support/child.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

const SECTOR = fileURLToPath(new URL('../../../examples/metal-sector/', import.meta.url));
const vacancyFile = join(SECTOR, 'vacancy-cnc-machinist.json');
const dir = mkdtempSync(join(tmpdir(), 'skillpass-special-'));
const TIMEOUT = 60_000;

function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** The planted FIFO is still a FIFO: nothing opened it for writing or replaced it. */
function expectStillFifo(path: string): void {
  expect(lstatSync(path).isFIFO()).toBe(true);
}

let passportFile: string;

beforeAll(async () => {
  ensureBuilt();
  const centre = makeIdentity();
  const worker = makeIdentity();
  const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
    issuer: { did: centre.did, name: 'Metal Centre' },
    subject: worker.did,
    signingKey: centre.signingKey,
  });
  passportFile = join(dir, 'passport.jwt');
  writeFileSync(
    passportFile,
    await createPassport({ holder: worker, credentials: [token], audience: 'A', challenge: 'C' }),
  );
}, 300_000);

describe('a FIFO where a file is expected ends the command with a code, never a hang', () => {
  it('rank: a FIFO in the pool directory is a failed entry (ERR_NOT_FOUND), the rest is ranked', async () => {
    const pool = join(dir, 'pool');
    mkdirSync(pool);
    writeFileSync(join(pool, 'a.jwt'), execFileSync('cat', [passportFile]));
    const planted = fifo(join(pool, 'b.jwt'));
    const before = readdirSync(pool);
    const run = await runBin(['rank', vacancyFile, pool, '--audience', 'A', '--challenge', 'C', '--json'], {
      timeoutMs: TIMEOUT,
    });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.passports.find((p: { file: string }) => p.file === 'b.jwt')).toMatchObject({
      excluded: 'failed',
      codes: ['ERR_NOT_FOUND'],
    });
    expect(out.candidates).toHaveLength(1);
    expectStillFifo(planted);
    expect(readdirSync(pool)).toEqual(before);
  });

  it('--status-lists: a FIFO among the lists is refused with ERR_NOT_FOUND (exit 2)', async () => {
    const lists = join(dir, 'lists');
    mkdirSync(lists);
    const planted = fifo(join(lists, '1'));
    const run = await runBin(
      ['verify', passportFile, '--audience', 'A', '--challenge', 'C', '--status-lists', lists],
      {
        timeoutMs: TIMEOUT,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('skillpass: ERR_NOT_FOUND:');
    expectStillFifo(planted);
  });

  it('wallet import: a FIFO as the backup is refused with ERR_BACKUP_INVALID, no wallet created', async () => {
    const planted = fifo(join(dir, 'backup.fifo'));
    const wallet = join(dir, 'imported.sqlite');
    const run = await runBin(['wallet', 'import', planted, '--wallet', wallet], {
      timeoutMs: TIMEOUT,
      env: { ...baseEnv(), SKILLPASS_WALLET_PASSPHRASE: 'correct horse battery staple' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('skillpass: ERR_BACKUP_INVALID:');
    expectStillFifo(planted);
    expect(readdirSync(dir).filter((n) => n.startsWith('imported'))).toEqual([]);
  });
});

describe('a reader that closes early is a normal end', () => {
  it('rank … --json | head -c 10 ends silently, with the command’s own exit code', async () => {
    // Enough output to overflow the pipe after head has gone: 1,500 entries in the JSON.
    const pool = join(dir, 'big-pool');
    mkdirSync(pool);
    for (let i = 0; i < 1500; i++) writeFileSync(join(pool, `junk-${String(i).padStart(4, '0')}.jwt`), 'x');
    const script = `"${process.execPath}" "${CLI_BIN}" rank "${vacancyFile}" "${pool}" --json | head -c 10; exit "\${PIPESTATUS[0]}"`;
    const run = await runChild('bash', ['-c', script], { timeoutMs: TIMEOUT });
    expect(run.stdout).toHaveLength(10);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
