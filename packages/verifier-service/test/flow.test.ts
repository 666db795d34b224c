import { answerPresentationRequest, resolvePresentationRequest } from '@skillpass/holder';
import { describe, expect, it } from 'vitest';
import { createPresentationRequest, readPresentationResult } from '../src/index.js';
import { startVerifier, VACANCY, workerWithCredentials } from './helpers.js';

describe('employer ↔ our wallet over OpenID4VP (loopback)', () => {
  for (const responseMode of ['direct_post.jwt', 'direct_post'] as const) {
    it(`verifies and matches a passport in every format (${responseMode})`, async () => {
      const employer = await startVerifier();
      const { wallet } = await workerWithCredentials();
      const { id, uri } = await createPresentationRequest(employer.store, {
        vacancy: VACANCY,
        responseMode,
        allowHttpLocalhost: true,
      });
      expect(uri.startsWith('openid4vp://?')).toBe(true);
      const request = await resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true });
      expect(request.clientId).toBe(employer.store.identity.clientId);
      expect(request.identityConfirmed).toBe(true);
      const outcome = await answerPresentationRequest(wallet, request, { allowHttpLocalhost: true });
      expect(outcome.error).toBeNull();
      expect(outcome.accepted).toBe(true);
      const result = readPresentationResult(employer.store, id)!;
      expect(result.status).toBe('verified');
      expect(result.verification?.verified).toBe(true);
      expect(result.verification?.credentials.map((c) => c.format).sort()).toEqual([
        'dc+sd-jwt',
        'jwt-vc-1.1',
        'vc+jwt',
      ]);
      const met = result.match?.requirements.filter((r) => r.outcome === 'met').map((r) => r.name);
      expect(met).toContain('program a CNC controller');
      expect(met).toContain('read standard blueprints');
    });
  }
});
