import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { issueSkillCredential } from '@skillpass/issuer';
import { classifyAddress } from '@skillpass/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

// `skillpass verify` checks status by default. A credential anyone can make (did:key) names a
// status list URL that answers with a redirect to an internal address. The CLI runs on the real
// door and the system resolver (no test hook can reach it), so the "public" list host is a
// loopback server admitted by --allow-http-localhost, and the internal target is this machine's
// own non-loopback, non-public interface address (a private or documentation-range address), with
// a listener there counting connections. Every other target is refused before any connection.

const centre = makeIdentity();
const worker = makeIdentity();
const internalAddress = Object.values(networkInterfaces())
  .flat()
  .find(
    (i) =>
      i !== undefined && i.family === 'IPv4' && !i.internal && classifyAddress(i.address) === 'non-public',
  )?.address;

interface Counting {
  server: Server;
  port: number;
  connections: number;
  sockets: Set<Socket>;
}

async function counting(host: string, handler: Parameters<typeof createServer>[1]): Promise<Counting> {
  const server = createServer(handler);
  const state: Counting = { server, port: 0, connections: 0, sockets: new Set() };
  server.on('connection', (socket) => {
    state.connections++;
    state.sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.port = (server.address() as AddressInfo).port;
  return state;
}

let list: Counting;
let internal: Counting | undefined;
/** Every `message` string anywhere in a JSON report. */
function collectMessages(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(collectMessages);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'message' && typeof inner === 'string' ? [inner] : collectMessages(inner),
  );
}

const targets = new Map<string, string>();

beforeAll(async () => {
  if (internalAddress !== undefined)
    internal = await counting(internalAddress, (_req, res) => res.end('internal'));
  list = await counting('127.0.0.1', (req, res) => {
    const to = targets.get(req.url ?? '');
    if (to === undefined) return res.writeHead(404).end();
    res.writeHead(302, { location: to }).end();
  });
});

afterAll(async () => {
  for (const s of [list, internal]) {
    if (s === undefined) continue;
    for (const socket of s.sockets) socket.destroy();
    await new Promise((resolve) => s.server.close(resolve));
  }
});

async function credentialWithStatus(url: string): Promise<string> {
  return (
    await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Self-made Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
      status: {
        id: `${url}#5`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '5',
        statusListCredential: url,
      },
    })
  ).token;
}

describe('skillpass verify: a status URL redirecting to an internal address', () => {
  const cases: [string, () => string][] = [
    [
      'this machine’s own interface address over https',
      () => `https://${internalAddress ?? '10.0.0.1'}:${internal?.port ?? 443}/list`,
    ],
    [
      'this machine’s own interface address over http',
      () => `http://${internalAddress ?? '10.0.0.1'}:${internal?.port ?? 80}/list`,
    ],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', () => 'https://10.0.0.1/list'],
    ['an IPv4-mapped IPv6 private address', () => 'https://[::ffff:a00:1]/list'],
  ];
  for (const [i, [what, target]] of cases.entries()) {
    it(`${what}: ERR_STATUS_UNAVAILABLE, no connection there, nothing about it in the report`, async () => {
      targets.set(`/status/${i}`, target());
      const token = await credentialWithStatus(`http://127.0.0.1:${list.port}/status/${i}`);
      const before = internal?.connections ?? 0;
      const run = await runCli(['verify', '-', '--allow-http-localhost', '--json'], { stdin: token });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      const status = report.credentials[0].checks.find((c: { name: string }) => c.name === 'status');
      expect(status).toMatchObject({ ok: false, code: 'ERR_STATUS_UNAVAILABLE' });
      expect(list.connections).toBeGreaterThan(0); // the list host was asked…
      expect(internal?.connections ?? 0).toBe(before); // …the internal one never
      // What the report says in words (messages, never ids or tokens, which are random and may
      // contain any digits) and what went to stderr must not reveal the redirect or its target.
      const said = [...collectMessages(report), run.stderr].join('\n');
      if (internalAddress !== undefined) expect(said).not.toContain(internalAddress);
      expect(said).not.toContain('169.254');
      expect(said).not.toMatch(/\b302\b/);
      expect(said).not.toMatch(/redirect/i);
    });
  }

  it('without --allow-http-localhost even the loopback list host is never connected to', async () => {
    targets.set('/status/direct', 'https://10.0.0.1/list');
    const token = await credentialWithStatus(`http://127.0.0.1:${list.port}/status/direct`);
    const before = list.connections;
    const run = await runCli(['verify', '-', '--json'], { stdin: token });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.problems.map((p: { code: string }) => p.code)).toContain('ERR_STATUS_UNAVAILABLE');
    expect(list.connections).toBe(before);
  });
});
