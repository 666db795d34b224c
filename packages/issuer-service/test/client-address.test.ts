import { clientAddress, rateLimit } from '@skillpass/web';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { getFrom } from '../../../test-support/from-address.js';
import { startIssuerService } from '../src/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function app(): Hono {
  const a = new Hono();
  a.get('/who', (c) => c.text(clientAddress(c)));
  a.use('/limited', rateLimit({ max: 1, windowSeconds: 60 }));
  a.get('/limited', (c) => c.text('ok'));
  return a;
}

describe('startIssuerService passes the connection on to the app', () => {
  for (const [how, build] of [
    ['an app', () => app()],
    ['an app built from the bound URL', () => async () => app()],
  ] as const) {
    it(`the rate limiter keys on the socket address, one bucket per client (${how})`, async () => {
      const running = await startIssuerService({ app: build(), port: 0 });
      closers.push(() => running.close());
      // Before, every client was 'unknown': one bucket shared by all.
      expect((await getFrom(`${running.url}/who`, '127.0.0.1')).text).toBe('127.0.0.1');
      expect((await getFrom(`${running.url}/who`, '127.0.0.2')).text).toBe('127.0.0.2');
      expect((await getFrom(`${running.url}/limited`, '127.0.0.1')).status).toBe(200);
      expect((await getFrom(`${running.url}/limited`, '127.0.0.1')).status).toBe(429);
      expect((await getFrom(`${running.url}/limited`, '127.0.0.2')).status).toBe(200);
    });
  }
});
