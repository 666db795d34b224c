import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { preparePresentationAnswer, resolvePresentationRequest } from '@skillpass/holder';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPresentationRequest,
  initVerifier,
  openVerifierStore,
  readPresentationResult,
} from '../src/index.js';
import { onCleanup, tempDir, VACANCY, workerWithCredentials } from './helpers.js';

const SERVE = fileURLToPath(new URL('./fixtures/cluster-serve.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('./fixtures/tsconfig.json', import.meta.url));
const LOCAL = { allowHttpLocalhost: true } as const;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** The service as `workers` node:cluster processes on one store and one port. */
function serveCluster(
  dir: string,
  workers: number,
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, dir, String(workers)], {
    env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) {
        resolve({
          url: out.split('\n')[0]!.trim(),
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`the service exited (${code}) before listening: ${err}`)));
  });
}

/** POST a form on a new connection (so the cluster hands it to the next worker). */
function postForm(url: string, body: string): Promise<{ status: number; body: string; servedBy: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/oid4vp/response`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, servedBy: String(res.headers['x-served-by']) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the verifier service as two processes on one store (node:cluster)', () => {
  it('answers each request once: the same answer raced at both processes is accepted by exactly one', async () => {
    const dir = tempDir();
    initVerifier({ dir, didKey: true });
    const { url, stop } = await serveCluster(dir, 2);
    const store = openVerifierStore(dir);
    onCleanup(() => store.close());
    const { wallet } = await workerWithCredentials();

    const servedBy = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const created = await createPresentationRequest(store, {
        vacancy: VACANCY,
        publicUrl: url,
        responseMode: 'direct_post',
        ...LOCAL,
      });
      const resolved = await resolvePresentationRequest(created.uri, wallet, LOCAL);
      const { vpToken } = await preparePresentationAnswer(wallet, resolved);
      const body = new URLSearchParams({
        state: String(resolved.payload.state),
        vp_token: JSON.stringify(vpToken),
      }).toString();
      // Two connections at once: the cluster gives them to different processes.
      const answers = await Promise.all([postForm(url, body), postForm(url, body)]);
      for (const a of answers) servedBy.add(a.servedBy);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      const refused = JSON.parse(answers.find((a) => a.status === 400)!.body) as Record<string, unknown>;
      expect(refused).toMatchObject({ error: 'invalid_request', skillpass_code: 'ERR_REQUEST_ANSWERED' });
      // The accepted answer's outcome is stored (and visible here) by the time its wallet heard it.
      expect(readPresentationResult(store, created.id)).toMatchObject({ status: 'verified', verified: true });
    }
    expect(servedBy.size).toBe(2);
    expect(await stop()).toBe(0);
  }, 600_000);
});
