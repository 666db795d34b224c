import { parseCommandArgs, required } from '../args.js';
import { neutralise } from '../format.js';
import { type CliIo, EXIT, resolvePath } from '../io.js';
import type { CommandEntry } from './index.js';
import { ISSUER_PASSPHRASE_ENV, ISSUER_STORE_HELP, openIssuerDir } from './issuer.js';

const PUBLISH_USAGE = `Usage: skillpass status publish --out <dir> [--issuer <dir|file>] [--passphrase-file <file>]

Sign every status list of the issuer as a BitstringStatusListCredential (vc+jwt, W3C Bitstring
Status List v1.0) and write list n to <out>/<n>; sign every IETF Token Status List (the
status.status_list of dc+sd-jwt credentials) as a statuslist+jwt and write it to <out>/token/<n>.
Serve <out> at the issuer's status base URL (<status-base-url>/<n> with Content-Type
application/vc+jwt, <status-base-url>/token/<n> with application/statuslist+jwt); verifiers
cache a list for its ttl (5 minutes by default). Run it again after every
revoke/suspend/unsuspend. Prints one line per file: path, purpose (revocation, suspension or
token), URL.

  --out <dir>              where to write the lists (created if missing)
${ISSUER_STORE_HELP}

Passphrase: ${ISSUER_PASSPHRASE_ENV}, or --passphrase-file <file>.
Exit: 0 written, 1 refused (ERR_STORE_LOCKED: wrong passphrase), 2 usage or I/O error.`;

async function publish(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { issuer: { type: 'string' }, out: { type: 'string' }, 'passphrase-file': { type: 'string' } },
    0,
  );
  const out = resolvePath(required(values.out, 'out'), io);
  const issuer = await openIssuerDir(values.issuer, values['passphrase-file'], io);
  try {
    const lists = [
      ...(await issuer.signedStatusLists()),
      ...(await issuer.signedTokenStatusLists()).map((l) => ({ ...l, purpose: 'token' })),
    ];
    const files = await issuer.publishStatusLists(out);
    for (const [i, file] of files.entries())
      io.stdout(neutralise`${file}\t${lists[i]!.purpose}\t${lists[i]!.url}\n`);
    if (files.length === 0) {
      io.stderr(
        issuer.profile.statusBaseUrl === undefined
          ? 'this issuer was created without status lists: nothing to publish\n'
          : 'no status lists yet: nothing issued\n',
      );
    }
  } finally {
    issuer.close();
  }
  return EXIT.OK;
}

/** `skillpass status publish`. */
export const statusPublishCommand: CommandEntry = {
  name: 'status publish',
  summary: 'write the signed status lists as static files',
  usage: PUBLISH_USAGE,
  run: publish,
};
