import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDidResolver,
  type DidResolver,
  isSkillpassError,
  parseCompactJws,
  type VerificationReport,
} from '@skillpass/core';
import { parseJsonObject } from '@skillpass/core/internal';
import {
  createNetworkDidResolver,
  createStatusChecker,
  createVerifier,
  isPassportToken,
  loadTrustRegistry,
  type StatusChecker,
  type TrustPolicy,
  type Verifier,
} from '@skillpass/verifier';
import { positiveInteger } from './args.js';
import { type CliIo, MAX_INPUT_BYTES, readInput, readInputBounded, resolvePath, UsageError } from './io.js';

/** The flags of `skillpass verify` that `match` and `rank` share: one verifier set-up for all three. */
export const VERIFY_FLAGS = {
  audience: { type: 'string' },
  challenge: { type: 'string' },
  'max-age': { type: 'string' },
  'allow-http-localhost': { type: 'boolean' },
  trust: { type: 'string' },
  'scheme-owner': { type: 'string' },
  'status-lists': { type: 'string' },
  'status-fail-open': { type: 'boolean' },
  'no-status': { type: 'boolean' },
} as const;

/** Help text for {@link VERIFY_FLAGS}. */
export const VERIFY_FLAGS_HELP = `  --audience A             the verifier identifier the passport (or a lone SD-JWT's key binding)
                           must be addressed to (aud)
  --challenge C            the challenge the verifier issued (nonce)
  --max-age <seconds>      oldest passport accepted, from its iat (default 3600)
  --allow-http-localhost   let did:web and status lists come from loopback (localhost, 127.x, [::1]), http too (demos, tests)
  --trust <file>           trust registry (JSON, or vc+jwt signed by its scheme owner): adds the trust check
  --scheme-owner <did>     require the registry to be signed by this DID
  --status-lists <dir>     verify status offline against the list files in <dir> (no fetching):
                           vc+jwt lists, or JSON lists with a Data Integrity proof
  --status-fail-open       an unreachable status list passes (default: it fails, ERR_STATUS_UNAVAILABLE)
  --no-status              do not check status`;

/** The values of {@link VERIFY_FLAGS} after parsing. */
export interface VerifyFlagValues {
  audience?: string | undefined;
  challenge?: string | undefined;
  'max-age'?: string | undefined;
  'allow-http-localhost'?: boolean | undefined;
  trust?: string | undefined;
  'scheme-owner'?: string | undefined;
  'status-lists'?: string | undefined;
  'status-fail-open'?: boolean | undefined;
  'no-status'?: boolean | undefined;
}

/** A verifier configured from {@link VERIFY_FLAGS}, with the flags' audience, challenge and max age applied. */
export interface FlagVerifier {
  /**
   * Verify a passport, or a lone credential. For a lone SD-JWT, --audience/--challenge apply to
   * its key-binding JWT (then required), so one bound to another employer does not verify here.
   */
  verify(token: string): Promise<VerificationReport>;
  /** Verify `token` as a passport whatever it is: anything else fails with the verifier's code. */
  verifyPassport(token: string): Promise<VerificationReport>;
}

/**
 * Build the verifier `verify`, `match` and `rank` use from their shared flags. Status is checked
 * by default (lists fetched over HTTPS). Without --audience/--challenge a passport's are not
 * checked (the report says so). A registry or status list file that does not load is a
 * {@link UsageError} (exit 2) carrying its code and problems.
 */
export async function createFlagVerifier(values: VerifyFlagValues, io: CliIo): Promise<FlagVerifier> {
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  const maxAgeSeconds = positiveInteger(values['max-age'], 'max-age', 3600);
  const verifier = createVerifier({
    resolverOptions: { allowHttpLocalhost },
    ...(await verifierSeams(values, io, allowHttpLocalhost)),
  });
  const passportOptions = {
    ...(values.audience !== undefined ? { audience: values.audience } : { allowAnyAudience: true }),
    ...(values.challenge !== undefined ? { challenge: values.challenge } : { allowAnyChallenge: true }),
    maxAgeSeconds,
  };
  const credentialOptions = {
    ...(values.audience !== undefined ? { audience: values.audience } : {}),
    ...(values.challenge !== undefined ? { challenge: values.challenge } : {}),
  };
  return {
    verify: (token) =>
      isPassportToken(token)
        ? verifier.verifyPassport(token, passportOptions)
        : verifier.verifyCredential(token, credentialOptions),
    verifyPassport: (token) => verifier.verifyPassport(token, passportOptions),
  };
}

/**
 * The verifier and DID resolver the shared flags describe (status, trust, loopback), for
 * commands that verify on their own terms (the OpenID4VP verifier service).
 */
