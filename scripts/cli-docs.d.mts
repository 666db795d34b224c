/** Render docs/cli.md from the CLI's command table. */
export function renderCliDocs(commands: readonly { name: string; summary: string; usage: string }[]): string;
