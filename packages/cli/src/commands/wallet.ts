import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isSkillpassError, type SkillAssessment, SkillpassError } from '@skillpass/core';
import {
  createWallet,
  importBackup,
  listDisclosableClaims,
  openWallet,
  type Wallet,
} from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { createVerifier } from '@skillpass/verifier';
import { parseCommandArgs, required } from '../args.js';
import { neutralise } from '../format.js';
import {
  type CliIo,
  EXIT,
  readInput,
  readJsonInput,
  readPassphrase,
  resolvePath,
  UsageError,
} from '../io.js';
import { createWalletCheckVerifiers, WALLET_CHECK_FLAGS, WALLET_CHECK_FLAGS_HELP } from '../verify-flags.js';
import { formatReviewedEntries, reviewWallet } from '../wallet-review.js';
import type { CommandEntry } from './index.js';
import { MATCH_COMMAND_FLAGS, MATCH_COMMAND_HELP, printMatch, readMatchInputs } from './match.js';

/** Environment variable naming the wallet file (default ./wallet.skillpass). */
const WALLET_ENV = 'SKILLPASS_WALLET';
/** Environment variable holding the wallet passphrase. */
const WALLET_PASSPHRASE_ENV = 'SKILLPASS_WALLET_PASSPHRASE';
/** Environment variable holding a backup's own passphrase. */
const BACKUP_PASSPHRASE_ENV = 'SKILLPASS_BACKUP_PASSPHRASE';
/** Environment variable holding the new passphrase for `wallet passwd`. */
const NEW_WALLET_PASSPHRASE_ENV = 'SKILLPASS_NEW_WALLET_PASSPHRASE';

const DEFAULT_WALLET = 'wallet.skillpass';

/** The `--wallet` and `--passphrase-file` flags every wallet command takes. */
export const WALLET_FLAGS = {
  wallet: { type: 'string' },
  'passphrase-file': { type: 'string' },
} as const;

/** Help text for {@link WALLET_FLAGS}. */
export const WALLET_FLAGS_HELP = `  --wallet <file>          the wallet (default: $${WALLET_ENV}, else ./${DEFAULT_WALLET})
  --passphrase-file <file> read the wallet passphrase from a file (default: $${WALLET_PASSPHRASE_ENV})`;

/** The wallet file: `--wallet`, else $SKILLPASS_WALLET, else ./wallet.skillpass. */
function walletPath(flag: string | undefined, io: CliIo): string {
  const chosen = flag ?? io.env[WALLET_ENV];
  return resolvePath(chosen === undefined || chosen === '' ? DEFAULT_WALLET : chosen, io);
}

/** Open the wallet the flags name; a missing file is a usage error (exit 2), a wrong passphrase exit 1. */
export async function openWalletFromFlags(
  values: { wallet?: string | undefined; 'passphrase-file'?: string | undefined },
  io: CliIo,
  options: { allowHttpLocalhost?: boolean } = {},
): Promise<Wallet> {
  const path = walletPath(values.wallet, io);
  if (!existsSync(path)) {
    throw new UsageError(`no wallet at ${path} (run skillpass wallet init)`, { code: 'ERR_NOT_FOUND' });
  }
  const passphrase = await walletPassphrase(values['passphrase-file'], io);
  return openWallet({
    path,
    passphrase,
    ...(options.allowHttpLocalhost
      ? { verifier: createVerifier({ resolverOptions: { allowHttpLocalhost: true } }) }
      : {}),
  });
}

function walletPassphrase(file: string | undefined, io: CliIo): Promise<string> {
  return readPassphrase(io, { file, envVar: WALLET_PASSPHRASE_ENV, what: 'wallet' });
}

/** A backup's own passphrase when one is given (flag or env), else undefined: the wallet's is used. */
async function backupPassphrase(file: string | undefined, io: CliIo): Promise<string | undefined> {
  if (file === undefined && (io.env[BACKUP_PASSPHRASE_ENV] ?? '') === '') return undefined;
  return readPassphrase(io, { file, envVar: BACKUP_PASSPHRASE_ENV, what: 'backup' });
}

