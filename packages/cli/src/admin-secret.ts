import { randomBytes } from 'node:crypto';
import { type CliIo, readInput, UsageError } from './io.js';

/** Environment variable holding the staff access code of `issuer serve` / `verifier serve`. */
const ADMIN_SECRET_ENV = 'SKILLPASS_ADMIN_SECRET';

/** Shortest staff access code accepted from a file or the environment. */
const MIN_LENGTH = 16;

/** Help text of `--admin-secret-file`, shared by both serve commands. */
export const ADMIN_SECRET_HELP = `  --admin-secret-file <file>
                           the staff access code for the pages (at least ${MIN_LENGTH} characters; or
                           ${ADMIN_SECRET_ENV}). Without either, a one-time code is made
                           and printed on stderr; it is never put in a page`;

/**
 * The staff access code of the pages: from `--admin-secret-file` (one trailing newline dropped),
 * else from {@link ADMIN_SECRET_ENV}, else a fresh random one (printed on stderr by the caller).
 *
 * @throws UsageError for a code shorter than 16 characters.
 */
export async function readAdminSecret(
  file: string | undefined,
  io: CliIo,
): Promise<{ secret: string; generated: boolean }> {
  const given =
    file !== undefined ? (await readInput(file, io)).replace(/\r?\n$/, '') : io.env[ADMIN_SECRET_ENV];
  if (given === undefined || given === '') {
    return { secret: randomBytes(24).toString('base64url'), generated: true };
  }
  if (given.length < MIN_LENGTH) {
    throw new UsageError(`the staff access code must have at least ${MIN_LENGTH} characters`);
  }
  return { secret: given, generated: false };
}

/** Tell the operator where the pages are and, for a generated code, the code (stderr only). */
export function announcePages(io: CliIo, url: string, admin: { secret: string; generated: boolean }): void {
  io.stderr(`staff pages at ${url}/\n`);
  if (admin.generated) io.stderr(`staff access code (this run only): ${admin.secret}\n`);
}
