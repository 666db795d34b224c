import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const core = fileURLToPath(new URL('..', import.meta.url));
const rootSchemas = new URL('../../../schemas/', import.meta.url);
const shipped = new URL('../schemas/', import.meta.url);
const schemaFiles = readdirSync(rootSchemas).filter((f) => f.endsWith('.schema.json'));

describe('the @skillpass/core package', () => {
  it('ships a copy of every schema in schemas/, byte for byte (node packages/core/scripts/sync-schemas.mjs)', () => {
    expect(schemaFiles.length).toBeGreaterThanOrEqual(7);
    expect(
      readdirSync(shipped)
        .filter((f) => f.endsWith('.schema.json'))
        .sort(),
    ).toEqual([...schemaFiles].sort());
    for (const file of schemaFiles) {
      expect(readFileSync(new URL(file, shipped), 'utf8'), file).toBe(
        readFileSync(new URL(file, rootSchemas), 'utf8'),
      );
    }
  });

  it('npm pack includes every schema next to dist/, where SCHEMAS_DIR looks', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: core,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
    const paths = new Set(pack!.files.map((f) => f.path));
    for (const file of schemaFiles) expect(paths.has(`schemas/${file}`), file).toBe(true);
    expect(paths.has('package.json')).toBe(true);
  }, 300_000);

  it('a missing schema folder is one SkillpassError ERR_UNSUPPORTED, not a raw ENOENT', async () => {
    vi.resetModules();
    vi.doMock('node:fs', async (load) => {
      const fs = await load<typeof import('node:fs')>();
      return {
        ...fs,
        readdirSync: () => {
          throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
        },
      };
    });
    try {
      const { validateSchema } = await import('../src/schemas.js');
      expect(() => validateSchema('vacancy', {})).toThrowError(
        expect.objectContaining({ code: 'ERR_UNSUPPORTED' }),
      );
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});
