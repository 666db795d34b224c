import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Options of {@link writeFileAtomically}. */
export interface WriteFileAtomicallyOptions {
  /**
   * Mode of the new file (before the umask). Default 0o600: only the owner can read it (a
   * backup). Public files, such as published status lists, pass 0o644.
   */
  mode?: number;
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