export async function createVerifierFromFlags(
  values: VerifyFlagValues,
  io: CliIo,
): Promise<{ verifier: Verifier; resolver: DidResolver }> {
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  const resolver = createNetworkDidResolver({ allowHttpLocalhost });
  const verifier = createVerifier({ resolver, ...(await verifierSeams(values, io, allowHttpLocalhost)) });
  return { verifier, resolver };
}

/** The flags with which a worker checks their own wallet (`wallet list`, `wallet match`). */
export const WALLET_CHECK_FLAGS = {
  trust: { type: 'string' },
  'scheme-owner': { type: 'string' },
  offline: { type: 'boolean' },
  'status-lists': { type: 'string' },
  'allow-http-localhost': { type: 'boolean' },
} as const;

/** Help text for {@link WALLET_CHECK_FLAGS}. */
export const WALLET_CHECK_FLAGS_HELP = `  --trust <file>           trust registry (JSON, or vc+jwt signed by its scheme owner): judges who
                           vouches for each credential (an accredited centre, a registered
                           employer); without it only your own statements are recognised
  --scheme-owner <did>     require the registry to be signed by this DID
  --offline                send nothing over the network: status is "not checked" (unless
                           --status-lists), and a did:web issuer cannot be checked
  --status-lists <dir>     check status against the list files in <dir> (no fetching): vc+jwt
                           lists, or JSON lists with a Data Integrity proof
  --allow-http-localhost   let did:web and status lists come from loopback (demos, tests)`;

/** The values of {@link WALLET_CHECK_FLAGS} after parsing. */
export interface WalletCheckFlagValues {
  trust?: string | undefined;
  'scheme-owner'?: string | undefined;
  offline?: boolean | undefined;
  'status-lists'?: string | undefined;
  'allow-http-localhost'?: boolean | undefined;
}

/** The verifiers a worker's own wallet check uses, and what they could check. */
export interface WalletCheckVerifiers {
  /** Signature, validity and status (no trust check): whether each credential still stands. */
  state: Verifier;
  /** The trust check (no status): who vouches for each credential; undefined without --trust. */
  tier: Verifier | undefined;
  /** Every check at once (status and, with --trust, trust), as a passport is verified for matching. */
  full: Verifier;
  /** False when status is not looked up (offline without lists). */
  statusChecked: boolean;
  /** True with --offline: nothing leaves the machine. */
  offline: boolean;
}

/**
 * The verifiers of {@link WALLET_CHECK_FLAGS}. Online (the default) status lists and did:web
 * documents are fetched through the outbound door; `--offline` resolves did:key only and looks
 * status up in `--status-lists` when given, never over the network.
 */
export async function createWalletCheckVerifiers(
  values: WalletCheckFlagValues,
  io: CliIo,
): Promise<WalletCheckVerifiers> {
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  const offline = values.offline === true;
  const resolver = offline ? createDidResolver() : createNetworkDidResolver({ allowHttpLocalhost });
  const statusChecked = !offline || values['status-lists'] !== undefined;
  const statusSeams = await verifierSeams(
    {
      'status-lists': values['status-lists'],
      'no-status': !statusChecked,
      'allow-http-localhost': allowHttpLocalhost,
    },
    io,
    allowHttpLocalhost,
  );
  const trustSeams =
    values.trust === undefined
      ? undefined
      : await verifierSeams(
          { trust: values.trust, 'scheme-owner': values['scheme-owner'], 'no-status': true },
          io,
          allowHttpLocalhost,
          resolver,
        );
  if (values.trust === undefined && values['scheme-owner'] !== undefined) {
    throw new UsageError('--scheme-owner needs --trust <file>');
  }
  return {
    state: createVerifier({ resolver, ...statusSeams }),
    tier: trustSeams === undefined ? undefined : createVerifier({ resolver, ...trustSeams }),
    full: createVerifier({
      resolver,
      ...statusSeams,
      ...(trustSeams === undefined ? {} : { trust: trustSeams.trust }),
    }),
    statusChecked,
    offline,
  };
}

/**
 * Read a token argument for verification. Unreadable is a usage error (exit 2). An oversized
 * input is not: only its first bytes are read (memory stays bounded) and handed on as they are,
 * longer than any token the verifier accepts, so the report says ERR_INPUT_TOO_LARGE (exit 1).
 */
export async function readToken(path: string, io: CliIo): Promise<string> {
  // MAX_INPUT_BYTES (4 MiB) is above LIMITS.maxPassportBytes (2 MiB): a truncated read is always refused.
  const { text, truncated } = await readInputBounded(path, io, MAX_INPUT_BYTES);
  // Not trimmed when truncated: trimming could bring an oversized input under the limit.
  return truncated ? text : text.trim();
}

