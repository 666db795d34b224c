import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { getFrom } from '../../../test-support/from-address.js';
import { type ClientAddressOptions, clientAddress, rateLimit } from '../src/index.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** On 127.0.0.1 port 0: `/who` answers the client address, `/limited` allows one request per client. */
async function listen(options: ClientAddressOptions = {}): Promise<string> {
  const app = new Hono();
  app.get('/who', (c) => c.text(clientAddress(c, options)));
  app.use('/limited', rateLimit({ max: 1, windowSeconds: 60, ...options }));
  app.get('/limited', (c) => c.text('ok'));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    closers.push(() => server.close());
  });
}

describe('clientAddress and the rate limiter’s key', () => {
  it('is the socket’s remote address; X-Forwarded-For is ignored without trusted proxies', async () => {
    const base = await listen();
    expect((await getFrom(`${base}/who`, '127.0.0.1')).text).toBe('127.0.0.1');
    expect((await getFrom(`${base}/who`, '127.0.0.2', { 'x-forwarded-for': '203.0.113.7' })).text).toBe(
      '127.0.0.2',
    );
  });

  it('gives two clients two buckets, and a forged X-Forwarded-For no fresh one', async () => {
    const base = await listen();
    expect((await getFrom(`${base}/limited`, '127.0.0.1')).status).toBe(200);
    expect((await getFrom(`${base}/limited`, '127.0.0.1')).status).toBe(429);
    expect(
      (await getFrom(`${base}/limited`, '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })).status,
    ).toBe(429);
    expect((await getFrom(`${base}/limited`, '127.0.0.2')).status).toBe(200);
    expect((await getFrom(`${base}/limited`, '127.0.0.2')).status).toBe(429);
  });

  it('behind a trusted proxy, is the right-most forwarded address that is not a proxy', async () => {
    const base = await listen({ trustedProxies: ['127.0.0.1', '10.0.0.9'] });
    const who = async (from: string, forwarded?: string) =>
      (await getFrom(`${base}/who`, from, forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }))
        .text;
    expect(await who('127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(await who('127.0.0.1', '198.51.100.1, 203.0.113.7, 10.0.0.9')).toBe('203.0.113.7');
    expect(await who('127.0.0.1', '::ffff:203.0.113.8')).toBe('203.0.113.8');
    expect(await who('127.0.0.1')).toBe('127.0.0.1');
    expect(await who('127.0.0.1', ' , 10.0.0.9')).toBe('127.0.0.1');
    // A connection from elsewhere is not the proxy: its header is not read.
    expect(await who('127.0.0.2', '203.0.113.7')).toBe('127.0.0.2');

    expect((await getFrom(`${base}/limited`, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(
      200,
    );
    expect((await getFrom(`${base}/limited`, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(
      429,
    );
    expect((await getFrom(`${base}/limited`, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(
      200,
    );
  });

  it('is "unknown" for a request made in-process (no socket)', async () => {
    const app = new Hono();
    app.get('/who', (c) => c.text(clientAddress(c, { trustedProxies: ['127.0.0.1'] })));
    expect(await (await app.request('/who', { headers: { 'x-forwarded-for': '203.0.113.7' } })).text()).toBe(
      'unknown',
    );
  });
});
