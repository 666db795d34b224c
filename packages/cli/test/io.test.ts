import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIo, readInput, readInputBounded, readStreamBounded, UsageError } from '../src/io.js';

const dir = mkdtempSync(join(tmpdir(), 'skillpass-io-'));
const io: CliIo = {
  stdout: () => {},
  stderr: () => {},
  readStdin: async () => '',
  env: {},
  cwd: dir,
  isTTY: false,
};

describe('bounded input', () => {
  it('stops reading a stream once it has more than maxBytes', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024, 'x');
      }
    }
    const bytes = await readStreamBounded(endless(), 10_000);
    expect(bytes.length).toBe(10_001);
    expect(pulled).toBe(10);
  });

  it('reads a large file only up to the limit, and refuses it with ERR_INPUT_TOO_LARGE', async () => {
    writeFileSync(join(dir, 'big.txt'), Buffer.alloc(1024 * 1024, 'y'));
    const bounded = await readInputBounded('big.txt', io, 1000);
    expect(bounded).toMatchObject({ truncated: true });
    expect(bounded.text.length).toBe(1001);
    await expect(readInput('big.txt', io, 1000)).rejects.toMatchObject({ code: 'ERR_INPUT_TOO_LARGE' });
    await expect(readInput('big.txt', io, 1024 * 1024)).resolves.toHaveLength(1024 * 1024);
  });

  it('an unreadable file is a usage error with ERR_NOT_FOUND', async () => {
    const err = await readInput('nothing-here', io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(readInput('.', io)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
  });
});
