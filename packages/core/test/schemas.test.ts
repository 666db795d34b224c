import { describe, expect, it } from 'vitest';
import { getSchemaValidator, validateSchema } from '../src/index.js';

describe('schema registry', () => {
  it('compiles each schema once', () => {
    expect(getSchemaValidator('skill-credential')).toBe(getSchemaValidator('skill-credential'));
  });

  it('reports violations with JSON pointer paths', () => {
    const problems = validateSchema('skill-assessment', {
      skill: { uri: 'not a uri', name: 'x' },
      level: 9,
      evidence: [],
    });
    expect(problems.every((p) => p.code === 'ERR_SCHEMA_INVALID')).toBe(true);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/skill/uri', '/level', '/evidence']),
    );
  });

  it('names a missing field in the path', () => {
    const problems = validateSchema('skill-assessment', {
      skill: { name: 'x' },
      level: 1,
      evidence: [{ method: 'portfolio', assessedOn: '2026-01-01' }],
    });
    expect(problems.map((p) => p.path)).toEqual(['/skill/uri']);
  });

  it('throws a typed error for an unknown schema name', () => {
    expect(() => getSchemaValidator('nope')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
