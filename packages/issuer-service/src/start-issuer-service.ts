import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Options of {@link startIssuerService}. */
export interface StartIssuerServiceOptions {
  /**
   * The app to serve (from `createIssuerApp`, possibly mounted in a larger one), or a function
   * building it from the bound URL (for port 0, when the public URL is only known once
   * listening); requests before it is built get 503.
   */
  app: Hono | ((boundUrl: string) => Hono | Promise<Hono>);
  /** Port; 0 picks a free one. */
  port: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  hostname?: string;
}

/** A running service. */
export interface RunningIssuerService {
  /** `http://<hostname>:<port>` as bound. */
  url: string;
  port: number;
  /** Stop accepting connections, end idle keep-alive ones, and resolve when the server is closed. */
  close(): Promise<void>;
}

/**
 * Serve an app on node:http (through `@hono/node-server`). Resolves once listening.
 *
 * @example
 * ```ts
 * const running = await startIssuerService({ app: createIssuerApp(options), port: 0 });
 * await running.close();
 * ```
 */
export function startIssuerService(options: StartIssuerServiceOptions): Promise<RunningIssuerService> {
  const hostname = options.hostname ?? '127.0.0.1';
  const build = options.app;
  let app: Hono | undefined = typeof build === 'function' ? undefined : build;
  // The adapter's env (`incoming`, `outgoing`) goes on to the app: the rate limiters key on the
  // socket's remote address in it (without it, every client shared one bucket).
  const handle = (request: Request, env: unknown) =>
    app === undefined
      ? new Response('starting', { status: 503, headers: { 'Retry-After': '1' } })
      : app.fetch(request, env);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: handle, port: options.port, hostname }, async (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const url = `http://${host}:${info.port}`;
      if (typeof build === 'function') {
        try {
          app = await build(url);
        } catch (err) {
          server.close();
          reject(err);
          return;
        }
      }
      resolve({
        url,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
