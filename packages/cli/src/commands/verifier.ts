import { SkillpassError } from '@skillpass/core';
import { parseCentreSkills } from '@skillpass/issuer-service';
import {
  compileCrosswalk,
  parseQualificationMap,
  parseTrainingCatalogue,
  parseVacancy,
  planTraining,
  type TrainingPlan,
  type Vacancy,
} from '@skillpass/match';
import {
  createEmployerSite,
  createPresentationRequest,
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
  type PresentationResult,
  readPresentationResult,
} from '@skillpass/verifier-service';
import { ADMIN_SECRET_HELP, announcePages, readAdminSecret } from '../admin-secret.js';
import { parseCommandArgs, positiveInteger, required } from '../args.js';
import { formatReport, neutralise, neutraliseLines } from '../format.js';
import { type CliIo, EXIT, readInput, readJsonInput, resolvePath, UsageError } from '../io.js';
import { createVerifierFromFlags, VERIFY_FLAGS } from '../verify-flags.js';
import type { CommandEntry } from './index.js';
import { formatMatch, readDocument } from './match.js';

const DIR_FLAG = { dir: { type: 'string' } } as const;

const INIT_USAGE = `Usage: skillpass verifier init --dir <dir> (--did-web <host> | --did-key | --x509-cert <pem> --x509-key <pem>)

Create an employer's OpenID4VP verifier in <dir> (verifier.db, owner-only): a new P-256 key for
a did:web (its DID document is served by \`verifier serve\` at /.well-known/did.json) or a did:key,
request objects then signed under the client id \`decentralized_identifier:<did>\`; or an X.509
certificate chain and its key, client id \`x509_san_dns:<the certificate's DNS name>\`.
Prints the client id on stdout; the bearer token of the result endpoint on stderr.

  --dir <dir>              the verifier directory (created when missing)
  --did-web <host>         did:web identity on this host (e.g. jobs.example or jobs.example:8443)
  --did-key                did:key identity (tests, demos)
  --x509-cert <pem>        certificate chain (leaf first) for an x509_san_dns identity
  --x509-key <pem>         its private key (PKCS#8 PEM)

Exit: 0 created, 1 refused (ERR_ALREADY_EXISTS), 2 usage error.`;

async function init(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...DIR_FLAG,
      'did-web': { type: 'string' },
      'did-key': { type: 'boolean' },
      'x509-cert': { type: 'string' },
      'x509-key': { type: 'string' },
    },
    0,
  );
  const dir = resolvePath(required(values.dir, 'dir'), io);
  const x509 =
    values['x509-cert'] !== undefined || values['x509-key'] !== undefined
      ? {
          certificatePem: await readInput(required(values['x509-cert'], 'x509-cert'), io),
          privateKeyPem: await readInput(required(values['x509-key'], 'x509-key'), io),
        }
      : undefined;
  const chosen = [values['did-web'] !== undefined, values['did-key'] === true, x509 !== undefined];
  if (chosen.filter(Boolean).length !== 1) {
    throw new UsageError('choose one of --did-web <host>, --did-key, --x509-cert/--x509-key');
  }
  const identity = initVerifier({
    dir,
    ...(values['did-web'] !== undefined ? { didWeb: values['did-web'] } : {}),
    ...(values['did-key'] === true ? { didKey: true } : {}),
    ...(x509 !== undefined ? { x509 } : {}),
  });
  io.stderr(neutralise`created verifier ${dir}\nresult endpoint bearer token: ${identity.resultToken}\n`);
  io.stdout(neutralise`${identity.clientId}\n`);
  return EXIT.OK;
}

