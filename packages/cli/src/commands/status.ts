import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createDidResolver } from '@skillpass/core';
import {
  createStatusChecker,
  loadTrustRegistry,
  type StatusChecker,
  type TrustPolicy,
} from '@skillpass/verifier';
import { parseCommandArgs, required } from '../args.js';
import { type CliIo, EXIT, readInput, resolvePath, UsageError } from '../io.js';
import type { CommandEntry } from './index.js';
import { ISSUER_PASSPHRASE_ENV, openIssuerDir } from './issuer.js';

const PUBLISH_USAGE = `Usage: skillpass status publish --issuer <dir> --out <dir> [--passphrase-file <file>]

Sign every status list of the issuer as a BitstringStatusListCredential (vc+jwt, W3C Bitstring
Status List v1.0) and write list n to <out>/<n>. Serve <out> at the issuer's status base URL
(<status-base-url>/<n>) with Content-Type application/vc+jwt; verifiers cache a list for its
ttl (5 minutes by default). Run it again after every revoke/suspend/unsuspend.

Passphrase: ${ISSUER_PASSPHRASE_ENV}, or --passphrase-file <file>.
Exit: 0 written, 2 usage or I/O error.`;

async function publish(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { issuer: { type: 'string' }, out: { type: 'string' }, 'passphrase-file': { type: 'string' } },
    0,
  );
  const out = resolvePath(required(values.out, 'out'), io);
  const issuer = await openIssuerDir(required(values.issuer, 'issuer'), values['passphrase-file'], io);
  try {
    const lists = await issuer.signedStatusLists();
    const files = await issuer.publishStatusLists(out);
    for (const [i, file] of files.entries()) io.stdout(`${file}\t${lists[i]!.purpose}\t${lists[i]!.url}\n`);
    if (files.length === 0) io.stderr('no status lists yet: nothing issued\n');
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

/** Flags of `skillpass verify` that configure the status and trust checks. */
export const SEAM_FLAGS = {
  trust: { type: 'string' },
  'scheme-owner': { type: 'string' },
  'status-lists': { type: 'string' },
  'status-fail-open': { type: 'boolean' },
  'no-status': { type: 'boolean' },
} as const;

/** Help text for {@link SEAM_FLAGS}. */
export const SEAM_FLAGS_HELP = `  --trust <file>           trust registry (JSON, or vc+jwt signed by its scheme owner): adds the trust check
  --scheme-owner <did>     require the registry to be signed by this DID
  --status-lists <dir>     verify status offline against the list files in <dir> (no fetching)
  --status-fail-open       an unreachable status list passes (default: it fails, ERR_STATUS_UNAVAILABLE)
  --no-status              do not check status`;

/**
 * The status checker and trust policy `skillpass verify` builds from {@link SEAM_FLAGS}. Status
 * is checked by default (fetching lists over HTTPS); a registry that does not load throws its
 * SkillpassError (exit 1).
 */
export async function verifierSeams(
  values: {
    trust?: string | undefined;
    'scheme-owner'?: string | undefined;
    'status-lists'?: string | undefined;
    'status-fail-open'?: boolean | undefined;
    'no-status'?: boolean | undefined;
  },
  io: CliIo,
  options: { allowHttpLocalhost?: boolean } = {},
): Promise<{ status?: StatusChecker; trust?: TrustPolicy }> {
  const seams: { status?: StatusChecker; trust?: TrustPolicy } = {};
  if (values['no-status'] !== true) {
    const dir = values['status-lists'];
    seams.status = createStatusChecker({
      onUnavailable: values['status-fail-open'] === true ? 'fail-open' : 'fail-closed',
      allowHttpLocalhost: options.allowHttpLocalhost === true,
      ...(dir === undefined ? {} : { fetch: false as const, lists: readListDir(resolvePath(dir, io)) }),
    });
  }
  if (values.trust !== undefined) {
    // A registry that does not load (bad signature, wrong owner, invalid) is refused with its code.
    seams.trust = await loadTrustRegistry(await readInput(values.trust, io), {
      resolver: createDidResolver({ allowHttpLocalhost: options.allowHttpLocalhost === true }),
      ...(values['scheme-owner'] === undefined ? {} : { schemeOwner: values['scheme-owner'] }),
    });
  } else if (values['scheme-owner'] !== undefined) {
    throw new UsageError('--scheme-owner needs --trust <file>');
  }
  return seams;
}

function readListDir(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new UsageError(
      `cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return names
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile() && !p.endsWith('.tmp'))
    .map((p) => readFileSync(p, 'utf8'));
}
