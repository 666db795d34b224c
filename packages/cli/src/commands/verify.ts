import { createVerifier, isPassportToken } from '@skillpass/verifier';
import { parseCommandArgs } from '../args.js';
import { formatReport } from '../format.js';
import { type CliIo, EXIT, readInput } from '../io.js';
import type { CommandEntry } from './index.js';
import { SEAM_FLAGS, SEAM_FLAGS_HELP, verifierSeams } from './status.js';

const USAGE = `Usage: skillpass verify <file|-> [--audience A] [--challenge C] [--json] [--allow-http-localhost]

Verify a passport (vp+jwt) or a single credential (vc+jwt, VC 1.1 JWT, dc+sd-jwt). Every check is
reported, per credential. Without --audience/--challenge a passport's audience/challenge is not
checked (and the report says so): an employer should always pass both. For a lone SD-JWT they
apply to its key-binding JWT, which is then required (an SD-JWT as issued has none).

  --audience A             the verifier identifier the passport (or the SD-JWT's key binding) must
                           be addressed to (aud)
  --challenge C            the challenge the verifier issued (nonce)
  --json                   print the report as JSON (see docs/verification.md)
  --allow-http-localhost   resolve did:web and status lists on localhost/127.0.0.1 over plain http (demos, tests)
${SEAM_FLAGS_HELP}

Exit: 0 verified, 1 not verified, 2 usage or I/O error.`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      audience: { type: 'string' },
      challenge: { type: 'string' },
      json: { type: 'boolean' },
      'allow-http-localhost': { type: 'boolean' },
      ...SEAM_FLAGS,
    },
    1,
  );
  const input = positionals[0];
  if (input === undefined) {
    io.stderr(`${USAGE}\n`);
    return EXIT.USAGE;
  }
  const token = (await readInput(input, io)).trim();
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  const verifier = createVerifier({
    resolverOptions: { allowHttpLocalhost },
    ...(await verifierSeams(values, io, { allowHttpLocalhost })),
  });
  const report = isPassportToken(token)
    ? await verifier.verifyPassport(token, {
        ...(values.audience !== undefined ? { audience: values.audience } : { allowAnyAudience: true }),
        ...(values.challenge !== undefined ? { challenge: values.challenge } : { allowAnyChallenge: true }),
      })
    : await verifier.verifyCredential(token, {
        ...(values.audience !== undefined ? { audience: values.audience } : {}),
        ...(values.challenge !== undefined ? { challenge: values.challenge } : {}),
      });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.verified ? EXIT.OK : EXIT.FAILED;
}

/** `skillpass verify`. */
export const verifyCommand: CommandEntry = {
  name: 'verify',
  summary: 'verify a passport or a credential; every check, every code',
  usage: USAGE,
  run,
};