const SERVE_USAGE = `Usage: skillpass verifier serve --dir <dir> --port <n> --public-url <url> [--host <addr>]
       [--trust <file>] [--crosswalk <file>] [--allow-http-localhost] [status flags]
       [--skills <file>] [--catalogue <file>] [--qualifications <file>] [--pool <dir>]
       [--admin-secret-file <file>]

Serve the verifier of <dir> over HTTP until SIGINT/SIGTERM (then finish what is in flight and exit 0):
  GET  /oid4vp/request/<id>   signed request objects (application/oauth-authz-req+jwt)
  POST /oid4vp/response       direct_post and direct_post.jwt responses from wallets
  GET  /oid4vp/result/<id>    the outcome, for the employer's own systems (Authorization: Bearer <token>)
  GET  /.well-known/did.json  the DID document of a did:web verifier
Every presentation is verified with every check (signatures, holder binding, nonce and client
id, status, trust with --trust), the DCQL query re-checked on the verified credentials, and the
passport matched against the request's vacancy. Each request is answered at most once, also
across several serve processes on one directory.

At / the employer's staff pages (Dutch, English by the switch; docs/web.md): sign in with the
access code, compose or upload a vacancy, create a request shown as a QR code and a link, see the
result appear when the worker answers (every check in plain words, the gaps, the training plan),
and rank a pool of passports (uploaded, or --pool) with an explanation per candidate. The
OpenID4VP endpoints are rate limited per client.

  --dir <dir>              the verifier directory (skillpass verifier init)
  --port <n>               port to listen on (0: any free port)
  --public-url <url>       the https URL wallets reach this service at (recorded for verifier request)
  --host <addr>            interface to bind (default 127.0.0.1)
  --trust <file>           trust registry: adds the trust check (see skillpass verify)
  --scheme-owner <did>     require the registry to be signed by this DID
  --crosswalk <file>       crosswalk between taxonomies for the match
  --skills <file>          skills the compose form offers ({"skills": [{uri, name, framework}]})
  --catalogue <file>       training catalogue: results and gaps get a training plan
  --qualifications <file>  qualification map: a verified diploma meets the skills it certifies (results, ranking)
  --pool <dir>             a folder of passports the ranking page can use besides uploads
${ADMIN_SECRET_HELP}
  --status-fail-open       an unreachable status list passes
  --no-status              do not check status
  --allow-http-localhost   http public URL on 127.0.0.1/localhost; did:web and status lists there (demos, tests)

Exit: 0 stopped by a signal, 2 usage error or the port cannot be bound.`;

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...DIR_FLAG,
      port: { type: 'string' },
      'public-url': { type: 'string' },
      host: { type: 'string' },
      crosswalk: { type: 'string' },
      trust: VERIFY_FLAGS.trust,
      'scheme-owner': VERIFY_FLAGS['scheme-owner'],
      'status-fail-open': VERIFY_FLAGS['status-fail-open'],
      'no-status': VERIFY_FLAGS['no-status'],
      'allow-http-localhost': VERIFY_FLAGS['allow-http-localhost'],
      skills: { type: 'string' },
      catalogue: { type: 'string' },
      qualifications: { type: 'string' },
      pool: { type: 'string' },
      'admin-secret-file': { type: 'string' },
    },
    0,
  );
  const dir = resolvePath(required(values.dir, 'dir'), io);
  const portText = required(values.port, 'port');
  const port = portText === '0' ? 0 : positiveInteger(portText, 'port', 0);
  if (port > 65535) throw new UsageError('--port must be 0…65535');
  const publicUrl = required(values['public-url'], 'public-url');
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  checkPublicUrl(publicUrl, allowHttpLocalhost);
  const crosswalk =
    values.crosswalk === undefined ? undefined : compileCrosswalk(await readJsonInput(values.crosswalk, io));
  const skills =
    values.skills === undefined ? [] : await readDocument(values.skills, 'skill list', io, parseCentreSkills);
  const catalogue =
    values.catalogue === undefined
      ? undefined
      : await readDocument(values.catalogue, 'training catalogue', io, parseTrainingCatalogue);
  const qualifications =
    values.qualifications === undefined
      ? undefined
      : await readDocument(values.qualifications, 'qualification map', io, parseQualificationMap);
  const poolDir = values.pool === undefined ? undefined : resolvePath(values.pool, io);
  const admin = await readAdminSecret(values['admin-secret-file'], io);
  const { verifier, resolver } = await createVerifierFromFlags(values, io);
  const store = openVerifierStore(dir);
  try {
    store.setPublicUrl(publicUrl.replace(/\/+$/, ''));
    const service = createVerifierService({
      store,
      verifier,
      resolver,
      ...(crosswalk !== undefined ? { crosswalk } : {}),
      ...(qualifications !== undefined ? { qualifications } : {}),
    });
    const site = createEmployerSite({
      service,
      store,
      verifier,
      skills,
      adminSecret: admin.secret,
      allowHttpLocalhost,
      secureCookies: new URL(publicUrl).protocol === 'https:',
      ...(crosswalk !== undefined ? { crosswalk } : {}),
      ...(catalogue !== undefined ? { catalogue } : {}),
      ...(qualifications !== undefined ? { qualifications } : {}),
      ...(poolDir !== undefined ? { poolDir } : {}),
    });
    let server: Awaited<ReturnType<typeof listen>>;
    try {
      server = await listen(site, { port, hostname: values.host ?? '127.0.0.1' });
    } catch (err) {
      throw new UsageError(`cannot listen on port ${port}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
        cause: err,
      });
    }
    io.stderr(
      neutralise`verifier ${store.identity.clientId}\nlistening on ${server.url} (public ${publicUrl})\n`,
    );
    announcePages(io, new URL(publicUrl).origin, admin);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        io.stderr('stopping\n');
        void server.close().then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    store.close();
  }
  return EXIT.OK;
}

const REQUEST_USAGE = `Usage: skillpass verifier request --dir <dir> --vacancy <file> [--json] [--public-url <url>]
       [--response-mode direct_post.jwt|direct_post] [--expires-in <seconds>] [--strict]
       [--qualifications <file>] [--allow-http-localhost]

Turn a vacancy into an OpenID4VP 1.0 request and print the openid4vp:// URI for the worker's
wallet (as a link or QR code). The DCQL query asks, per requirement, for a credential naming the
skill's taxonomy URI, as dc+sd-jwt or jwt_vc_json (alternatives in one credential set), with its
level and, for a requirement with a maximum age, the assessment dates. The request object is
signed and served by \`verifier serve\`; it expires with its nonce.

  --dir <dir>              the verifier directory
  --vacancy <file>         the vacancy (schemas/vacancy.schema.json)
  --json                   print {"request": "<uri>", "id": "<id>"}
  --public-url <url>       base URL of verifier serve (default: the one it recorded)
  --response-mode <mode>   direct_post.jwt (default: encrypted to a key of this request) or direct_post
  --expires-in <seconds>   how long the request can be answered (default 600)
  --strict                 required skills are required credential sets: a wallet lacking one cannot answer
  --qualifications <file>  qualification map: also ask (optionally) for the diplomas that certify a
                           skill of the vacancy; give verifier serve the same map for the match
  --allow-http-localhost   accept an http public URL on 127.0.0.1/localhost (demos, tests)

Exit: 0 printed, 1 refused (ERR_NOT_FOUND: no verifier in <dir>), 2 usage error or invalid vacancy.`;

async function request(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...DIR_FLAG,
      vacancy: { type: 'string' },
      json: { type: 'boolean' },
      'public-url': { type: 'string' },
      'response-mode': { type: 'string' },
      'expires-in': { type: 'string' },
      strict: { type: 'boolean' },
      qualifications: { type: 'string' },
      'allow-http-localhost': { type: 'boolean' },
    },
    0,
  );
  const dir = resolvePath(required(values.dir, 'dir'), io);
  const vacancyFile = required(values.vacancy, 'vacancy');
  const qualifications =
    values.qualifications === undefined
      ? undefined
      : await readDocument(values.qualifications, 'qualification map', io, parseQualificationMap);
  const mode = values['response-mode'] ?? 'direct_post.jwt';
  if (mode !== 'direct_post' && mode !== 'direct_post.jwt') {
    throw new UsageError('--response-mode is direct_post.jwt or direct_post');
  }
  let vacancy: Vacancy;
  try {
    vacancy = parseVacancy(await readJsonInput(vacancyFile, io));
  } catch (err) {
    if (err instanceof SkillpassError) {
      throw new UsageError(`${vacancyFile}: ${err.message}`, { code: err.code, problems: err.problems });
    }
    throw err;
  }
  const store = openVerifierStore(dir);
  try {
    const created = await createPresentationRequest(store, {
      vacancy,
      responseMode: mode,
      expiresInSeconds: positiveInteger(values['expires-in'], 'expires-in', 600),
      strict: values.strict === true,
      ...(qualifications !== undefined ? { qualifications } : {}),
      allowHttpLocalhost: values['allow-http-localhost'] === true,
      ...(values['public-url'] !== undefined ? { publicUrl: values['public-url'] } : {}),
    });
    if (values.json) io.stdout(`${JSON.stringify({ request: created.uri, id: created.id })}\n`);
    else {
      io.stderr(neutralise`request ${created.id} for ${vacancy.title}, open until ${created.expiresAt}\n`);
      io.stdout(neutralise`${created.uri}\n`);
    }
  } finally {
    store.close();
  }
  return EXIT.OK;
}

const RESULT_USAGE = `Usage: skillpass verifier result --dir <dir> <id> [--wait <seconds>] [--json]
       [--catalogue <file>] [--crosswalk <file>] [--include-nice-to-have]

Print the outcome of a request: its status (pending, verified, refused, expired), the full
verification report (every check, every code; the shape of \`verify --json\`) and the match
against the request's vacancy (the gap table of \`skillpass match\`; the shape of \`match
--json\`). With --catalogue, also the training plan that closes the gaps. With --wait, wait up
to that many seconds for the wallet's answer.

  --dir <dir>              the verifier directory
  --wait <seconds>         wait for an answer (default: answer at once)
  --catalogue <file>       training catalogue (schemas/training-catalogue.schema.json): add a training plan
  --crosswalk <file>       crosswalk: lets a module teaching an equivalent skill close a gap
  --include-nice-to-have   the plan also closes nice-to-have gaps
  --json                   print {id, status, verified, verification, match, error, …} as JSON
                           (with --catalogue also "plan")

Exit: 0 verified, 1 refused, expired, still pending or unknown id (ERR_NOT_FOUND), 2 usage error.`;

async function result(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      ...DIR_FLAG,
      wait: { type: 'string' },
      json: { type: 'boolean' },
      catalogue: { type: 'string' },
      crosswalk: { type: 'string' },
      'include-nice-to-have': { type: 'boolean' },
    },
    1,
  );
  const dir = resolvePath(required(values.dir, 'dir'), io);
  const id = positionals[0];
  if (id === undefined) throw new UsageError('missing <id>');
  const catalogue =
    values.catalogue === undefined
      ? undefined
      : await readDocument(values.catalogue, 'training catalogue', io, parseTrainingCatalogue);
  const crosswalk =
    values.crosswalk === undefined ? undefined : compileCrosswalk(await readJsonInput(values.crosswalk, io));
  const waitMs = values.wait === undefined ? 0 : positiveInteger(values.wait, 'wait', 0) * 1000;
  const store = openVerifierStore(dir);
  let outcome: PresentationResult | undefined;
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      outcome = readPresentationResult(store, id);
      if (outcome === undefined) throw new SkillpassError('ERR_NOT_FOUND', `no request ${id} in ${dir}`);
      if ((outcome.status !== 'pending' && outcome.status !== 'processing') || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    store.close();
  }
  const plan =
    catalogue === undefined || outcome.match === null
      ? undefined
      : planTraining(outcome.match, catalogue, {
          includeNiceToHave: values['include-nice-to-have'] === true,
          ...(crosswalk !== undefined ? { crosswalk } : {}),
        });
  io.stdout(
    values.json
      ? `${JSON.stringify(plan === undefined ? outcome : { ...outcome, plan }, null, 2)}\n`
      : formatResult(outcome, plan),
  );
  return outcome.status === 'verified' ? EXIT.OK : EXIT.FAILED;
}

