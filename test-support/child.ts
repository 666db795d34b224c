import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The built CLI entry point (`packages/cli/bin/skillpass.js`, which loads `dist/`). */
export const CLI_BIN: string = join(repoRoot, 'packages', 'cli', 'bin', 'skillpass.js');

let built = false;

/**
 * Bring `dist/` up to date (`tsc -b`, incremental: about a second when nothing changed) so a
 * child process runs the code under test, not a stale build. Test files run in parallel
 * workers: a lock file in the temp folder lets one build at a time.
 */
export function ensureBuilt(): void {
  if (built) return;
  const lockDir = join(tmpdir(), 'skillpass-build-locks');
  mkdirSync(lockDir, { recursive: true });
  const lock = join(lockDir, `${Buffer.from(repoRoot).toString('base64url').slice(-100)}.lock`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      // A lock older than 5 minutes belongs to a process that died while building.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    built = true;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** What a child process printed, and how it ended. */
export interface ChildRun {
  /** Exit code, or null when it ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runChild} and {@link runBin}. */
export interface ChildOptions {
  cwd?: string;
  /** The whole environment of the child (not merged with this process's). Default: PATH and HOME only. */
  env?: Record<string, string | undefined>;
  /** Written to the child's standard input, which is then closed. Default: closed at once (empty). */
  stdin?: string | Buffer;
  /** Kill the child (SIGKILL) after this long and reject. Default 60 s: generous on a loaded machine. */
  timeoutMs?: number;
}

/** A minimal environment: a child sees no passphrase or vector path of the test process by accident. */
export function baseEnv(): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME };
}

/**
 * Run `command args` as a child process and collect its output. Resolves however the child
 * ends (any exit code or signal); rejects only when it cannot start or runs past `timeoutMs`.
 */
export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildRun> {
  const child = spawnChild(command, args, options);
  return collect(child, options);
}

/** Run the built `skillpass` bin (node bin/skillpass.js) with `argv`, after {@link ensureBuilt}. */
export function runBin(argv: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  ensureBuilt();
  return runChild(process.execPath, [CLI_BIN, ...argv], options);
}

/**
 * Start `command args` with piped stdio and return the process, for tests that drive stdin or
 * stdout themselves (a FIFO, a reader that closes early). Pair with {@link collect}.
 */
export function spawnChild(
  command: string,
  args: readonly string[],
  options: Pick<ChildOptions, 'cwd' | 'env'> & { stdio?: SpawnOptions['stdio'] } = {},
): ChildProcess {
  return spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? baseEnv(),
    stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'],
  });
}

/** Wait for a spawned child to end, collecting whatever it printed on piped stdout/stderr. */
export function collect(
  child: ChildProcess,
  options: Pick<ChildOptions, 'stdin' | 'timeoutMs'> = {},
): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr?.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ran longer than ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (child.stdin !== null) {
      // A child that exits without reading its input makes the write fail with EPIPE: not our error.
      child.stdin.on('error', () => {});
      child.stdin.end(options.stdin ?? '');
    }
  });
}
