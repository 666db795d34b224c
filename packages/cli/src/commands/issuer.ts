import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SkillAssessment } from '@skillpass/core';
import { type IssuedRecord, type Issuer, initIssuer, openIssuer } from '@skillpass/issuer';
import { writeFileAtomically } from '@skillpass/store';
import { parseCommandArgs, required } from '../args.js';
import { neutralise, neutraliseLines, neutraliseText, shortDid } from '../format.js';
import { type CliIo, EXIT, readJsonInput, readPassphrase, resolvePath, UsageError } from '../io.js';
import type { CommandEntry } from './index.js';

/** Environment variable holding the issuer store's passphrase. */
export const ISSUER_PASSPHRASE_ENV = 'SKILLPASS_ISSUER_PASSPHRASE';

const PASSPHRASE_HELP = `Passphrase: ${ISSUER_PASSPHRASE_ENV}, or --passphrase-file <file>.`;

/** Help text for the `--issuer` flag of every command that opens an issuer store. */
export const ISSUER_STORE_HELP = `  --issuer <dir|file>      the issuer store: <dir>/issuer.db, or the store file itself
                           (default: the current directory)`;

/**
 * The issuer store `--issuer` names: `<dir>/issuer.db` for a directory (default the current
 * one), else the path itself (a store file, or nothing there: the caller reports it).
 */
export function issuerStorePath(flag: string | undefined, io: CliIo): string {
  const path = resolvePath(flag ?? '.', io);
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true ? join(path, 'issuer.db') : path;
}

/**
 * Open the issuer store `--issuer` names (see {@link issuerStorePath}); a missing store is a
 * usage error (ERR_NOT_FOUND, exit 2), a wrong passphrase ERR_STORE_LOCKED (exit 1).
 */
export async function openIssuerDir(
  dir: string | undefined,
  passphraseFile: string | undefined,
  io: CliIo,
): Promise<Issuer> {
  const path = issuerStorePath(dir, io);
  if (!existsSync(path)) {
    throw new UsageError(`no issuer store at ${path} (run skillpass issuer init)`, { code: 'ERR_NOT_FOUND' });
  }
  const passphrase = await readPassphrase(io, {
    file: passphraseFile,
    envVar: ISSUER_PASSPHRASE_ENV,
    what: 'issuer',
  });
  return openIssuer({ path, passphrase });
}

const INIT_USAGE = `Usage: skillpass issuer init (--did-web <host> | --did-key [--status-base-url <url>]) [--dir <dir>]
       [--store <file>] [--role centre|employer] [--name <name>] [--url <url>] [--key-type Ed25519|P-256]
       [--passphrase-file <file>]

Create an assessment centre (or, with --role employer, an employer's identity): a new key in Veramo's key manager, kept encrypted in <dir>/issuer.db
or the --store file (never printed), its DID, an empty register and status lists. Prints the DID.

  --did-web <host>         production: did:web:<host>; writes <dir>/did.json to serve at
                           https://<host>/.well-known/did.json
  --did-key                a did:key (tests, demos)
  --dir <dir>              where the store (issuer.db) and did.json go (default: current directory)
  --store <file>           the store file itself (default <dir>/issuer.db); did.json goes to --dir,
                           else next to it. Other commands open it with --issuer <file>.
  --role <role>            centre (default): an assessment centre; employer: an employer's identity
                           that attests what workers learned on the job (every evidence entry
                           workplace-observation), with the same store, register and status
                           lists. It counts as tier employer once the trust registry lists its
                           DID under employers (with its chamber-of-commerce number)
  --name <name>            the name in every credential (default: the host, or "Assessment
                           centre" / "Employer")
  --url <url>              the centre's web page
  --key-type <type>        Ed25519 (default, EdDSA) or P-256 (ES256)
  --status-base-url <url>  lists are served at <url>/<n>; default https://<host>/status. Every
                           credential gets a revocation entry in a status list. A --did-key centre
                           without it has NO status lists: its credentials can never be revoked
                           or suspended (fixed at init; a warning is printed)

${PASSPHRASE_HELP} The key is derived with scrypt (N=2^17, r=8, p=1).
Exit: 0 created, 1 refused (ERR_ALREADY_EXISTS: the store exists), 2 usage error.`;

