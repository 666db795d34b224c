import { readFileSync } from 'node:fs';
import { createDidResolver } from '@skillpass/core';
import { answerPresentationRequest, resolvePresentationRequest } from '@skillpass/holder';
import { parseQualificationMap } from '@skillpass/match';
import { createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import {
  createDcqlQuery,
  createPresentationRequest,
  createVerifierService,
  initVerifier,
  listen,
  MAX_DCQL_QUALIFICATIONS,
  openVerifierStore,
  readPresentationResult,
} from '../src/index.js';
import { tempDir, VACANCY, workerWithCredentials } from './helpers.js';

// A diploma certifies skills through the employer's qualification map: with the map, the
// request asks for the diplomas (optional alternatives) and the match lets a verified diploma
// meet the skills it certifies.

const mapPath = new URL('../../../examples/metal-sector/qualifications.json', import.meta.url);
const MAP_DOCUMENT = JSON.parse(readFileSync(mapPath, 'utf8'));
const QUALIFICATIONS = parseQualificationMap(MAP_DOCUMENT);
const ALLROUND = 'crebo:illustrative-25293';

describe('createDcqlQuery with a qualification map', () => {
  it('asks for each diploma certifying a skill of the vacancy, as an optional set per qualification', () => {
    const plain = createDcqlQuery(VACANCY);
    const withMap = createDcqlQuery(VACANCY, { qualifications: QUALIFICATIONS });
    expect(plain.credentials.some((c) => c.id.startsWith('d'))).toBe(false);
    expect(withMap.credentials.slice(0, plain.credentials.length)).toEqual(plain.credentials);
    const diplomas = withMap.credentials.filter((c) => c.id.startsWith('d'));
    // Both example qualifications certify skills of the CNC vacancy.
    expect(diplomas.map((c) => c.id)).toEqual(['d0_sd', 'd0_vc', 'd0_ldp', 'd1_sd', 'd1_vc', 'd1_ldp']);
    expect(JSON.stringify(diplomas)).toContain(ALLROUND);
    const sets = withMap.credential_sets!.slice(plain.credential_sets!.length);
    expect(sets.map((s) => s.options)).toEqual([
      [['d0_sd'], ['d0_vc'], ['d0_ldp']],
      [['d1_sd'], ['d1_vc'], ['d1_ldp']],
    ]);
    expect(sets.every((s) => s.required === false)).toBe(true);
    expect(sets[1]!.purpose).toContain('set up machine tools and work holding');
  });

  it('leaves out qualifications certifying nothing the vacancy asks, and caps the number asked', () => {
    const unrelated = {
      ...MAP_DOCUMENT,
      qualifications: [
        ...MAP_DOCUMENT.qualifications,
        ...Array.from({ length: MAX_DCQL_QUALIFICATIONS + 5 }, (_, i) => ({
          ...MAP_DOCUMENT.qualifications[0],
          id: `crebo:test-${i}`,
        })),
        {
          ...MAP_DOCUMENT.qualifications[0],
          id: 'crebo:bakery',
          skills: [{ uri: 'http://example.com/skill/bake-bread', name: 'bake bread', level: 3 }],
        },
      ],
    };
    const query = createDcqlQuery(VACANCY, { qualifications: parseQualificationMap(unrelated) });
    const diplomas = query.credentials.filter((c) => c.id.startsWith('d'));
    expect(diplomas).toHaveLength(3 * MAX_DCQL_QUALIFICATIONS);
    expect(JSON.stringify(query)).not.toContain('crebo:bakery');
  });
});

describe('a diploma over OpenID4VP, matched through the qualification map', () => {
  it('is asked for, presented, verified, and meets the skills it certifies', async () => {
    const dir = tempDir();
    initVerifier({ dir, didKey: true });
    const store = openVerifierStore(dir);
    const resolver = createDidResolver({ allowHttpLocalhost: true });
    // As `verifier serve --qualifications`: the service's match uses the map.
    const service = createVerifierService({
      store,
      verifier: createVerifier({ resolver }),
      resolver,
      qualifications: QUALIFICATIONS,
    });
    const server = await listen(service.app, { port: 0 });
    try {
      const { wallet, centre } = await workerWithCredentials();
      const diploma = await centre.issue(
        {
          skill: { uri: ALLROUND, name: 'Allround verspaner (MBO level 3)', achievementType: 'Diploma' },
          level: 3,
          evidence: [{ method: 'practical-exam', assessedOn: new Date().toISOString().slice(0, 10) }],
        },
        { subject: wallet.did, format: 'vc+jwt' },
      );
      await wallet.addCredential(diploma.token);
      const { id, uri } = await createPresentationRequest(store, {
        vacancy: VACANCY,
        qualifications: QUALIFICATIONS,
        publicUrl: server.url,
        allowHttpLocalhost: true,
      });
      const request = await resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true });
      const asked = request.credentials.find((c) => c.matches.includes(diploma.id));
      expect(asked?.queryId).toMatch(/^d\d+_vc$/);
      const outcome = await answerPresentationRequest(wallet, request, { allowHttpLocalhost: true });
      expect(outcome.error).toBeNull();
      expect(Object.values(outcome.presented)).toContain(diploma.id);
      const result = readPresentationResult(store, id)!;
      expect(result.status).toBe('verified');
      const setUp = result.match?.requirements.find(
        (r) => r.name === 'set up machine tools and work holding',
      );
      expect(setUp?.outcome).toBe('met');
      expect(setUp?.via).toBe('qualification');
      expect(setUp?.held?.qualification?.id).toBe(ALLROUND);
    } finally {
      await server.close();
      store.close();
    }
  });
});
