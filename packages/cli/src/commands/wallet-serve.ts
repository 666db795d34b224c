import { existsSync } from 'node:fs';
import { startIssuerService } from '@skillpass/issuer-service';
import { parseTrainingCatalogue } from '@skillpass/match';
import type { Hono } from 'hono';
import { parseCommandArgs, positiveInteger } from '../args.js';
import { type CliIo, EXIT, resolvePath, UsageError } from '../io.js';
import { createWalletSite } from '../pages/wallet-site.js';
import { createVerifierFromFlags } from '../verify-flags.js';
import type { CommandEntry } from './index.js';
import { loadCrosswalk, readDocument } from './match.js';

const DEFAULT_WALLET = 'wallet.skillpass';
const DEFAULT_PORT = 8470;

const USAGE = `Usage: skillpass wallet serve [--wallet <file>] [--port <n>] [--catalogue <file>] [--crosswalk <file>]
       [--trust <file>] [--allow-http-localhost]

Serve the worker's pages over their own wallet, on 127.0.0.1 only (nothing of the wallet leaves
this machine unless the worker sends it): unlock with the passphrase (typed into the page, never
on the command line), "my passport" (skills grouped by kind, level on the rubric, who assessed it
and when, who vouches for it, whether it still verifies: revoked, suspended, expired), receive a
credential from an assessment centre's offer link, lay the passport beside a vacancy (met / below
level / stale / insufficient evidence / unverified / missing, with the training plan), and answer
an employer's request choosing per credential what to disclose, after seeing exactly what will be
sent. Dutch first, English with the switch on every page. Stops cleanly on SIGINT or SIGTERM.

  --wallet <file>          the wallet (default: $SKILLPASS_WALLET, else ./${DEFAULT_WALLET})
  --port <n>               port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --catalogue <file>       training catalogue for the training plan beside a vacancy
  --crosswalk <file>       equivalences between skill concepts, for matching
  --trust <file>           trust registry: judge who vouches for each credential
  --allow-http-localhost   offers, requests, did:web and status lists over http on loopback (demos, tests)

Prints the page's address on stdout once listening.
Exit: 0 stopped by a signal, 2 usage error (ERR_NOT_FOUND: no wallet file; a catalogue, crosswalk
or registry that does not load).`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      wallet: { type: 'string' },
      port: { type: 'string' },
      catalogue: { type: 'string' },
      crosswalk: { type: 'string' },
      trust: { type: 'string' },
      'allow-http-localhost': { type: 'boolean' },
    },
    0,
  );
  const chosen = values.wallet ?? io.env.SKILLPASS_WALLET;
  const walletPath = resolvePath(chosen === undefined || chosen === '' ? DEFAULT_WALLET : chosen, io);
  if (!existsSync(walletPath)) {
    throw new UsageError(`no wallet at ${walletPath} (run skillpass wallet init)`, { code: 'ERR_NOT_FOUND' });
  }
  const port = values.port === '0' ? 0 : positiveInteger(values.port, 'port', DEFAULT_PORT);
  if (port > 65_535) throw new UsageError('--port must be at most 65535');
  const allowHttpLocalhost = values['allow-http-localhost'] === true;
  const catalogue =
    values.catalogue === undefined
      ? undefined
      : await readDocument(values.catalogue, 'training catalogue', io, parseTrainingCatalogue);
  const crosswalk = await loadCrosswalk(values.crosswalk, io);
  const { verifier } = await createVerifierFromFlags(
    {
      'allow-http-localhost': allowHttpLocalhost,
      ...(values.trust === undefined ? {} : { trust: values.trust }),
    },
    io,
  );
  const site = createWalletSite({
    walletPath,
    verifier,
    allowHttpLocalhost,
    ...(catalogue === undefined ? {} : { catalogue }),
    ...(crosswalk === undefined ? {} : { crosswalk }),
  });
  // Loopback only, whatever the environment says: the wallet's pages are for this machine.
  const running = await startIssuerService({ app: site.app as unknown as Hono, port, hostname: '127.0.0.1' });
  io.stderr(`serving the wallet ${walletPath} at ${running.url} (Ctrl-C to stop)\n`);
  io.stdout(`${running.url}/\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  site.close();
  await running.close();
  io.stderr(`stopped (${signal})\n`);
  return EXIT.OK;
}

/** `skillpass wallet serve`. */
export const walletServeCommand: CommandEntry = {
  name: 'wallet serve',
  summary: "serve the worker's pages over their wallet (127.0.0.1 only)",
  usage: USAGE,
  run,
};