async function init(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      'did-web': { type: 'string' },
      'did-key': { type: 'boolean' },
      dir: { type: 'string' },
      store: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      url: { type: 'string' },
      'key-type': { type: 'string' },
      'status-base-url': { type: 'string' },
      'passphrase-file': { type: 'string' },
    },
    0,
  );
  const role = values.role ?? 'centre';
  if (role !== 'centre' && role !== 'employer') throw new UsageError('--role is centre or employer');
  const didWeb = values['did-web'];
  if ((didWeb === undefined) === (values['did-key'] !== true))
    throw new UsageError('choose one of --did-web <host> or --did-key');
  const keyType = values['key-type'] ?? 'Ed25519';
  if (keyType !== 'Ed25519' && keyType !== 'P-256') throw new UsageError('--key-type is Ed25519 or P-256');
  const store = resolvePath(values.store ?? join(values.dir ?? '.', 'issuer.db'), io);
  const dir = values.dir === undefined ? dirname(store) : resolvePath(values.dir, io);
  const passphrase = await readPassphrase(io, {
    file: values['passphrase-file'],
    envVar: ISSUER_PASSPHRASE_ENV,
    what: 'issuer',
  });
  const didJson = join(dir, 'did.json');
  if (didWeb !== undefined && resolve(didJson) === resolve(store))
    throw new UsageError('--store names the file did.json is written to: choose another --store or --dir');
  mkdirSync(dirname(store), { recursive: true });
  mkdirSync(dir, { recursive: true });
  const issuer = await initIssuer({
    path: store,
    passphrase,
    ...(didWeb === undefined ? { didKey: true } : { didWeb }),
    name: values.name ?? didWeb ?? (role === 'employer' ? 'Employer' : 'Assessment centre'),
    role,
    keyType,
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values['status-base-url'] === undefined ? {} : { statusBaseUrl: values['status-base-url'] }),
  });
  try {
    if (issuer.did.startsWith('did:web:')) {
      // Public, and written so a crash leaves the old or the new document; never over a store.
      writeFileAtomically(didJson, `${JSON.stringify(issuer.didDocument(), null, 2)}\n`, {
        mode: 0o644,
        protect: [store],
      });
      io.stderr(neutralise`wrote ${didJson}: serve it at the did:web URL\n`);
    }
    const base = issuer.profile.statusBaseUrl;
    io.stderr(
      base === undefined
        ? 'warning: no status lists: credentials from this issuer cannot be revoked; use --status-base-url <https url> to enable revocation\n'
        : neutralise`status lists will be served at ${base}/<n> (skillpass status publish)\n`,
    );
    if (role === 'employer') {
      io.stderr(
        'employer identity: it issues workplace attestations (evidence method workplace-observation); they count as tier employer once the trust registry lists this DID under employers\n',
      );
    }
    io.stdout(neutralise`${issuer.did}\n`);
  } finally {
    issuer.close();
  }
  return EXIT.OK;
}

