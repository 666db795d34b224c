import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands/index.js';
import { type CliIo, EXIT, processIo, reportError, UsageError } from './io.js';

const USAGE = `skillpass — skills passports: issue, hold, present, verify, match

Usage: skillpass <command> [options]   (skillpass <command> --help for details)

${COMMANDS.map((c) => `  ${c.name.padEnd(22)} ${c.summary}`).join('\n')}

Exit codes: 0 success / verified, 1 not verified or refused, 2 usage or I/O error.
Errors print as \`skillpass: ERR_CODE: message\` on stderr.
`;

/** The version of this package, read from its package.json (one directory above src/ and dist/). */
function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Run the CLI with `argv` (without `node` and the script). Returns the exit code; never
 * calls process.exit, so it can run in-process in tests.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(USAGE);
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  if (argv[0] === '--version') {
    io.stdout(`${cliVersion()}\n`);
    return EXIT.OK;
  }
  // Longest match first: `issuer init` before `issuer`.
  const entry = [...COMMANDS]
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  if (entry === undefined) {
    const code = reportError(new UsageError(`unknown command: ${argv.slice(0, 2).join(' ')}`), io);
    io.stderr(`\n${USAGE}`);
    return code;
  }
  const rest = argv.slice(entry.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${entry.usage}\n`);
    return EXIT.OK;
  }
  try {
    return await entry.run(rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}
