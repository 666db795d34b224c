import { createHash, timingSafeEqual } from 'node:crypto';
import { SkillpassError } from '@skillpass/core';
import { checkKdfParams, deriveKey, type KdfParams, SecretBox } from '@skillpass/store';

/**
 * Backup file format, version 1 (docs/privacy.md):
 *
 * ```
 * magic "SKILLPASS-BACKUP" (16 bytes) ‖ version 0x01 ‖ header length (uint16 BE) ‖ header (JSON)
 * ‖ body (SecretBox blob: 0x01 ‖ nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16))
 * ‖ SHA-256 of everything before (32 bytes)
 * ```
 *
 * The header holds the scrypt parameters and salt and a key-check blob; it is bound to the body
 * as associated data, so changing a parameter makes the body fail to decrypt. The trailing hash
 * catches truncation and accidental damage before any key is derived.
 */
const MAGIC = Buffer.from('SKILLPASS-BACKUP', 'ascii');
const VERSION = 1;
const HASH_BYTES = 32;
const MAX_HEADER_BYTES = 4096;
/** Largest backup accepted (a wallet holds at most a few hundred 64 KiB credentials). */
export const MAX_BACKUP_BYTES = 64 * 1024 * 1024;
const KEY_CHECK_TEXT = 'skillpass backup key check v1';

interface BackupHeader {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  keyCheck: string;
}

/** Encrypt `plaintext` into the bytes of a backup file, under `box` (whose key came from `params`). */
export function encodeBackup(plaintext: string, params: KdfParams, box: SecretBox): Buffer {
  const kdfPart = {
    kdf: 'scrypt' as const,
    N: params.N,
    r: params.r,
    p: params.p,
    salt: Buffer.from(params.salt).toString('base64url'),
  };
  const header: BackupHeader = {
    ...kdfPart,
    keyCheck: box.encrypt(KEY_CHECK_TEXT, keyCheckAd(kdfPart)).toString('base64url'),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(headerBytes.length);
  const body = box.encrypt(plaintext, bodyAd(headerBytes));
  const content = Buffer.concat([MAGIC, Buffer.from([VERSION]), length, headerBytes, body]);
  return Buffer.concat([content, createHash('sha256').update(content).digest()]);
}

/**
 * Check and decrypt backup bytes. A truncated, damaged or altered file is ERR_BACKUP_INVALID,
 * and so are key-derivation parameters out of range or failing (refused before deriving when
 * too costly); a wrong passphrase is ERR_WALLET_LOCKED, an empty one ERR_INVALID_OPTIONS.
 * Never returns unauthenticated data.
 */
export async function decodeBackup(bytes: Buffer, passphrase: string): Promise<string> {
  const invalid = (message: string, cause?: unknown) =>
    new SkillpassError('ERR_BACKUP_INVALID', message, cause === undefined ? undefined : { cause });
  if (bytes.length > MAX_BACKUP_BYTES) throw invalid(`a backup is at most ${MAX_BACKUP_BYTES} bytes`);
  if (bytes.length < MAGIC.length + 3 + HASH_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw invalid('not a skillpass wallet backup');
  }
  if (bytes[MAGIC.length] !== VERSION) throw invalid(`unsupported backup version ${bytes[MAGIC.length]}`);
  const content = bytes.subarray(0, bytes.length - HASH_BYTES);
  const digest = createHash('sha256').update(content).digest();
  if (!timingSafeEqual(digest, bytes.subarray(bytes.length - HASH_BYTES))) {
    throw invalid('the backup is truncated or altered (integrity check failed)');
  }
  const headerLength = content.readUInt16BE(MAGIC.length + 1);
  const headerStart = MAGIC.length + 3;
  if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > content.length) {
    throw invalid('the backup header is malformed');
  }
  const headerBytes = content.subarray(headerStart, headerStart + headerLength);
  const header = parseHeader(headerBytes);
  if (header === undefined) throw invalid('the backup header is malformed');
  const params: KdfParams = {
    N: header.N,
    r: header.r,
    p: header.p,
    salt: Buffer.from(header.salt, 'base64url'),
  };
  if (typeof passphrase !== 'string' || passphrase === '') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the backup passphrase is empty');
  }
  // The parameters come from the file: checked (memory and work capped) before any derivation,
  // and whatever goes wrong deriving is the file's fault, not the caller's options.
  try {
    checkKdfParams(params, { allowWeakKdf: true });
  } catch (err) {
    throw invalid('the backup key-derivation parameters are out of range', err);
  }
  let key: Buffer;
  try {
    key = await deriveKey(passphrase, params, { allowWeakKdf: true });
  } catch (err) {
    throw invalid('the backup key cannot be derived with its parameters', err);
  }
  const box = new SecretBox(key);
  const { keyCheck, ...kdfPart } = header;
  try {
    box.decrypt(Buffer.from(keyCheck, 'base64url'), keyCheckAd(kdfPart));
  } catch {
    throw new SkillpassError('ERR_WALLET_LOCKED', 'wrong backup passphrase');
  }
  try {
    return box.decryptText(content.subarray(headerStart + headerLength), bodyAd(headerBytes));
  } catch (err) {
    throw invalid('the backup contents do not authenticate (altered)', err);
  }
}

function parseHeader(bytes: Buffer): BackupHeader | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const h = value as Partial<BackupHeader> | null;
  if (
    h === null ||
    typeof h !== 'object' ||
    h.kdf !== 'scrypt' ||
    typeof h.N !== 'number' ||
    typeof h.r !== 'number' ||
    typeof h.p !== 'number' ||
    typeof h.salt !== 'string' ||
    typeof h.keyCheck !== 'string'
  ) {
    return undefined;
  }
  return h as BackupHeader;
}

function keyCheckAd(kdfPart: Omit<BackupHeader, 'keyCheck'>): string {
  return `skillpass-backup\u0000key-check\u0000${kdfPart.kdf}\u0000${kdfPart.N}\u0000${kdfPart.r}\u0000${kdfPart.p}\u0000${kdfPart.salt}`;
}

function bodyAd(headerBytes: Buffer): string {
  return `skillpass-backup\u0000v${VERSION}\u0000${headerBytes.toString('base64url')}`;
}
