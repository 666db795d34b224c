import { SkillpassError } from '@skillpass/core';
import { credentialFormats } from '@skillpass/verifier';
import type { CredentialRecord } from './wallet-db.js';

/** What a backup holds once decrypted: the holder identifier with its private key, and every credential. */
export interface BackupPayload {
  format: 'skillpass-wallet-backup';
  version: 1;
  createdAt: string;
  holder: {
    did: string;
    provider: string;
    controllerKeyId: string;
    keys: { kid: string; type: string; publicKeyHex: string; privateKeyHex: string }[];
  };
  credentials: CredentialRecord[];
}

/**
 * Check the shape of a decrypted backup. It authenticated, so it was written by a skillpass
 * wallet; the check guards against a newer or buggy writer, not an attacker.
 */
export function parseBackupPayload(text: string): BackupPayload {
  const invalid = (what: string) => new SkillpassError('ERR_BACKUP_INVALID', `backup contents: ${what}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  const p = value as Partial<BackupPayload> | null;
  if (p === null || typeof p !== 'object' || p.format !== 'skillpass-wallet-backup')
    throw invalid('not a wallet backup');
  if (p.version !== 1) throw invalid(`unsupported version ${String(p.version)}`);
  const h = p.holder;
  if (
    h === undefined ||
    typeof h.did !== 'string' ||
    typeof h.provider !== 'string' ||
    typeof h.controllerKeyId !== 'string' ||
    !Array.isArray(h.keys) ||
    h.keys.length === 0 ||
    !h.keys.every(
      (k) =>
        typeof k?.kid === 'string' &&
        typeof k.type === 'string' &&
        /^[0-9a-f]+$/i.test(k.publicKeyHex) &&
        /^[0-9a-f]+$/i.test(k.privateKeyHex),
    )
  ) {
    throw invalid('holder identifier is malformed');
  }
  if (
    !Array.isArray(p.credentials) ||
    !p.credentials.every(
      (c) =>
        typeof c?.id === 'string' &&
        typeof c.token === 'string' &&
        typeof c.addedAt === 'string' &&
        credentialFormats().includes(c.format),
    )
  ) {
    throw invalid('credentials are malformed');
  }
  return p as BackupPayload;
}
