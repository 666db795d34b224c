import { readFileSync } from 'node:fs';
import { isSkillpassError, SkillpassError } from '@skillpass/core';

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
  /** Read all of standard input. */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress bars, colours). */
  isTTY: boolean;
}

/** A command of the CLI. Returns its exit code; throws {@link UsageError} for bad arguments. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Bad arguments or unreadable input: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The process's own I/O. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
  };
}

/** Read a file argument (`-` is standard input); unreadable files are usage errors (exit 2). */
export async function readInput(path: string, io: CliIo, maxBytes = 4 * 1024 * 1024): Promise<string> {
  let text: string;
  try {
    text = path === '-' ? await io.readStdin() : readFileSync(resolvePath(path, io), 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (Buffer.byteLength(text) > maxBytes) throw new UsageError(`${path} is larger than ${maxBytes} bytes`);
  return text;
}

/** Read and parse a JSON file argument; bad JSON is a usage error. */
export async function readJsonInput(path: string, io: CliIo): Promise<unknown> {
  const text = await readInput(path, io);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
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
  if (err instanceof UsageError) {
    io.stderr(`skillpass: ${err.message}\n`);
    return EXIT.USAGE;
  }
  if (isSkillpassError(err)) {
    io.stderr(`skillpass: ${err.code}: ${err.message}\n`);
    for (const p of err.problems) io.stderr(`  ${p.code}${p.path ? ` at ${p.path}` : ''}: ${p.message}\n`);
    return err.code === 'ERR_INVALID_OPTIONS' ? EXIT.USAGE : EXIT.FAILED;
  }
  io.stderr(`skillpass: ${(err as Error)?.message ?? String(err)}\n`);
  return EXIT.USAGE;
}

export { SkillpassError };
