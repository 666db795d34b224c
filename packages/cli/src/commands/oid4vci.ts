import { didWebToUrl, type SkillAssessment, SkillpassError } from '@skillpass/core';
import { receiveCredential } from '@skillpass/holder';
import {
  type CentreSkill,
  createCentreSite,
  createCredentialOffer,
  DEFAULT_OFFER_TTL_SECONDS,
  MAX_OFFER_TTL_SECONDS,
  OfferStore,
  parseCentreSkills,
  startIssuerService,
} from '@skillpass/issuer-service';
import { openSqlite } from '@skillpass/store';
import { ADMIN_SECRET_HELP, announcePages, readAdminSecret } from '../admin-secret.js';
import { parseCommandArgs, positiveInteger, required } from '../args.js';
import { type CliIo, EXIT, readJsonInput, UsageError } from '../io.js';
import type { CommandEntry } from './index.js';
import { ISSUER_PASSPHRASE_ENV, ISSUER_STORE_HELP, issuerStorePath, openIssuerDir } from './issuer.js';
import { openWalletFromFlags, WALLET_FLAGS, WALLET_FLAGS_HELP } from './wallet.js';

/** Setting in the issuer store: the public URL `issuer serve` last served at (offers point there). */
const PUBLIC_URL_SETTING = 'public_url';

