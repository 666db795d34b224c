import {
  answerPresentationRequest,
  declinePresentationRequest,
  describePresentationRequest,
  resolvePresentationRequest,
  type Wallet,
} from '@skillpass/holder';
import { parseCommandArgs, required } from '../args.js';
import { neutralise } from '../format.js';
import { type CliIo, EXIT, UsageError } from '../io.js';
import type { CommandEntry } from './index.js';
import { openWalletFromFlags, WALLET_FLAGS, WALLET_FLAGS_HELP } from './wallet.js';

const USAGE = `Usage: skillpass present --request <openid4vp-uri> [--disclose <credential>=<claim,...>]... [--only <ids>]
       [--yes] [--wallet <file>] [--passphrase-file <file>] [--allow-http-localhost]
       skillpass present --audience <A> --challenge <C> [--only <ids>]
       [--disclose <credential>=<claim,...>]... [--expires-in <seconds>] [--wallet <file>] [--passphrase-file <file>]

With --request: answer an employer's OpenID4VP 1.0 request (the openid4vp:// link or QR code).
The request object is fetched and its signature checked against the key its client id names
(a DID, or an x509 certificate for its DNS name); then you see who asks for what (the DCQL query
in words) and which of your credentials answer it. SD-JWT credentials reveal what the employer
asked for plus what you add with --disclose; W3C credentials are shown whole, in a presentation
signed by you for this employer and this request only (a VP JWT; for ldp_vc a Verifiable
Presentation with a Data Integrity proof). Nothing is sent until you confirm (or
pass --yes); declining tells the employer access_denied. Exit 0 accepted, 1 refused or declined.

Build and sign a passport (vp+jwt) for one employer and print it. It is bound to the employer
(--audience, the JWT aud) and to the challenge they gave you (--challenge, the nonce), so it
cannot be replayed elsewhere.

SD-JWT credentials (dc+sd-jwt) show only the skill and its level unless you disclose more, per
credential: --disclose <credential>=score,assessor,assessedOn,evidence,dateOfBirth (or exact paths
such as evidence.0.score). Each SD-JWT also gets a key-binding JWT for this audience and challenge.
vc+jwt credentials are always shown whole. <credential> and --only take credential ids or the #
shown by skillpass wallet list.

  --request <uri>          answer this openid4vp:// request (fetched over https)
  --yes                    send without asking
  --allow-http-localhost   fetch the request and post the answer over http on 127.0.0.1/localhost (demos, tests)
  --audience <A>           the employer's identifier (their domain or DID)
  --challenge <C>          the challenge the employer issued
  --only <ids>             comma-separated credentials to include (default: all); may repeat
  --disclose <c>=<claims>  reveal these claims of SD-JWT credential <c>; may repeat
  --expires-in <seconds>   passport lifetime (default 600)
${WALLET_FLAGS_HELP}

Exit: 0 printed (--request: accepted by the employer), 1 refused (ERR_WALLET_LOCKED, ERR_NOT_FOUND;
--request: ERR_REQUEST_INVALID, ERR_QUERY_NOT_SATISFIED, ERR_RESPONSE_REFUSED, or declined), 2 usage error
(also: a claim that cannot be disclosed, or --disclose for a vc+jwt credential).`;

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
      request: { type: 'string' },
      yes: { type: 'boolean' },
      'allow-http-localhost': { type: 'boolean' },
    },
    0,
  );
  if (values.request !== undefined) return answerRequest(values, io);
  const audience = required(values.audience, 'audience');
  const challenge = required(values.challenge, 'challenge');
  const expires = values['expires-in'];
  if (expires !== undefined && !/^[1-9]\d{0,6}$/.test(expires)) {
    throw new UsageError('--expires-in is a number of seconds');
  }
  const wallet = await openWalletFromFlags(values, io);
  try {
    const ids = wallet.list().map((e) => e.id);
    const { only, disclose } = selection(values, ids);
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

/** `--only` and `--disclose`, with credential references resolved to ids. */
function selection(
  values: { only?: string[] | undefined; disclose?: string[] | undefined },
  ids: readonly string[],
): { only: string[] | undefined; disclose: Record<string, string[]> } {
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
  return { only, disclose };
}

/** `present --request`: resolve, show, confirm, answer. */
async function answerRequest(
  values: {
    request?: string | undefined;
    only?: string[] | undefined;
    disclose?: string[] | undefined;
    yes?: boolean | undefined;
    wallet?: string | undefined;
    'passphrase-file'?: string | undefined;
    'allow-http-localhost'?: boolean | undefined;
    audience?: string | undefined;
    challenge?: string | undefined;
    'expires-in'?: string | undefined;
  },
  io: CliIo,
): Promise<number> {
  for (const flag of ['audience', 'challenge', 'expires-in'] as const) {
    if (values[flag] !== undefined)
      throw new UsageError(`--${flag} does not go with --request (the request sets it)`);
  }
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  if (values.yes !== true && io.prompt === undefined) {
    throw new UsageError('nobody can confirm at a terminal: pass --yes to send without asking');
  }
  const wallet = await openWalletFromFlags(values, io, { allowHttpLocalhost });
  try {
    const ids = wallet.list().map((e) => e.id);
    const { only, disclose } = selection(values, ids);
    const request = await resolvePresentationRequest(values.request!, wallet, { allowHttpLocalhost });
    for (const line of describePresentationRequest(request)) io.stderr(neutralise`${line}\n`);
    if (values.yes !== true) {
      const answer = (await io.prompt!('Send these credentials? [y/N] ')).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') {
        await declinePresentationRequest(request, { allowHttpLocalhost });
        io.stderr('declined: the employer was told access_denied\n');
        io.stdout('declined\n');
        return EXIT.FAILED;
      }
    }
    const outcome = await answerPresentationRequest(wallet, request, {
      disclose,
      allowHttpLocalhost,
      ...(only !== undefined ? { only } : {}),
    });
    for (const [queryId, id] of Object.entries(outcome.presented)) {
      const entry = wallet.list().find((e) => e.id === id);
      io.stderr(neutralise`  sent ${entry?.skill?.name ?? id} (${entry?.format ?? '?'}) for ${queryId}\n`);
    }
    if (outcome.accepted) {
      io.stdout('accepted\n');
      return EXIT.OK;
    }
    io.stderr(
      neutralise`skillpass: ${outcome.error?.code ?? 'ERR_RESPONSE_REFUSED'}: the employer refused the answer (${outcome.error?.error}: ${outcome.error?.description ?? ''})\n`,
    );
    io.stdout(neutralise`refused ${outcome.error?.code ?? 'ERR_RESPONSE_REFUSED'}\n`);
    return EXIT.FAILED;
  } finally {
    wallet.close();
  }
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
