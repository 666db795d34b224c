import { clientAddress, rateLimit } from '@skillpass/web';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { getFrom } from '../../../test-support/from-address.js';
import { listen } from '../src/index.js';

describe('listen passes the connection on to the app', () => {
  it('the rate limiter keys on the socket address, one bucket per client', async () => {
    const app = new Hono();
    app.get('/who', (c) => c.text(clientAddress(c)));
    app.use('/limited', rateLimit({ max: 1, windowSeconds: 60 }));
    app.get('/limited', (c) => c.text('ok'));
    const server = await listen(app, { port: 0 });
    try {
      expect((await getFrom(`${server.url}/who`, '127.0.0.2')).text).toBe('127.0.0.2');
      expect((await getFrom(`${server.url}/limited`, '127.0.0.1')).status).toBe(200);
      expect((await getFrom(`${server.url}/limited`, '127.0.0.1')).status).toBe(429);
      expect((await getFrom(`${server.url}/limited`, '127.0.0.2')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
