import { parseCommandArgs } from '../args.js';
import { formatReport } from '../format.js';
import { type CliIo, EXIT } from '../io.js';
import { createFlagVerifier, readToken, VERIFY_FLAGS, VERIFY_FLAGS_HELP } from '../verify-flags.js';
import type { CommandEntry } from './index.js';

const USAGE = `Usage: skillpass verify <file|-> [--audience A] [--challenge C] [--max-age <seconds>] [--json]
       [--allow-http-localhost] [--trust <file>] [--status-lists <dir>] …

Verify a passport (vp+jwt) or a single credential (vc+jwt, VC 1.1 JWT, dc+sd-jwt, or a JSON
credential with a Data Integrity proof: ldp_vc). Every check is reported, per credential. Without --audience/--challenge a passport's audience/challenge is not
checked (and the report says so): an employer should always pass both. For a lone SD-JWT they
apply to its key-binding JWT, which is then required (an SD-JWT as issued has none). An input
larger than any token accepted is reported ERR_INPUT_TOO_LARGE (exit 1).

  --json                   print the report as JSON (see docs/verification.md)
${VERIFY_FLAGS_HELP}

Exit: 0 verified, 1 not verified, 2 usage or I/O error (also: a trust registry or status list
file that does not load, with its code).`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...VERIFY_FLAGS, json: { type: 'boolean' } }, 1);
  const input = positionals[0];
  if (input === undefined) {
    io.stderr(`${USAGE}\n`);
    return EXIT.USAGE;
  }
  const token = await readToken(input, io);
  const verifier = await createFlagVerifier(values, io);
  const report = await verifier.verify(token);
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