const ISSUE_USAGE = `Usage: skillpass issue --subject <did> --skill <file.json|-> [--issuer <dir|file>]
       [--format vc+jwt|jwt-vc-1.1|ldp_vc|dc+sd-jwt] [--suspendable] [--passphrase-file <file>]

Sign a skill credential for an assessed skill (schemas/skill-assessment.schema.json) and print
the token. It is registered, and gets a revocation entry in a status list at a random index
(none from a centre created without status lists: it cannot be revoked).

  --format <f>      vc+jwt (VC 2.0, default), jwt-vc-1.1 (VC 1.1 JWT through Veramo), ldp_vc
                    (the credential as JSON with an embedded Data Integrity proof, eddsa-rdfc-2022,
                    for Open Badges 3.0 wallets; printed as one line of JSON), or dc+sd-jwt
                    (SD-JWT VC, RFC 9901): the skill and level are always visible; the evidence,
                    assessor, score and assessment date are selectively disclosable, so the
                    worker chooses per employer (skillpass present --disclose). The subject must
                    be a did:key: its key becomes cnf.jwk, which signs the key binding.
  --suspendable     also add a suspension entry. The credential then carries TWO credentialStatus
                    entries: valid VC 2.0, but outside Open Badges 3.0, which allows at most one.
                    ERR_UNSUPPORTED from a centre created without status lists.
${ISSUER_STORE_HELP}

${PASSPHRASE_HELP}
Exit: 0 issued, 1 refused (ERR_SCHEMA_INVALID: invalid assessment; ERR_STORE_LOCKED: wrong
passphrase; ERR_UNSUPPORTED: --suspendable without status lists), 2 usage or I/O error.`;

async function issue(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      issuer: { type: 'string' },
      subject: { type: 'string' },
      skill: { type: 'string' },
      format: { type: 'string' },
      suspendable: { type: 'boolean' },
      'passphrase-file': { type: 'string' },
    },
    0,
  );
  const subject = required(values.subject, 'subject');
  if (!subject.startsWith('did:')) throw new UsageError('--subject must be the worker DID');
  const format = values.format ?? 'vc+jwt';
  if (format !== 'vc+jwt' && format !== 'jwt-vc-1.1' && format !== 'ldp_vc' && format !== 'dc+sd-jwt')
    throw new UsageError('--format is vc+jwt, jwt-vc-1.1, ldp_vc or dc+sd-jwt');
  const assessment = (await readJsonInput(required(values.skill, 'skill'), io)) as SkillAssessment;
  const issuer = await openIssuerDir(values.issuer, values['passphrase-file'], io);
  try {
    const issued = await issuer.issue(assessment, {
      subject,
      format,
      suspendable: values.suspendable === true,
    });
    io.stderr(
      neutralise`issued ${issued.id} (${issued.record.skillName}, level ${issued.record.level}) to ${subject}\n`,
    );
    io.stdout(neutralise`${issued.token}\n`);
  } finally {
    issuer.close();
  }
  return EXIT.OK;
}

function statusChangeCommand(action: 'revoke' | 'suspend' | 'unsuspend'): CommandEntry {
  const past = { revoke: 'revoked', suspend: 'suspended', unsuspend: 'unsuspended' }[action];
  const usage = `Usage: skillpass issuer ${action} <credential-id|jti> [--reason <text>] [--issuer <dir|file>]
       [--actor <name>] [--passphrase-file <file>]

${
  action === 'revoke'
    ? 'Revoke a credential: final. Sets its bit in the revocation list.'
    : action === 'suspend'
      ? 'Suspend a credential (reversible). Only credentials issued with --suspendable can be suspended.'
      : 'Lift the suspension of a credential.'
} Recorded in the audit log (who, when, why).
Verifiers see it once the status list is republished (skillpass status publish) or served.

${ISSUER_STORE_HELP}
  --actor <name>           who asks (default: $USER)

${PASSPHRASE_HELP}
Exit: 0 done (or already so), 1 refused (ERR_NOT_FOUND: unknown id; ERR_UNSUPPORTED: no ${action === 'revoke' ? 'revocation' : 'suspension'} entry${action === 'revoke' ? '' : ', or revoked'},
or a centre created without status lists; ERR_STORE_LOCKED: wrong passphrase), 2 usage error.`;
  return {
    name: `issuer ${action}`,
    summary:
      action === 'revoke'
        ? 'revoke a credential (final)'
        : action === 'suspend'
          ? 'suspend a credential'
          : 'lift a suspension',
    usage,
    run: async (args, io) => {
      const { values, positionals } = parseCommandArgs(
        args,
        {
          reason: { type: 'string' },
          issuer: { type: 'string' },
          actor: { type: 'string' },
          'passphrase-file': { type: 'string' },
        },
        1,
      );
      const id = positionals[0];
      if (id === undefined) throw new UsageError('missing <credential-id|jti>', { usage });
      const issuer = await openIssuerDir(values.issuer, values['passphrase-file'], io);
      try {
        const actor = values.actor ?? io.env.USER;
        const { record, changed } = await issuer[action](id, {
          ...(values.reason === undefined ? {} : { reason: values.reason }),
          ...(actor === undefined ? {} : { actor }),
        });
        io.stdout(neutralise`${record.id} ${changed ? past : `already ${past}`}\n`);
      } finally {
        issuer.close();
      }
      return EXIT.OK;
    },
  };
}

