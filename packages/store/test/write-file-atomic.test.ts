import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '@skillpass/store';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

describe('writeFileAtomically', () => {
  it('replaces the file, owner-only by default, and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'backup');
    writeFileSync(path, 'old content that is longer than the new one');
    writeFileAtomically(path, Buffer.from('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['backup']);
  });

  it('takes a string and a mode for public files', () => {
    const dir = tempDir();
    const path = join(dir, '1');
    writeFileAtomically(path, 'eyJ0', { mode: 0o644 });
    expect(readFileSync(path, 'utf8')).toBe('eyJ0');
    // The umask may only remove bits: nobody but the owner can write, everybody can read.
    expect(statSync(path).mode & 0o644).toBe(0o644);
  });

  it('fails without leaving a temporary file when the target cannot be replaced', () => {
    const dir = tempDir();
    const path = join(dir, 'occupied');
    mkdirSync(join(path, 'child'), { recursive: true });
    expect(() => writeFileAtomically(path, 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['occupied']);
  });
});
