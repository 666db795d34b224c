import type { Wallet } from '@skillpass/holder';
import { parseCommandArgs, required } from '../args.js';
import { neutralise } from '../format.js';
import { type CliIo, EXIT, UsageError } from '../io.js';
import type { CommandEntry } from './index.js';
import { openWalletFromFlags, WALLET_FLAGS, WALLET_FLAGS_HELP } from './wallet.js';

const USAGE = `Usage: skillpass present --audience <A> --challenge <C> [--only <ids>]
       [--disclose <credential>=<claim,...>]... [--expires-in <seconds>] [--wallet <file>] [--passphrase-file <file>]

Build and sign a passport (vp+jwt) for one employer and print it. It is bound to the employer
(--audience, the JWT aud) and to the challenge they gave you (--challenge, the nonce), so it
cannot be replayed elsewhere.

SD-JWT credentials (dc+sd-jwt) show only the skill and its level unless you disclose more, per
credential: --disclose <credential>=score,assessor,assessedOn,evidence,dateOfBirth (or exact paths
such as evidence.0.score). Each SD-JWT also gets a key-binding JWT for this audience and challenge.
vc+jwt credentials are always shown whole. <credential> and --only take credential ids or the #
shown by skillpass wallet list.

  --audience <A>           the employer's identifier (their domain or DID)
  --challenge <C>          the challenge the employer issued
  --only <ids>             comma-separated credentials to include (default: all); may repeat
  --disclose <c>=<claims>  reveal these claims of SD-JWT credential <c>; may repeat
  --expires-in <seconds>   passport lifetime (default 600)
${WALLET_FLAGS_HELP}

Exit: 0 printed, 1 refused (ERR_WALLET_LOCKED, ERR_NOT_FOUND), 2 usage error (also: a claim that
cannot be disclosed, or --disclose for a vc+jwt credential).`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...WALLET_FLAGS,
      audience: { type: 'string' },
      challenge: { type: 'string' },
      only: { type: 'string', multiple: true },
      disclose: { type: 'string', multiple: true },
      'expires-in': { type: 'string' },
    },
    0,
  );
  const audience = required(values.audience, 'audience');
  const challenge = required(values.challenge, 'challenge');
  const expires = values['expires-in'];
  if (expires !== undefined && !/^[1-9]\d{0,6}$/.test(expires)) {
    throw new UsageError('--expires-in is a number of seconds');
  }
  const wallet = await openWalletFromFlags(values, io);
  try {
    const ids = wallet.list().map((e) => e.id);
    const only = values.only
      ?.flatMap((list) => list.split(','))
      .filter((s) => s !== '')
      .map((ref) => idOf(ref, ids));
    const disclose: Record<string, string[]> = {};
    for (const spec of values.disclose ?? []) {
      const at = spec.lastIndexOf('=');
      if (at <= 0) throw new UsageError(`--disclose ${spec}: expected <credential>=<claim,...>`);
      const id = idOf(spec.slice(0, at), ids);
      const claims = spec
        .slice(at + 1)
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      if (claims.length === 0) throw new UsageError(`--disclose ${spec}: name at least one claim`);
      disclose[id] = [...(disclose[id] ?? []), ...claims];
    }
    const passport = await wallet.createPassport({
      audience,
      challenge,
      ...(only !== undefined ? { only } : {}),
      disclose,
      ...(expires !== undefined ? { expiresInSeconds: Number(expires) } : {}),
    });
    describe(wallet, only ?? ids, disclose, audience, io);
    io.stdout(neutralise`${passport}\n`);
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

/** A credential id, or the 1-based position `skillpass wallet list` shows. */
function idOf(ref: string, ids: readonly string[]): string {
  if (/^\d+$/.test(ref)) {
    const id = ids[Number(ref) - 1];
    if (id === undefined)
      throw new UsageError(`there is no credential #${ref} (the wallet holds ${ids.length})`);
    return id;
  }
  return ref;
}

/** Tell the worker, on stderr, what the employer will see. */
function describe(
  wallet: Wallet,
  ids: readonly string[],
  disclose: Record<string, string[]>,
  audience: string,
  io: CliIo,
): void {
  const entries = wallet.list();
  io.stderr(neutralise`passport for ${audience}:\n`);
  for (const id of ids) {
    const entry = entries.find((e) => e.id === id);
    if (entry === undefined) continue;
    const shown =
      entry.format === 'dc+sd-jwt'
        ? disclose[id] === undefined
          ? 'skill and level only'
          : `skill, level and ${disclose[id]!.join(', ')}`
        : 'the whole credential';
    io.stderr(neutralise`  ${entry.skill?.name ?? id} (${entry.format}): ${shown}\n`);
  }
}

/** `skillpass present`. */
export const presentCommand: CommandEntry = {
  name: 'present',
  summary: 'build a passport for one employer, revealing only what you choose',
  usage: USAGE,
  run,
};
