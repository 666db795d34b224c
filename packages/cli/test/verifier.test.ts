import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePresentationRequest } from '@skillpass/holder';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { tempDir, VACANCY, workerWithCredentials } from '../../verifier-service/test/helpers.js';

/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('skillpass verifier init/serve/request/result and present --request', () => {
  it('runs the whole exchange through the CLI, then refuses a replay', async () => {
    const dir = tempDir();
    const init = await runCli(['verifier', 'init', '--dir', dir, '--did-key']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^decentralized_identifier:did:key:zDn/);
    expect((await runCli(['verifier', 'init', '--dir', dir, '--did-key'])).code).toBe(1);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serving = runCli([
      'verifier',
      'serve',
      '--dir',
      dir,
      '--port',
      String(port),
      '--public-url',
      url,
      '--allow-http-localhost',
      '--no-status',
    ]);
    try {
      // The server records its public URL when it starts; wait for it to answer (a loaded
      // machine can take seconds), and fail here rather than in a later request if it never does.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${url}/oid4vp/request/none`).then(
          () => true,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`${url} did not answer`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const vacancyFile = join(dir, 'vacancy.json');
      writeFileSync(vacancyFile, JSON.stringify(VACANCY));
      const req = await runCli([
        'verifier',
        'request',
        '--dir',
        dir,
        '--vacancy',
        vacancyFile,
        '--json',
        '--allow-http-localhost',
      ]);
      expect(req.code).toBe(0);
      const { request, id } = JSON.parse(req.stdout) as { request: string; id: string };
      expect(Object.keys(JSON.parse(req.stdout)).sort()).toEqual(['id', 'request']);
      expect(request.startsWith('openid4vp://?')).toBe(true);

      expect((await runCli(['verifier', 'result', '--dir', dir, id, '--json'])).code).toBe(1);

      const { wallet } = await workerWithCredentials({ withLdpVc: true });
      const walletPath = wallet.path;
      wallet.close();
      const env = { SKILLPASS_WALLET: walletPath, SKILLPASS_WALLET_PASSPHRASE: 'worker' };
      const noYes = await runCli(['present', '--request', request, '--allow-http-localhost'], { env });
      expect(noYes.code).toBe(2);
      const sent = await runCli(['present', '--request', request, '--yes', '--allow-http-localhost'], {
        env,
      });
      expect(sent.stderr).toContain('required');
      expect(sent.stdout).toBe('accepted\n');
      expect(sent.code).toBe(0);

      const res = await runCli(['verifier', 'result', '--dir', dir, id, '--wait', '5', '--json']);
      expect(res.code).toBe(0);
      const outcome = JSON.parse(res.stdout);
      expect(outcome.status).toBe('verified');
      expect(outcome.verification.verified).toBe(true);
      expect(outcome.verification.credentials.map((c: { format: string }) => c.format).sort()).toEqual([
        'dc+sd-jwt',
        'jwt-vc-1.1',
        'ldp_vc',
        'vc+jwt',
      ]);
      expect(outcome.match.requirements.length).toBe(VACANCY.requirements.length);

      // With a training catalogue: the plan, in the JSON and under the gap table.
      const catalogueFile = fileURLToPath(
        new URL('../../../examples/metal-sector/training-catalogue.json', import.meta.url),
      );
      const planned = await runCli([
        'verifier',
        'result',
        '--dir',
        dir,
        id,
        '--catalogue',
        catalogueFile,
        '--json',
      ]);
      expect(planned.code).toBe(0);
      const withPlan = JSON.parse(planned.stdout);
      expect(withPlan.plan.modules.length).toBeGreaterThan(0);
      expect(withPlan.plan.totalHours).toBeGreaterThan(0);
      const table = await runCli(['verifier', 'result', '--dir', dir, id, '--catalogue', catalogueFile]);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(`Training plan: ${withPlan.plan.modules.length} modules`);
      expect(table.stdout).toMatch(/Score \d\.\d\d {3}required/);

      // The same request URI again: the request object is gone (answered), so the wallet refuses it.
      const again = await runCli(['present', '--request', request, '--yes', '--allow-http-localhost'], {
        env,
      });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('ERR_REQUEST_INVALID');

      // With a qualification map the request also asks for the certifying diplomas.
      const mapFile = fileURLToPath(
        new URL('../../../examples/metal-sector/qualifications.json', import.meta.url),
      );
      const withMap = await runCli([
        'verifier',
        'request',
        '--dir',
        dir,
        '--vacancy',
        vacancyFile,
        '--qualifications',
        mapFile,
        '--json',
        '--allow-http-localhost',
      ]);
      expect(withMap.code).toBe(0);
      const { wallet: other } = await workerWithCredentials();
      const asked = await resolvePresentationRequest(JSON.parse(withMap.stdout).request, other, {
        allowHttpLocalhost: true,
      });
      expect(asked.credentials.map((c) => c.queryId)).toContain('d1_vc');
      expect(asked.sets.at(-1)?.purpose).toContain('diploma');
      const badMap = await runCli([
        'verifier',
        'request',
        '--dir',
        dir,
        '--vacancy',
        vacancyFile,
        '--qualifications',
        vacancyFile,
        '--allow-http-localhost',
      ]);
      expect(badMap.code).toBe(2);
    } finally {
      process.emit('SIGTERM');
      expect((await serving).code).toBe(0);
    }
  });
});
