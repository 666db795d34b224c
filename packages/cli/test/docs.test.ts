import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCliDocs } from '../../../scripts/cli-docs.mjs';
import { COMMANDS } from '../src/commands/index.js';

describe('docs/cli.md', () => {
  it('is generated from the current usage texts (run node scripts/cli-docs.mjs)', () => {
    const onDisk = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderCliDocs(COMMANDS));
  });
});