const INIT_USAGE = `Usage: skillpass wallet init [--wallet <file>] [--passphrase-file <file>]

Create a wallet: one SQLite file, readable by you only, holding a new did:key (Ed25519, made by
Veramo's key manager) and, later, your credentials. The private key and the credentials are
encrypted with a key derived from your passphrase (scrypt N=2^17, r=8, p=1; AES-256-GCM).
Prints your DID: give it to assessment centres.

${WALLET_FLAGS_HELP}

Exit: 0 created, 1 refused (ERR_ALREADY_EXISTS: the file exists), 2 usage error.`;

async function init(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, WALLET_FLAGS, 0);
  const path = walletPath(values.wallet, io);
  const passphrase = await walletPassphrase(values['passphrase-file'], io);
  const wallet = await createWallet({ path, passphrase });
  try {
    io.stderr(neutralise`created wallet ${path}\n`);
    io.stdout(neutralise`${wallet.did}\n`);
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

const ADD_USAGE = `Usage: skillpass wallet add <file|-> [--wallet <file>] [--passphrase-file <file>] [--allow-http-localhost]

Verify a credential (vc+jwt, VC 1.1 JWT, SD-JWT VC dc+sd-jwt as issued, or a JSON credential
with a Data Integrity proof, ldp_vc) and store it. One token (or one-line JSON credential) per
line, or one JSON credential or array of them over several lines. A credential for someone else (ERR_HOLDER_MISMATCH), a broken one (the verifier's
code) or one already held (ERR_ALREADY_EXISTS) is refused and the wallet is unchanged.
Prints the id of each credential added.

${WALLET_FLAGS_HELP}
  --allow-http-localhost   let did:web issuers be on loopback (localhost, 127.x, [::1]), http too (demos, tests)

Exit: 0 all added, 1 one or more refused (each with its code) or the wallet does not open
(ERR_WALLET_LOCKED), 2 usage or I/O error.`;

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, 'allow-http-localhost': { type: 'boolean' } },
    1,
  );
  const input = positionals[0];
  if (input === undefined) throw new UsageError('name the credential file (or - for standard input)');
  const tokens = credentialsIn(await readInput(input, io));
  if (tokens.length === 0) throw new UsageError(`${input} holds no credential`);
  const wallet = await openWalletFromFlags(values, io, {
    allowHttpLocalhost: values['allow-http-localhost'] === true,
  });
  let refused = 0;
  try {
    for (const [i, token] of tokens.entries()) {
      try {
        const entry = await wallet.addCredential(token);
        io.stderr(
          neutralise`added ${entry.skill?.name ?? entry.id} (${entry.format}, level ${entry.level ?? '-'})\n`,
        );
        io.stdout(neutralise`${entry.id}\n`);
      } catch (err) {
        // Only a SkillpassError is a refusal; anything else is a bug or an I/O failure and stops here.
        if (tokens.length === 1 || !isSkillpassError(err)) throw err;
        refused++;
        io.stderr(neutralise`skillpass: refused credential ${i + 1}: ${err.code}: ${err.message}\n`);
      }
    }
  } finally {
    wallet.close();
  }
  return refused === 0 ? EXIT.OK : EXIT.FAILED;
}

/**
 * The credentials in an input: one token per line (JSON lines too, as `skillpass issue --format
 * ldp_vc` prints them, mixed with tokens), or one JSON credential (or a JSON array of them) over
 * several lines. Text that is neither is handed on whole, so the verifier says what is wrong once.
 */