async function verifierSeams(
  values: VerifyFlagValues,
  io: CliIo,
  allowHttpLocalhost: boolean,
  registryResolver?: DidResolver,
): Promise<{ status?: StatusChecker; trust?: TrustPolicy }> {
  const seams: { status?: StatusChecker; trust?: TrustPolicy } = {};
  if (values['no-status'] !== true) {
    const dir = values['status-lists'];
    seams.status = createStatusChecker({
      onUnavailable: values['status-fail-open'] === true ? 'fail-open' : 'fail-closed',
      allowHttpLocalhost,
      ...(dir === undefined ? {} : { fetch: false as const, lists: await readListDir(dir, io) }),
    });
  }
  if (values.trust !== undefined) {
    const text = await readInput(values.trust, io);
    try {
      seams.trust = await loadTrustRegistry(text, {
        resolver: registryResolver ?? createNetworkDidResolver({ allowHttpLocalhost }),
        ...(values['scheme-owner'] === undefined ? {} : { schemeOwner: values['scheme-owner'] }),
      });
    } catch (err) {
      // Not "not verified" (exit 1): nothing was verified; the employer's own input is wrong.
      if (!isSkillpassError(err)) throw err;
      throw new UsageError(`--trust ${values.trust} does not load: ${err.message}`, {
        code: err.code,
        problems: err.problems,
        cause: err,
      });
    }
  } else if (values['scheme-owner'] !== undefined) {
    throw new UsageError('--scheme-owner needs --trust <file>');
  }
  return seams;
}

/**
 * The status list files in `dir`: Bitstring lists as `skillpass status publish` writes them
 * (`<dir>/<n>`, vc+jwt with an id), list credentials of other issuers as JSON secured with a
 * Data Integrity proof (a `BitstringStatusListCredential` or `StatusList2021Credential` with an
 * id, any file name; the proof is verified when the list is used, as online) and IETF Token
 * Status Lists (`<dir>/token/<n>`, statuslist+jwt with a sub). A file that is none of these
 * would otherwise be ignored and every credential on it reported ERR_STATUS_UNAVAILABLE, so it
 * is a usage error.
 */
async function readListDir(dir: string, io: CliIo, token = false): Promise<string[]> {
  const path = resolvePath(dir, io);
  let names: string[];
  try {
    names = readdirSync(path).filter((n) => !n.startsWith('.') && !n.endsWith('.tmp'));
  } catch (err) {
    throw new UsageError(
      `cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        code: 'ERR_NOT_FOUND',
      },
    );
  }
  const lists: string[] = [];
  for (const name of names.sort()) {
    const file = join(path, name);
    if (isDirectory(file)) {
      if (!token && name === 'token') lists.push(...(await readListDir(join(dir, name), io, true)));
      continue;
    }
    const text = (await readInput(file, io)).trim();
    if (!token && text.startsWith('{')) {
      const problem = jsonListProblem(text);
      if (problem !== undefined) {
        throw new UsageError(`--status-lists: ${file} is not a status list credential: ${problem}`, {
          code: 'ERR_MALFORMED',
        });
      }
      lists.push(text);
      continue;
    }
    const parsed = parseCompactJws(text, {
      maxBytes: MAX_INPUT_BYTES,
      typ: [token ? 'statuslist+jwt' : 'vc+jwt'],
    });
    const key = token ? 'sub' : 'id';
    const problem = parsed.ok
      ? typeof parsed.jws.payload[key] === 'string'
        ? undefined
        : { code: 'ERR_MALFORMED' as const, message: `the status list has no ${key}` }
      : parsed.problem;
    if (problem !== undefined) {
      throw new UsageError(`--status-lists: ${file} is not a status list credential: ${problem.message}`, {
        code: problem.code,
      });
    }
    lists.push(text);
  }
  return lists;
}

/**
 * Why a JSON file is not a status list credential secured with a Data Integrity proof (a
 * `BitstringStatusListCredential` or `StatusList2021Credential` with an id and a proof), or
 * undefined when it is one. The proof itself is verified when the list is used.
 */
function jsonListProblem(text: string): string | undefined {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return `not JSON (${parsed.reason})`;
  const list = parsed.value;
  const types = Array.isArray(list.type) ? list.type : [list.type];
  if (!types.includes('BitstringStatusListCredential') && !types.includes('StatusList2021Credential')) {
    return 'its type is neither BitstringStatusListCredential nor StatusList2021Credential';
  }
  if (typeof list.id !== 'string') return 'the status list has no id';
  if (list.proof === undefined || list.proof === null) return 'the status list has no proof';
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // A dangling link: reading it reports ERR_NOT_FOUND with the file's name.
    return false;
  }
}
