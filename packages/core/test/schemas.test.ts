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

  it('names an unexpected field in the path', () => {
    const problems = validateSchema('vacancy', {
      title: 'CNC machinist',
      requirements: [
        { uri: 'http://data.europa.eu/esco/skill/x', name: 'x', importance: 'required', minLevl: 3 },
      ],
    });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['ERR_SCHEMA_INVALID', '/requirements/0/minLevl'],
    ]);
  });

  it('escapes a field name as a JSON Pointer token', () => {
    const problems = validateSchema('vacancy', { title: 'v', requirements: [], 'a/b~c': 1 });
    expect(problems.map((p) => p.path)).toContain('/a~1b~0c');
  });

  it('throws a typed error for an unknown schema name', () => {
    expect(() => getSchemaValidator('nope')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