const LIST_USAGE = `Usage: skillpass issuer list [--issuer <dir|file>] [--subject <did>] [--json] [--passphrase-file <file>]

The register: what this centre issued to whom, with status.

${ISSUER_STORE_HELP}
  --subject <did>          only what was issued to this DID
  --json                   print a JSON array

${PASSPHRASE_HELP}
Exit: 0 listed, 1 refused (ERR_STORE_LOCKED: wrong passphrase), 2 usage error.`;

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      issuer: { type: 'string' },
      subject: { type: 'string' },
      json: { type: 'boolean' },
      'passphrase-file': { type: 'string' },
    },
    0,
  );
  const issuer = await openIssuerDir(values.issuer, values['passphrase-file'], io);
  try {
    const records = await issuer.listIssued(values.subject === undefined ? {} : { subject: values.subject });
    if (values.json) io.stdout(`${JSON.stringify(records, null, 2)}\n`);
    else io.stdout(formatRegister(issuer.did, records));
  } finally {
    issuer.close();
  }
  return EXIT.OK;
}

function stateOf(r: IssuedRecord): string {
  if (r.revokedAt !== null) return 'revoked';
  return r.suspended ? 'suspended' : 'valid';
}

function formatRegister(did: string, records: IssuedRecord[]): string {
  const lines = [`${did}: ${records.length} credential(s)`];
  if (records.length > 0) {
    lines.push(
      ['issued'.padEnd(20), 'state'.padEnd(10), 'level', 'skill'.padEnd(34), 'subject'.padEnd(30), 'id'].join(
        ' ',
      ),
    );
  }
  for (const r of records) {
    const name = neutraliseText(r.skillName);
    const skill = name.length > 34 ? `${name.slice(0, 33)}…` : name.padEnd(34);
    lines.push(
      [
        r.issuedAt.slice(0, 19).padEnd(20),
        stateOf(r).padEnd(10),
        String(r.level ?? '-').padEnd(5),
        skill,
        shortDid(r.subject, 30).padEnd(30),
        r.id,
      ].join(' '),
    );
  }
  return neutraliseLines(lines);
}

/** `skillpass issuer init`. */
export const issuerInitCommand: CommandEntry = {
  name: 'issuer init',
  summary: 'create an assessment centre or an employer identity (keys, DID, register)',
  usage: INIT_USAGE,
  run: init,
};

/** `skillpass issue`. */
export const issueCommand: CommandEntry = {
  name: 'issue',
  summary: 'sign a skill credential and print it',
  usage: ISSUE_USAGE,
  run: issue,
};

/** `skillpass issuer revoke`. */
export const issuerRevokeCommand = statusChangeCommand('revoke');
/** `skillpass issuer suspend`. */
export const issuerSuspendCommand = statusChangeCommand('suspend');
/** `skillpass issuer unsuspend`. */
export const issuerUnsuspendCommand = statusChangeCommand('unsuspend');

/** `skillpass issuer list`. */
export const issuerListCommand: CommandEntry = {
  name: 'issuer list',
  summary: 'what this centre issued to whom',
  usage: LIST_USAGE,
  run: list,
};