function credentialsIn(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const first = lines[0]?.[0];
  if (first !== '{' && first !== '[') return lines;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value.map((v) => JSON.stringify(v));
    return [JSON.stringify(value)];
  } catch {
    // JSON lines (each a whole JSON credential), possibly between tokens
  }
  const jsonLines = lines.every((line) => !line.startsWith('{') || isJson(line));
  return jsonLines ? lines : [text.trim()];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const LIST_USAGE = `Usage: skillpass wallet list [--json] [--trust <file>] [--offline] [--status-lists <dir>]
       [--wallet <file>] [--passphrase-file <file>]

List the credentials in the wallet, grouped by kind (vocational skills, soft skills,
qualifications): position (#), skill, level, who vouches for it in words ("assessed by an
accredited centre", "attested by your employer", "your own statement"), whether it still stands
(valid, revoked, suspended, expired, or "not checked" offline), issuer, date added, id.
Each credential is verified again: its status list is fetched (as \`skillpass verify\` does)
unless --offline. The # can stand for the id in skillpass present --only/--disclose.

${WALLET_FLAGS_HELP}
${WALLET_CHECK_FLAGS_HELP}
  --json                   print a JSON array: each stored entry with position, kind, tier,
                           tierInWords, state and the problems behind the state

Exit: 0 (whatever the states), 1 when the wallet does not open (ERR_WALLET_LOCKED), 2 usage
error (also: a trust registry or status list that does not load).`;

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, ...WALLET_CHECK_FLAGS, json: { type: 'boolean' } },
    0,
  );
  const verifiers = await createWalletCheckVerifiers(values, io);
  const wallet = await openWalletFromFlags(values, io);
  try {
    const entries = await reviewWallet(wallet, verifiers);
    if (values.json) io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    else io.stdout(formatReviewedEntries(wallet.did, entries, verifiers));
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

const CLAIM_USAGE = `Usage: skillpass wallet claim --skill <file.json|-> [--name <text>] [--wallet <file>]
       [--passphrase-file <file>]

State a skill yourself: sign a credential for it with your own wallet key (issuer and subject are
your DID) and keep it in the wallet. It is the tier "self" ("your own statement") wherever it is
judged, and never counts above that tier: a vacancy accepts it only where a requirement's minTier
is self. The skill file is an assessment (schemas/skill-assessment.schema.json); without
evidence, it gets one "self-assessment" entry dated today.

  --skill <file>           the skill, level and (optionally) evidence, or - for standard input
  --name <text>            the issuer name shown in the credential (default: "Own statement")
${WALLET_FLAGS_HELP}

Exit: 0 kept (prints its id), 1 refused (ERR_SCHEMA_INVALID: invalid skill file; ERR_WALLET_LOCKED),
2 usage or I/O error.`;

async function claim(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, skill: { type: 'string' }, name: { type: 'string' } },
    0,
  );
  const data = await readJsonInput(required(values.skill, 'skill'), io);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SkillpassError(
      'ERR_SCHEMA_INVALID',
      `${values.skill} is not a skill assessment (a JSON object)`,
    );
  }
  const assessment = { ...(data as Record<string, unknown>) };
  if (assessment.evidence === undefined) {
    assessment.evidence = [{ method: 'self-assessment', assessedOn: new Date().toISOString().slice(0, 10) }];
  }
  const name = values.name ?? 'Own statement';
  if (name.trim() === '') throw new UsageError('--name must not be empty');
  const wallet = await openWalletFromFlags(values, io);
  try {
    const { token } = await issueSkillCredential(assessment as unknown as SkillAssessment, {
      issuer: { did: wallet.did, name },
      subject: wallet.did,
      signingKey: await wallet.signingKey(),
    });
    const entry = await wallet.addCredential(token);
    io.stderr(
      neutralise`kept your own statement: ${entry.skill?.name ?? entry.id} (level ${entry.level ?? '-'}), tier self\n`,
    );
    io.stdout(neutralise`${entry.id}\n`);
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

const MATCH_USAGE = `Usage: skillpass wallet match <vacancy.json> [--catalogue <file>] [--crosswalk <file>]
       [--qualifications <file>] [--trust <file>] [--offline] [--json] [--wallet <file>] [--passphrase-file <file>]

Lay your own wallet beside a vacancy (schemas/vacancy.schema.json), with no employer and no
passport: every credential in the wallet is verified (status looked up as in wallet list, unless
--offline) and matched as \`skillpass match\` matches a passport: per requirement met, below
level, stale, insufficient evidence, unverified or missing, the score and, with --catalogue,
the training plan. Nothing leaves your machine but the status and did:web lookups. Without
--trust, tiers are not judged (the output says so); with it, evidence below a requirement's
minTier is insufficient evidence. See docs/matching.md.

${MATCH_COMMAND_HELP}
${WALLET_FLAGS_HELP}
${WALLET_CHECK_FLAGS_HELP}

Exit: 0 matched (whatever the outcomes), 1 the wallet does not open (ERR_WALLET_LOCKED), 2 usage
or I/O error (also: an invalid vacancy, catalogue, crosswalk or qualification map; a trust
registry or status list that does not load).`;

async function match(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, ...WALLET_CHECK_FLAGS, ...MATCH_COMMAND_FLAGS },
    1,
  );
  const vacancyFile = positionals[0];
  if (vacancyFile === undefined) throw new UsageError('name the vacancy file');
  // Every document is read and checked before the wallet is opened.
  const inputs = await readMatchInputs(vacancyFile, values, io);
  const verifiers = await createWalletCheckVerifiers(values, io);
  const wallet = await openWalletFromFlags(values, io);
  try {
    // A passport for this process alone: its audience and challenge are fresh and never leave it.
    const audience = `urn:skillpass:wallet-match:${randomUUID()}`;
    const challenge = randomUUID();
    const disclose: Record<string, string[]> = {};
    for (const entry of wallet.list()) {
      if (entry.format !== 'dc+sd-jwt') continue;
      // Your own view: every claim of your SD-JWT credentials (the assessment date included).
      disclose[entry.id] = await listDisclosableClaims(wallet.get(entry.id).token);
    }
    const passport = await wallet.createPassport({ audience, challenge, disclose });
    const report = await verifiers.full.verifyPassport(passport, { audience, challenge });
    printMatch(report, inputs, values.json === true, io, { owner: 'worker' });
    if (values.json !== true && !verifiers.statusChecked) {
      io.stdout('  offline: status not checked (a revoked or suspended credential would still count here)\n');
    }
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

const EXPORT_USAGE = `Usage: skillpass wallet export --out <file> [--wallet <file>] [--passphrase-file <file>]
       [--backup-passphrase-file <file>]

Write one encrypted, versioned, integrity-checked backup of the wallet (your key and every
credential): AES-256-GCM under a scrypt key. By default it opens with the wallet passphrase; give a
backup passphrase of its own with $${BACKUP_PASSPHRASE_ENV} or --backup-passphrase-file.

${WALLET_FLAGS_HELP}
  --out <file>                     where to write the backup (replaced atomically if it exists)
  --backup-passphrase-file <file>  a passphrase for the backup alone

Exit: 0 written, 1 the wallet does not open (ERR_WALLET_LOCKED), 2 usage or I/O error.`;

async function exportBackup(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, out: { type: 'string' }, 'backup-passphrase-file': { type: 'string' } },
    0,
  );
  const out = resolvePath(required(values.out, 'out'), io);
  const passphrase = await backupPassphrase(values['backup-passphrase-file'], io);
  const wallet = await openWalletFromFlags(values, io);
  try {
    await wallet.exportBackup(out, passphrase === undefined ? {} : { passphrase });
    io.stderr(
      neutralise`wrote ${out}: ${wallet.list().length} credentials and the key of ${wallet.did}, encrypted with the ${passphrase === undefined ? 'wallet' : 'backup'} passphrase\n`,
    );
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

const IMPORT_USAGE = `Usage: skillpass wallet import <backup> [--wallet <file>] [--passphrase-file <file>]
       [--backup-passphrase-file <file>]

Restore a backup made by skillpass wallet export: into a new wallet (e.g. on another machine), or
into the existing wallet of the same holder (adds the credentials it lacks). The backup is checked
before anything is written; a truncated or altered backup is refused with ERR_BACKUP_INVALID and
an existing wallet is never changed by a failed import.

${WALLET_FLAGS_HELP}
  --backup-passphrase-file <file>  the backup's own passphrase (default: $${BACKUP_PASSPHRASE_ENV},
                                   else the wallet passphrase)

Exit: 0 restored, 1 refused (ERR_BACKUP_INVALID, ERR_WALLET_LOCKED, ERR_HOLDER_MISMATCH), 2 usage error.`;

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, 'backup-passphrase-file': { type: 'string' } },
    1,
  );
  const backup = positionals[0];
  if (backup === undefined) throw new UsageError('name the backup file');
  const path = resolvePath(backup, io);
  if (!existsSync(path)) throw new UsageError(`cannot read ${backup}: ENOENT`, { code: 'ERR_NOT_FOUND' });
  const into = walletPath(values.wallet, io);
  const passphrase = await walletPassphrase(values['passphrase-file'], io);
  const backupPass = (await backupPassphrase(values['backup-passphrase-file'], io)) ?? passphrase;
  const result = await importBackup({ path, backupPassphrase: backupPass, into, passphrase });
  io.stderr(
    result.created
      ? neutralise`restored ${into}: ${result.imported} credentials of ${result.did}\n`
      : neutralise`merged into ${into}: ${result.imported} added, ${result.skipped} already there\n`,
  );
  io.stdout(neutralise`${result.did}\n`);
  return EXIT.OK;
}

