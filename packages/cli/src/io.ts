import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { type ErrorCode, isSkillpassError, neutraliseText, type Problem } from '@skillpass/core';

/** Exit codes of the skillpass CLI. Part of the contract: see docs/cli.md. */
export const EXIT = {
  /** Success; for `verify`, the input verified. */
  OK: 0,
  /** The command ran but the answer is no (not verified, nothing matched, operation refused). */
  FAILED: 1,
  /** Usage error, unreadable input, or an I/O failure. */
  USAGE: 2,
} as const;

/** Where a command reads and writes; injectable so tests run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Read standard input. With `maxBytes`, an implementation may stop once more than that many
   * bytes have arrived (the caller refuses the input then), so memory stays bounded.
   */
  readStdin(maxBytes?: number): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress bars, colours). */
  isTTY: boolean;
  /** Ask the person at the terminal a question and return their answer line; absent when nobody can answer. */
  prompt?(question: string): Promise<string>;
}

/** A command of the CLI. Returns its exit code; throws {@link UsageError} for bad arguments. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Options of {@link UsageError}. */
export interface UsageErrorOptions {
  /** The code printed before the message. Default ERR_INVALID_OPTIONS. */
  code?: ErrorCode;
  /** Problems printed one per line under the message (e.g. every schema violation). */
  problems?: readonly Problem[];
  /** The command's usage text, printed after the message and its problems. */
  usage?: string;
  cause?: unknown;
}

/**
 * Bad arguments or unreadable input: exit code 2, printed as `skillpass: ERR_CODE: message`.
 * The code says what was wrong: ERR_INVALID_OPTIONS (flags), ERR_NOT_FOUND (a file that cannot
 * be read), ERR_INPUT_TOO_LARGE, ERR_MALFORMED (not JSON), or the code of a document that does
 * not load (ERR_SCHEMA_INVALID, ERR_SIGNATURE_INVALID…).
 */
export class UsageError extends Error {
  /** Stable code; assert on this, never on `message`. */
  readonly code: ErrorCode;
  /** Problems behind this error, when there are several. */
  readonly problems: readonly Problem[];
  /** The command's usage text, when the message should be followed by it. */
  readonly usage: string | undefined;

  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
    this.code = options.code ?? 'ERR_INVALID_OPTIONS';
    this.problems = options.problems ?? [];
    this.usage = options.usage;
  }
}

/** Largest file argument read by default, in bytes (4 MiB: twice the largest passport). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** The process's own I/O. */
export function processIo(): CliIo {
  // A reader that goes away (`skillpass rank … --json | head -c 10`) is a normal end: the rest
  // of the output is dropped silently and the command ends with its own exit code, instead of
  // an unhandled EPIPE error and a stack trace.
  const open = { stdout: true, stderr: true };
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && open[name]) throw err;
      open[name] = false;
    });
  }
  return {
    stdout: (t) => {
      if (open.stdout) process.stdout.write(t);
    },
    stderr: (t) => {
      if (open.stderr) process.stderr.write(t);
    },
    readStdin: async (maxBytes = Number.POSITIVE_INFINITY) =>
      (await readStreamBounded(process.stdin, maxBytes)).toString('utf8'),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
    ...(process.stdin.isTTY === true
      ? {
          prompt: async (question: string) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return await rl.question(question);
            } finally {
              rl.close();
            }
          },
        }
      : {}),
  };
}

/**
 * Read chunks from `stream` until more than `maxBytes` bytes have arrived, then stop reading
 * (the stream is closed): at most `maxBytes + 1` bytes are returned, so memory stays bounded
 * whatever the input's size.
 */
export async function readStreamBounded(
  stream: AsyncIterable<Buffer | string>,
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buffer);
    total += buffer.length;
    if (total > maxBytes) break;
  }
  const all = Buffer.concat(chunks);
  return all.length > maxBytes + 1 ? all.subarray(0, maxBytes + 1) : all;
}