function formatResult(outcome: PresentationResult, plan: TrainingPlan | undefined): string {
  const lines = [
    `request ${outcome.id}: ${outcome.status}${outcome.answeredAt ? ` (answered ${outcome.answeredAt})` : ''}`,
  ];
  if (outcome.error !== null) {
    lines.push(
      `refused: ${outcome.error.skillpass_code} (${outcome.error.error}): ${outcome.error.error_description}`,
    );
  }
  let text = neutraliseLines(lines);
  if (outcome.verification !== null) {
    text += `\n${formatReport(outcome.verification)}`;
    // The match is computed from the verification report only, so both are there or neither.
    if (outcome.match !== null) text += `\n${formatMatch(outcome.verification, outcome.match, plan)}`;
  }
  return text;
}

function checkPublicUrl(url: string, allowHttpLocalhost: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--public-url ${url} is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback && allowHttpLocalhost)) {
    throw new UsageError(
      '--public-url must be https (http only on 127.0.0.1/localhost with --allow-http-localhost)',
    );
  }
}

/** `skillpass verifier init`. */
export const verifierInitCommand: CommandEntry = {
  name: 'verifier init',
  summary: "create an employer's OpenID4VP verifier identity (did:web, did:key or x509)",
  usage: INIT_USAGE,
  run: init,
};

/** `skillpass verifier serve`. */
export const verifierServeCommand: CommandEntry = {
  name: 'verifier serve',
  summary: 'serve request objects, the response endpoint and results over HTTP',
  usage: SERVE_USAGE,
  run: serve,
};

/** `skillpass verifier request`. */
export const verifierRequestCommand: CommandEntry = {
  name: 'verifier request',
  summary: 'turn a vacancy into an openid4vp:// request (DCQL) for a worker’s wallet',
  usage: REQUEST_USAGE,
  run: request,
};

/** `skillpass verifier result`. */
export const verifierResultCommand: CommandEntry = {
  name: 'verifier result',
  summary: 'the verification report and match of an answered request',
  usage: RESULT_USAGE,
  run: result,
};