const PASSWD_USAGE = `Usage: skillpass wallet passwd [--wallet <file>] [--passphrase-file <file>] [--new-passphrase-file <file>]

Change the wallet passphrase: a new salt and key, and every encrypted value (your private key, your
credentials) re-encrypted in one transaction. Interrupted, the old passphrase still works.

${WALLET_FLAGS_HELP}
  --new-passphrase-file <file>   the new passphrase (default: $${NEW_WALLET_PASSPHRASE_ENV})

Exit: 0 changed, 1 the wallet does not open (ERR_WALLET_LOCKED), 2 usage error.`;

async function passwd(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, 'new-passphrase-file': { type: 'string' } },
    0,
  );
  const next = await readPassphrase(io, {
    file: values['new-passphrase-file'],
    envVar: NEW_WALLET_PASSPHRASE_ENV,
    what: 'new wallet',
  });
  const wallet = await openWalletFromFlags(values, io);
  try {
    await wallet.changePassphrase(next);
    io.stderr(neutralise`changed the passphrase of ${wallet.path}\n`);
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

/** `skillpass wallet init`. */
export const walletInitCommand: CommandEntry = {
  name: 'wallet init',
  summary: 'create your encrypted wallet and DID',
  usage: INIT_USAGE,
  run: init,
};

/** `skillpass wallet add`. */
export const walletAddCommand: CommandEntry = {
  name: 'wallet add',
  summary: 'verify a credential and keep it in your wallet',
  usage: ADD_USAGE,
  run: add,
};

/** `skillpass wallet list`. */
export const walletListCommand: CommandEntry = {
  name: 'wallet list',
  summary: 'list the credentials in your wallet',
  usage: LIST_USAGE,
  run: list,
};

/** `skillpass wallet claim`. */
export const walletClaimCommand: CommandEntry = {
  name: 'wallet claim',
  summary: 'state a skill yourself, signed with your wallet key (tier self)',
  usage: CLAIM_USAGE,
  run: claim,
};

/** `skillpass wallet match`. */
export const walletMatchCommand: CommandEntry = {
  name: 'wallet match',
  summary: 'lay your own wallet beside a vacancy: gaps, score, training plan',
  usage: MATCH_USAGE,
  run: match,
};

/** `skillpass wallet export`. */
export const walletExportCommand: CommandEntry = {
  name: 'wallet export',
  summary: 'write an encrypted backup of your wallet',
  usage: EXPORT_USAGE,
  run: exportBackup,
};

/** `skillpass wallet import`. */
export const walletImportCommand: CommandEntry = {
  name: 'wallet import',
  summary: 'restore a wallet backup',
  usage: IMPORT_USAGE,
  run: importCommand,
};

/** `skillpass wallet passwd`. */
export const walletPasswdCommand: CommandEntry = {
  name: 'wallet passwd',
  summary: 'change your wallet passphrase',
  usage: PASSWD_USAGE,
  run: passwd,
};
