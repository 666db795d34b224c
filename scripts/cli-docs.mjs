#!/usr/bin/env node
// Writes docs/cli.md from the CLI's own usage texts, so the reference never drifts from the code.
// `node scripts/cli-docs.mjs` (after `npm run build`); packages/cli/test/docs.test.ts checks it is current.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Render the CLI reference from the command table. */
export function renderCliDocs(commands) {
  const sections = commands.map(
    (c) => `## skillpass ${c.name}\n\n${c.summary}.\n\n\`\`\`text\n${c.usage.trim()}\n\`\`\`\n`,
  );
  return `# skillpass CLI

The \`skillpass\` command (package \`packages/cli\`, a real \`bin\`) covers the three parties:
assessment centres (\`issuer …\`, \`issue\`, \`status publish\`), workers (\`wallet …\`, \`present\`)
and employers or integrators (\`verify\`, \`match\`, \`rank\`). After \`npm run build\` run it as
\`node packages/cli/bin/skillpass.js\`, or \`pnpm exec skillpass\` inside the workspace.

This page is generated from the commands' own \`--help\` texts (\`node scripts/cli-docs.mjs\`).

## Conventions

- **Exit codes** (every command): \`0\` success (for \`verify\`: verified), \`1\` the command ran but
  the answer is no (not verified, refused: wrong passphrase, duplicate, revoked id unknown…),
  \`2\` usage error, unreadable input or I/O error.
- **Errors** are printed to stderr as \`skillpass: ERR_CODE: message\`, with one line per problem;
  the codes are those of [verification.md](verification.md).
- **Passphrases** never come from a plain flag (shell history, \`ps\`): the issuer's from
  \`SKILLPASS_ISSUER_PASSPHRASE\`, the wallet's from \`SKILLPASS_WALLET_PASSPHRASE\`, a backup's from
  \`SKILLPASS_BACKUP_PASSPHRASE\`, or \`--passphrase-file <file>\`.
- \`-\` as a file argument reads standard input. \`--json\` prints machine-readable output.
- Private keys are never printed.

## Commands

| command | summary |
| --- | --- |
${commands.map((c) => `| \`skillpass ${c.name}\` | ${c.summary} |`).join('\n')}

${sections.join('\n')}`;
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { COMMANDS } = await import('../packages/cli/dist/commands/index.js');
  writeFileSync(join(here, '..', 'docs', 'cli.md'), renderCliDocs(COMMANDS));
  process.stdout.write('wrote docs/cli.md\n');
}