const SERVE_USAGE = `Usage: skillpass issuer serve --public-url <url> [--port <n>] [--host <address>]
       [--skills <file>] [--admin-secret-file <file>] [--issuer <dir|file>] [--passphrase-file <file>]

Serve the assessment centre over HTTP, from the issuer store: OpenID4VCI 1.0 (credential issuer
metadata at /.well-known/openid-credential-issuer, authorization server metadata at
/.well-known/oauth-authorization-server, /token (pre-authorized code, tx_code, DPoP), /nonce,
/credential (jwt proof; the credential is bound to the proof's key), /offers/<id>), the did:web
document and the status lists. Offers made with skillpass issuer offer are redeemed here; two
processes may serve one store (codes and nonces are single-use across them). Stops cleanly on
SIGINT or SIGTERM.

At / the centre's staff pages (Dutch, English by the switch; docs/web.md): sign in with the
access code, record an assessment (a skill from --skills, level on the rubric, method, date,
assessor), issue it as an offer shown as a QR code and a link with the transaction code apart,
the register with revoke/suspend and a reason. The protocol endpoints are rate limited per client.

  --public-url <url>       the origin wallets reach this service at (the credential issuer
                           identifier): https, or http://localhost / http://127.0.0.1 for demos
  --port <n>               port to listen on (default 8443; 0 picks a free one)
  --host <address>         interface to listen on (default 127.0.0.1; put a TLS proxy in front)
  --skills <file>          the skills this centre assesses: {"skills": [{uri, name, framework,
                           alsoAlignedTo: [{uri, name, framework}]}]} (e.g. ESCO + CompetentNL);
                           without it the pages cannot record assessments
${ADMIN_SECRET_HELP}
${ISSUER_STORE_HELP}

Passphrase: ${ISSUER_PASSPHRASE_ENV}, or --passphrase-file <file>.
Prints the bound URL on stdout once listening.
Exit: 0 stopped by a signal, 1 refused (ERR_STORE_LOCKED: wrong passphrase), 2 usage error
(ERR_INVALID_OPTIONS: a public URL that is not an https origin).`;

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      issuer: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'passphrase-file': { type: 'string' },
      skills: { type: 'string' },
      'admin-secret-file': { type: 'string' },
    },
    0,
  );
  const publicUrl = required(values['public-url'], 'public-url');
  const port = values.port === '0' ? 0 : positiveInteger(values.port, 'port', 8443);
  if (port > 65_535) throw new UsageError('--port must be at most 65535');
  const skills = values.skills === undefined ? [] : await readCentreSkills(values.skills, io);
  const admin = await readAdminSecret(values['admin-secret-file'], io);
  const issuer = await openIssuerDir(values.issuer, values['passphrase-file'], io);
  const db = openSqlite(issuerStorePath(values.issuer, io), { kind: 'issuer', mustExist: true });
  try {
    const offers = new OfferStore(db);
    const app = createCentreSite({
      issuer,
      offers,
      publicUrl,
      skills,
      adminSecret: admin.secret,
      secureCookies: new URL(publicUrl).protocol === 'https:',
    });
    offers.setSetting(PUBLIC_URL_SETTING, new URL(publicUrl).origin);
    const running = await startIssuerService({ app, port, hostname: values.host ?? '127.0.0.1' });
    io.stderr(`serving ${issuer.did} as ${new URL(publicUrl).origin} (Ctrl-C to stop)\n`);
    announcePages(io, new URL(publicUrl).origin, admin);
    io.stdout(`${running.url}\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await running.close();
    io.stderr(`stopped (${signal})\n`);
  } finally {
    db.close();
    issuer.close();
  }
  return EXIT.OK;
}

const OFFER_USAGE = `Usage: skillpass issuer offer --skill <assessment.json|-> [--format <id>] [--tx-code]
       [--expires-in <seconds>] [--json] [--public-url <url>] [--issuer <dir|file>] [--passphrase-file <file>]

Record a pending credential offer for an assessed worker (schemas/skill-assessment.schema.json)
and print its URI, openid-credential-offer://?credential_offer_uri=… (by reference: the wallet
fetches it from skillpass issuer serve, as often as it likes until it is redeemed). Show it as a
QR code or hand it to the worker's wallet (skillpass wallet receive). The credential is bound to
the key the wallet proves it holds; its pre-authorized code works once.

  --format <id>            dc+sd-jwt (default: SD-JWT VC, for EUDI-style wallets), jwt_vc_json
                           (VC 1.1 JWT), vc+jwt (VC 2.0, skillpass's own), ldp_vc (VC 2.0 with a
                           Data Integrity proof, for Open Badges wallets), a configuration id, or
                           all (offer every format; the wallet picks one)
  --tx-code                also require a 6-digit transaction code: printed here (stderr, or in
                           --json), to give the worker by another channel; 5 wrong tries burn the offer
  --expires-in <seconds>   lifetime of the offer and its code (default ${DEFAULT_OFFER_TTL_SECONDS}, at most ${MAX_OFFER_TTL_SECONDS})
  --json                   print {"offer": "<uri>", "txCode": "<code>"|null, "expiresAt": "<iso>"}
  --public-url <url>       the service's public origin (default: the one skillpass issuer serve
                           last ran with, else https://<host> of a did:web centre)
${ISSUER_STORE_HELP}

Passphrase: ${ISSUER_PASSPHRASE_ENV}, or --passphrase-file <file>.
Exit: 0 recorded, 1 refused (ERR_SCHEMA_INVALID: invalid assessment; ERR_STORE_LOCKED: wrong
passphrase), 2 usage error.`;

async function offer(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      issuer: { type: 'string' },
      skill: { type: 'string' },
      format: { type: 'string' },
      'tx-code': { type: 'boolean' },
      'expires-in': { type: 'string' },
      json: { type: 'boolean' },
      'public-url': { type: 'string' },
      'passphrase-file': { type: 'string' },
    },
    0,
  );
  const assessment = (await readJsonInput(required(values.skill, 'skill'), io)) as SkillAssessment;
  const expiresInSeconds = positiveInteger(values['expires-in'], 'expires-in', DEFAULT_OFFER_TTL_SECONDS);
  if (expiresInSeconds > MAX_OFFER_TTL_SECONDS) {
    throw new UsageError(`--expires-in is at most ${MAX_OFFER_TTL_SECONDS} seconds`);
  }
  const issuer = await openIssuerDir(values.issuer, values['passphrase-file'], io);
  const db = openSqlite(issuerStorePath(values.issuer, io), { kind: 'issuer', mustExist: true });
  try {
    const offers = new OfferStore(db);
    const publicUrl =
      values['public-url'] ?? offers.getSetting(PUBLIC_URL_SETTING) ?? didWebOrigin(issuer.did);
    if (publicUrl === undefined) {
      throw new UsageError(
        'no public URL known for this centre: pass --public-url, or run skillpass issuer serve --public-url first',
      );
    }
    const created = createCredentialOffer({
      offers,
      publicUrl,
      assessment,
      expiresInSeconds,
      txCode: values['tx-code'] === true,
      ...(values.format === undefined ? {} : { format: values.format }),
    });
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ offer: created.offer, txCode: created.txCode, expiresAt: created.expiresAt })}\n`,
      );
    } else {
      io.stdout(`${created.offer}\n`);
      if (created.txCode !== null) {
        io.stderr(`transaction code: ${created.txCode} (give it to the worker separately)\n`);
      }
      io.stderr(`offer for ${assessment.skill?.name ?? 'the skill'} valid until ${created.expiresAt}\n`);
    }
  } finally {
    db.close();
    issuer.close();
  }
  return EXIT.OK;
}

