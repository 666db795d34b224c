import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { classifyAddress } from '../packages/net/src/address.js';
import { buildDoor, type DoorNetwork, type DoorOptions } from '../packages/net/src/internal/door.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../packages/net/test/fixtures/${name}`, import.meta.url), 'utf8');

/** Self-signed test certificate for the names and loopback addresses the tests use (valid to 2126). */
export const TEST_CERT = fixture('test-cert.pem');
const TEST_KEY = fixture('test-key.pem');

/** A real server on a loopback address, counting every TCP connection it accepts. */
export interface TestServer {
  host: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests whose headers arrived. */
  requests: number;
  close(): Promise<void>;
}

/** Start an https (default) or http server on `host`, port 0. */
export async function listen(
  host: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: { tls?: boolean } = {},
): Promise<TestServer> {
  const state = { connections: 0, requests: 0 };
  const wrapped = (req: IncomingMessage, res: ServerResponse) => {
    state.requests++;
    handler(req, res);
  };
  const server =
    options.tls === false
      ? createHttpServer(wrapped)
      : createHttpsServer({ key: TEST_KEY, cert: TEST_CERT }, wrapped);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A test network: names resolve to the addresses the test chose (a function for answers that
 * change between lookups), and 127.0.0.1 counts as a public address so that a "public" server
 * can run on loopback while the "internal" one listens on 127.0.0.2 (still loopback, so
 * non-public to the door).
 */
export function testNetwork(
  names: Record<string, string[] | (() => string[])>,
): DoorNetwork & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    lookup: async (hostname) => {
      lookups.push(hostname);
      const entry = names[hostname];
      if (entry === undefined) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      const addresses = typeof entry === 'function' ? entry() : entry;
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
    classify: (address) => (address === '127.0.0.1' ? 'public' : classifyAddress(address)),
    ca: TEST_CERT,
  };
}

/**
 * The door over a test network. Test-only: the door's network hook lives in an internal module
 * that the package's `exports` do not expose, so no CLI flag or config can reach it.
 */
export function testDoor(options: DoorOptions, network: DoorNetwork) {
  return buildDoor(options, network);
}

/** The code of a rejection (undefined when it resolved). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