/**
 * Read at most `maxBytes + 1` bytes of a regular file. The file is opened non-blocking and its
 * kind checked on the open descriptor before any read, so a FIFO, device, socket or directory
 * given as a file (or planted in a directory the CLI reads) is refused at once rather than
 * waited on forever: ERR_NOT_FOUND, "not a regular file".
 */
async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) {
      throw new UsageError(`cannot read ${file}: not a regular file`, { code: 'ERR_NOT_FOUND' });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

/** What {@link readInputBounded} read. */
export interface BoundedInput {
  /** The input; when `truncated`, only its first `maxBytes + 1` bytes. */
  text: string;
  /** True when the input is larger than `maxBytes`. */
  truncated: boolean;
}

/**
 * Read a file argument (`-` is standard input), never more than `maxBytes + 1` bytes of it.
 * An unreadable file is a usage error (ERR_NOT_FOUND, exit 2); an oversized one is returned
 * truncated, for callers that report the size themselves (a verifier reports
 * ERR_INPUT_TOO_LARGE for a token longer than its limit).
 */
export async function readInputBounded(
  path: string,
  io: CliIo,
  maxBytes = MAX_INPUT_BYTES,
): Promise<BoundedInput> {
  let bytes: Buffer;
  try {
    bytes =
      path === '-'
        ? Buffer.from(await io.readStdin(maxBytes), 'utf8')
        : await readRegularFile(resolvePath(path, io), maxBytes);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { code: 'ERR_NOT_FOUND', cause: err },
    );
  }
  const truncated = bytes.length > maxBytes;
  return { text: (truncated ? bytes.subarray(0, maxBytes + 1) : bytes).toString('utf8'), truncated };
}

/**
 * Read a file argument (`-` is standard input). Unreadable (ERR_NOT_FOUND) or larger than
 * `maxBytes` (ERR_INPUT_TOO_LARGE) is a usage error, exit 2.
 */
export async function readInput(path: string, io: CliIo, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  const { text, truncated } = await readInputBounded(path, io, maxBytes);
  if (truncated) {
    throw new UsageError(`${path} is larger than ${maxBytes} bytes`, { code: 'ERR_INPUT_TOO_LARGE' });
  }
  return text;
}

/** Read and parse a JSON file argument; bad JSON is a usage error (ERR_MALFORMED). */
export async function readJsonInput(path: string, io: CliIo): Promise<unknown> {
  const text = await readInput(path, io);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`, { code: 'ERR_MALFORMED' });
  }
}

/** Resolve a path against the command's working directory. */
export function resolvePath(path: string, io: CliIo): string {
  return path.startsWith('/') ? path : `${io.cwd}/${path}`;
}

/**
 * The passphrase for an encrypted store: `--passphrase-file`, else the named environment variable.
 * Never taken from a plain flag, so it does not end up in shell history or `ps`.
 */
export async function readPassphrase(
  io: CliIo,
  options: { file?: string | undefined; envVar: string; what: string },
): Promise<string> {
  if (options.file !== undefined) return (await readInput(options.file, io)).replace(/\r?\n$/, '');
  const value = io.env[options.envVar];
  if (value === undefined || value === '') {
    throw new UsageError(
      `${options.what} passphrase needed: set ${options.envVar} or pass --passphrase-file <file>`,
    );
  }
  return value;
}

/** Print an error the way every command does: `skillpass: ERR_CODE: message`. Returns the exit code. */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UsageError || isSkillpassError(err)) {
    // Messages quote input (file names, ids, values): shown neutralised, one line each.
    io.stderr(`skillpass: ${err.code}: ${neutraliseText(err.message)}\n`);
    for (const p of err.problems) {
      io.stderr(
        `  ${p.code}${p.path ? ` at ${neutraliseText(p.path)}` : ''}: ${neutraliseText(p.message)}\n`,
      );
    }
    if (err instanceof UsageError && err.usage !== undefined) io.stderr(`\n${err.usage}\n`);
    return err instanceof UsageError || err.code === 'ERR_INVALID_OPTIONS' ? EXIT.USAGE : EXIT.FAILED;
  }
  io.stderr(`skillpass: ${neutraliseText((err as Error)?.message ?? String(err))}\n`);
  return EXIT.USAGE;
}