/** Read and check the centre's skill list (`--skills`); an invalid one is a usage error listing every problem. */
async function readCentreSkills(file: string, io: CliIo): Promise<CentreSkill[]> {
  try {
    return parseCentreSkills(await readJsonInput(file, io));
  } catch (err) {
    if (err instanceof SkillpassError) {
      throw new UsageError(`${file}: ${err.message}`, { code: err.code, problems: err.problems });
    }
    throw err;
  }
}

function didWebOrigin(did: string): string | undefined {
  const url = did.startsWith('did:web:') ? didWebToUrl(did) : undefined;
  return url === undefined ? undefined : new URL(url).origin;
}

const RECEIVE_USAGE = `Usage: skillpass wallet receive <offer-uri> [--tx-code <code>] [--wallet <file>]
       [--passphrase-file <file>] [--allow-http-localhost]

Receive a credential from an assessment centre's OpenID4VCI 1.0 offer
(openid-credential-offer://…): resolve the offer and the centre's metadata, get an access token
with the pre-authorized code (and transaction code), prove possession of your wallet's key,
receive the credential, verify it as skillpass wallet add does, and store it. Prints its id.

  --tx-code <code>         the transaction code the centre gave you, when the offer needs one
${WALLET_FLAGS_HELP}
  --allow-http-localhost   plain http to localhost/127.0.0.1 (demos, tests): the offer, the
                           centre's endpoints, did:web and status lists

Exit: 0 stored, 1 refused (ERR_ISSUANCE_REFUSED: the centre said no, with its OAuth error, e.g.
invalid_grant for a used code or a wrong transaction code; ERR_OFFER_INVALID; ERR_ISSUER_UNREACHABLE;
or the verifier's code for the credential), 2 usage error.`;

async function receive(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WALLET_FLAGS, 'tx-code': { type: 'string' }, 'allow-http-localhost': { type: 'boolean' } },
    1,
  );
  const uri = positionals[0];
  if (uri === undefined) throw new UsageError('name the offer URI (openid-credential-offer://…)');
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  const wallet = await openWalletFromFlags(values, io, { allowHttpLocalhost });
  try {
    const { entry, credentialIssuer } = await receiveCredential(wallet, uri, {
      allowHttpLocalhost,
      ...(values['tx-code'] === undefined ? {} : { txCode: values['tx-code'] }),
    });
    io.stderr(
      `received ${entry.skill?.name ?? entry.id} (${entry.format}, level ${entry.level ?? '-'}) from ${credentialIssuer}\n`,
    );
    io.stdout(`${entry.id}\n`);
  } finally {
    wallet.close();
  }
  return EXIT.OK;
}

/** `skillpass issuer serve`. */
export const issuerServeCommand: CommandEntry = {
  name: 'issuer serve',
  summary: 'serve OpenID4VCI, the DID document and status lists',
  usage: SERVE_USAGE,
  run: serve,
};

/** `skillpass issuer offer`. */
export const issuerOfferCommand: CommandEntry = {
  name: 'issuer offer',
  summary: 'offer a credential to any wallet (OpenID4VCI)',
  usage: OFFER_USAGE,
  run: offer,
};

/** `skillpass wallet receive`. */
export const walletReceiveCommand: CommandEntry = {
  name: 'wallet receive',
  summary: 'receive a credential from an OpenID4VCI offer',
  usage: RECEIVE_USAGE,
  run: receive,
};
