import { decodeStatusList, getStatusBit } from '@skillpass/core';
import { describe, expect, it } from 'vitest';
import { readConformanceVector, readConformanceVectorJson } from '../test-support/vectors.js';

interface FileCase {
  name: string;
  credentialFile?: string;
  expected: { uncompressedBits: number; setBits: number[] };
}

const cases = readConformanceVectorJson<{ cases: FileCase[] }>(
  'w3c-bitstring-status-list/bitstring-status-list-vectors.json',
).cases.filter((c): c is FileCase & { credentialFile: string } => c.credentialFile !== undefined);

describe('Bitstring status lists of the 1EdTech validator', () => {
  it('has the 1EdTech testlist case to run', () => {
    expect(cases.map((c) => c.name)).toContain('1edtech-testlist-index23-revoked');
  });

  it.each(cases)('$name: decodes to the expected set bits', (c) => {
    const file = c.credentialFile.replace(/^\.\.\//, '');
    const { encodedList } = (
      JSON.parse(readConformanceVector(file)) as { credentialSubject: { encodedList: string } }
    ).credentialSubject;
    const decoded = decodeStatusList(encodedList);
    if (!decoded.ok) throw new Error(decoded.problem.code);
    expect(decoded.bits.length * 8).toBe(c.expected.uncompressedBits);
    const set: number[] = [];
    for (let i = 0; i < decoded.bits.length * 8; i++) if (getStatusBit(decoded.bits, i)) set.push(i);
    expect(set).toEqual(c.expected.setBits);
    if (c.name === '1edtech-testlist-index23-revoked') {
      expect(getStatusBit(decoded.bits, 23)).toBe(true);
      expect(getStatusBit(decoded.bits, 0)).toBe(false);
    }
  });
});
