import type { Command } from '../io.js';
import {
  issueCommand,
  issuerInitCommand,
  issuerListCommand,
  issuerRevokeCommand,
  issuerSuspendCommand,
  issuerUnsuspendCommand,
} from './issuer.js';
import { matchCommand, rankCommand } from './match.js';
import { issuerOfferCommand, issuerServeCommand, walletReceiveCommand } from './oid4vci.js';
import { presentCommand } from './present.js';
import { statusPublishCommand } from './status.js';
import {
  verifierInitCommand,
  verifierRequestCommand,
  verifierResultCommand,
  verifierServeCommand,
} from './verifier.js';
import { verifyCommand } from './verify.js';
import {
  walletAddCommand,
  walletClaimCommand,
  walletExportCommand,
  walletImportCommand,
  walletInitCommand,
  walletListCommand,
  walletMatchCommand,
  walletPasswdCommand,
} from './wallet.js';
import { walletServeCommand } from './wallet-serve.js';

/** One CLI command: its words, a one-line summary, its usage text, and what runs it. */
export interface CommandEntry {
  /** The words that select it, e.g. `issuer init`. */
  name: string;
  summary: string;
  usage: string;
  run: Command;
}

/** Every command of the CLI. Each lives in its own file under commands/. */
export const COMMANDS: CommandEntry[] = [
  verifyCommand,
  issuerInitCommand,
  issueCommand,
  issuerRevokeCommand,
  issuerSuspendCommand,
  issuerUnsuspendCommand,
  issuerListCommand,
  issuerOfferCommand,
  issuerServeCommand,
  statusPublishCommand,
  walletInitCommand,
  walletAddCommand,
  walletClaimCommand,
  walletReceiveCommand,
  walletListCommand,
  walletMatchCommand,
  walletExportCommand,
  walletImportCommand,
  walletPasswdCommand,
  walletServeCommand,
  presentCommand,
  matchCommand,
  rankCommand,
  verifierInitCommand,
  verifierServeCommand,
  verifierRequestCommand,
  verifierResultCommand,
];
