import { spawn } from 'node:child_process';

/** What a child run printed before it ended, and whether it ended by our SIGKILL. */
export interface KilledChild {
  /** Complete stdout lines starting with the confirmation prefix, prefix removed. */
  confirmed: string[];
  killed: boolean;
}

/**
 * Run a TypeScript child (through tsx) that writes to a store in a loop and prints
 * `<prefix><value>` only after each write committed; SIGKILL it `delayMs` after its first
 * confirmation, so even on a loaded machine it dies among writes. A child that exits by itself
 * must print `DONE`; anything else rejects with its stderr.
 */
export function runAndKill(options: {
  script: string;
  args: string[];
  tsconfig: string;
  prefix: string;
  delayMs: number;
}): Promise<KilledChild> {
  const { script, args, tsconfig, prefix, delayMs } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (timer === undefined && out.includes(prefix))
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Only newline-terminated lines count: a line cut by the kill was never confirmed.
      const lines = out.split('\n').slice(0, -1);
      const confirmed = lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
      if (signal === 'SIGKILL' || (code === 0 && lines.includes('DONE'))) {
        resolve({ confirmed, killed: signal === 'SIGKILL' });
      } else reject(new Error(`child failed (${code ?? signal}): ${err}`));
    });
  });
}
