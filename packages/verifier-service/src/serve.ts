import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A running HTTP server. */
export interface RunningServer {
  /** `http://host:port` it listens on. */
  url: string;
  port: number;
  /** Stop accepting connections, finish the ones in flight, then resolve. */
  close(): Promise<void>;
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** Interface; default 127.0.0.1. */
  hostname?: string;
}

/**
 * Serve a Hono app (the verifier service, with whatever pages are mounted beside it) with
 * Node's HTTP server. Resolves once it listens.
 *
 * @example
 * ```ts
 * const server = await listen(service.app, { port: 0 });
 * process.once('SIGTERM', () => server.close());
 * ```
 */
export function listen(app: Hono, options: ListenOptions): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets would hold close() open until they time out.
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
