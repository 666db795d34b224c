import {
  answerPresentationRequest,
  preparePresentationAnswer,
  resolvePresentationRequest,
  sendPresentationAnswer,
} from '@skillpass/holder';
import { describe, expect, it } from 'vitest';
import { createPresentationRequest, readPresentationResult } from '../src/index.js';
import { startVerifier, VACANCY, workerWithCredentials } from './helpers.js';

describe('employer ↔ our wallet over OpenID4VP (loopback)', () => {
  for (const responseMode of ['direct_post.jwt', 'direct_post'] as const) {
    it(`verifies and matches a passport in every format (${responseMode})`, async () => {
      const employer = await startVerifier();
      const { wallet } = await workerWithCredentials({ withLdpVc: true });
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
        'ldp_vc',
        'vc+jwt',
      ]);
      const met = result.match?.requirements.filter((r) => r.outcome === 'met').map((r) => r.name);
      expect(met).toContain('program a CNC controller');
      expect(met).toContain('read standard blueprints');
      expect(met).toContain('operate a CNC lathe');
    });
  }
});

describe('a prepared answer shows the worker exactly what the employer will read', () => {
  it('lists each credential with its decoded claims, sends exactly that, and is refused a second time', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { id, uri } = await createPresentationRequest(employer.store, {
      vacancy: VACANCY,
      responseMode: 'direct_post.jwt',
      allowHttpLocalhost: true,
    });
    const request = await resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true });
    const sdJwt = wallet.list().find((e) => e.format === 'dc+sd-jwt')!;
    const bare = await preparePresentationAnswer(wallet, request);
    const withScore = await preparePresentationAnswer(wallet, request, {
      disclose: { [sdJwt.id]: ['score'] },
    });
    const shownBare = bare.shown.find((s) => s.credentialId === sdJwt.id)!;
    const shownScore = withScore.shown.find((s) => s.credentialId === sdJwt.id)!;
    expect(shownBare.withheld.some((p) => p.endsWith('score'))).toBe(true);
    expect(shownScore.disclosed.some((p) => p.endsWith('score'))).toBe(true);
    expect(JSON.stringify(shownBare.claims)).not.toContain('"score"');
    expect(JSON.stringify(shownScore.claims)).toContain('"score"');
    // A W3C credential is shown whole: its decoded payload, nothing withheld.
    const w3c = withScore.shown.find((s) => s.format !== 'dc+sd-jwt')!;
    expect(w3c.claims).not.toBeNull();
    expect(w3c.withheld).toEqual([]);
    expect(Object.keys(withScore.vpToken).sort()).toEqual(Object.keys(withScore.presented).sort());

    const outcome = await sendPresentationAnswer(request, withScore, { allowHttpLocalhost: true });
    expect(outcome.accepted).toBe(true);
    expect(readPresentationResult(employer.store, id)?.status).toBe('verified');
    const again = await sendPresentationAnswer(request, withScore, { allowHttpLocalhost: true });
    expect(again.accepted).toBe(false);
    expect(again.error?.code).toBe('ERR_REQUEST_ANSWERED');
  });
});
