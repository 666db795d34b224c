import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { SkillpassError } from '@skillpass/core';

/** Options of {@link writeFileAtomically}. */
export interface WriteFileAtomicallyOptions {
  /**
   * Mode of the new file (before the umask). Default 0o600: only the owner can read it (a
   * backup). Public files, such as published status lists, pass 0o644.
   */
  mode?: number;
  /**
   * Stores the write must never replace. Given (even empty), an existing `path` that is one of
   * them (same device and inode, so also through a hard or symbolic link), any SQLite database,
   * or not a regular file is refused with ERR_ALREADY_EXISTS and nothing is written.
   */
  protect?: readonly string[];
}

/**
 * Replace `path` with `bytes` so that a reader, or the file after a crash or power cut, holds
 * either the old content or the new, never a mix: write a uniquely named sibling (so two
 * writers never share a temporary file), fsync it, rename it over `path`, and fsync the
 * directory so the rename itself is durable. The temporary file is removed on failure.
 *
 * @example
 * ```ts
 * writeFileAtomically('status/1', token, { mode: 0o644 });
 * ```
 */
export function writeFileAtomically(
  path: string,
  bytes: Uint8Array | string,
  options: WriteFileAtomicallyOptions = {},
): void {
  if (options.protect !== undefined) refuseStoreTarget(path, options.protect);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fd = openSync(temp, 'wx', options.mode ?? 0o600);
  try {
    try {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncDirectory(dirname(path));
}

/** fsync a directory, so a rename in it survives a power cut. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Throw ERR_ALREADY_EXISTS when `path` exists and is one of `stores` (same device and inode), a
 * SQLite database, or not a regular file (checked without blocking on a FIFO).
 */
function refuseStoreTarget(path: string, stores: readonly string[]): void {
  const target = statSync(path, { throwIfNoEntry: false });
  if (target === undefined) return;
  for (const store of stores) {
    const own = statSync(store, { throwIfNoEntry: false });
    if (own !== undefined && own.dev === target.dev && own.ino === target.ino) {
      throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} is the store ${store}: it is never replaced`);
    }
  }
  if (!target.isFile())
    throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} exists and is not a regular file`);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const isFile = fstatSync(fd).isFile();
    if (!isFile || (readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_MAGIC))) {
      throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} is a SQLite store: it is never replaced`);
    }
  } finally {
    closeSync(fd);
  }
}
