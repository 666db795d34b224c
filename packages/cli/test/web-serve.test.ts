import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { initIssuer } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { PageClient } from '../../../test-support/page-client.js';
import { TEST_KDF, tempDir } from '../../issuer-service/test/helpers.js';

const SKILLS = join(import.meta.dirname, '..', '..', '..', 'examples', 'metal-sector', 'centre-skills.json');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Wait until `url` answers; a loaded machine can take seconds to start the server. */
async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer`);
}

describe('the staff pages of issuer serve and verifier serve', () => {
  it('issuer serve takes the access code from a file and the skill list from --skills', async () => {
    const dir = tempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const centre = await initIssuer({
      path: join(dir, 'issuer.db'),
      passphrase: 'centre',
      didKey: true,
      name: 'Centre',
      statusBaseUrl: `${url}/status`,
      ...TEST_KDF,
    });
    centre.close();
    const secretFile = join(dir, 'admin-secret');
    writeFileSync(secretFile, 'a staff code from a file, long enough\n');
    const env = { SKILLPASS_ISSUER_PASSPHRASE: 'centre' };
    const base = ['issuer', 'serve', '--issuer', dir, '--port', String(port), '--public-url', url];

    const short = join(dir, 'short');
    writeFileSync(short, 'too short');
    expect((await runCli([...base, '--admin-secret-file', short], { env })).code).toBe(2);
    expect((await runCli([...base, '--skills', secretFile], { env })).code).toBe(2);

    const serving = runCli([...base, '--skills', SKILLS, '--admin-secret-file', secretFile], { env });
    try {
      await waitFor(`${url}/`);
      const client = new PageClient(url);
      const form = await client.get('/');
      expect(form.text).not.toContain('a staff code from a file');
      expect(
        (await client.post('/sign-in', { name: 'Anja', secret: 'a staff code from a file, long enough' }))
          .status,
      ).toBe(303);
      expect((await client.get('/')).text).toContain('CNC-machines programmeren');
    } finally {
      process.emit('SIGTERM');
    }
    const run = await serving;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`staff pages at ${url}/`);
    expect(run.stderr).not.toContain('access code (this run only)');
  });

  it('verifier serve makes a one-time access code when none is given and prints it on stderr only', async () => {
    const dir = tempDir();
    expect((await runCli(['verifier', 'init', '--dir', dir, '--did-key'])).code).toBe(0);
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
      '--skills',
      SKILLS,
    ]);
    let page = '';
    try {
      await waitFor(`${url}/`);
      page = (await new PageClient(url).get('/')).text;
    } finally {
      process.emit('SIGTERM');
    }
    const run = await serving;
    expect(run.code).toBe(0);
    const code = /staff access code \(this run only\): (\S+)/.exec(run.stderr)?.[1];
    expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(run.stdout).not.toContain(code!);
    expect(page).not.toContain(code!);
    expect(page).toContain('<html lang="nl">');
  });
});
