import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CSRF_FIELD,
  createPageApp,
  csrfField,
  html,
  type PageEnv,
  rateLimit,
  renderErrorPage,
  renderPage,
  SessionStore,
} from '../src/index.js';

const sessions = new SessionStore<{ who: string }>({ idleSeconds: 60 });

function buildApp(): Hono<PageEnv> {
  const app = createPageApp({ siteName: { nl: 'Proefsite', en: 'Test site' }, maxBodyBytes: 2048 });
  app.get('/', (c) =>
    renderPage(c, {
      title: c.get('lang') === 'nl' ? 'Begin' : 'Start',
      nav: [{ href: '/', label: 'Start' }],
      main: html`<form method="post" action="/login">${csrfField(c.get('csrfToken'))}<button>Go</button></form>
<p id="who">${sessions.get(c)?.who ?? '-'}</p>`,
    }),
  );
  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    sessions.start(c, { who: String(body.who ?? '') });
    return c.redirect('/', 303);
  });
  app.post('/logout', (c) => {
    sessions.end(c);
    return c.redirect('/', 303);
  });
  app.use('/public/*', rateLimit({ max: 3, windowSeconds: 60 }));
  app.get('/public/ping', (c) => c.text('pong'));
  app.notFound((c) => renderErrorPage(c as never, 404, 'ERR_NOT_FOUND'));
  return app;
}

let base = '';
let close: () => void = () => {};

beforeAll(async () => {
  const app = buildApp();
  await new Promise<void>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
    close = () => server.close();
  });
});
afterAll(() => close());

/** The cookie pairs (`name=value`) of a response. */
function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie();
}

async function getTokenAndCookie(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${base}/`);
  const page = await res.text();
  const token = new RegExp(`name="${CSRF_FIELD}" value="([^"]+)"`).exec(page)?.[1];
  const cookie = cookiesOf(res).find((c) => c.startsWith('sp_csrf='));
  if (!token || !cookie) throw new Error('no CSRF token or cookie');
  return { token, cookie: cookie.split(';')[0]! };
}

describe('a page app', () => {
  it('sends the strict CSP and the other security headers on pages and assets', async () => {
    for (const path of ['/', '/assets/skillpass.css']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('renders a whole page with no inline script or style, Dutch when in doubt', async () => {
    const res = await fetch(`${base}/`, { headers: { 'accept-language': 'fr' } });
    const page = await res.text();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(page).toMatch(/^<!doctype html>\n<html lang="nl">/);
    expect(page).toContain('<h1>Begin</h1>');
    expect(page).toContain('<script src="/assets/skillpass.js" defer></script>');
    expect(page).not.toMatch(/<script>|<style|style="|onclick=/i);
    expect(page).toContain('href="/?lang=en"');
  });

  it('follows Accept-Language, and the switch sets a cookie that wins afterwards', async () => {
    const en = await fetch(`${base}/`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(await en.text()).toContain('<html lang="en">');
    const switched = await fetch(`${base}/?lang=nl`, { headers: { 'accept-language': 'en' } });
    expect(await switched.text()).toContain('<html lang="nl">');
    const langCookie = cookiesOf(switched).find((c) => c.startsWith('sp_lang=nl'));
    expect(langCookie).toMatch(/HttpOnly/);
    expect(langCookie).toMatch(/SameSite=Strict/);
    const later = await fetch(`${base}/`, {
      headers: { 'accept-language': 'en', cookie: langCookie!.split(';')[0]! },
    });
    expect(await later.text()).toContain('<html lang="nl">');
  });

  it('serves the built assets with an ETag and answers 304 to a matching If-None-Match', async () => {
    const css = await fetch(`${base}/assets/skillpass.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('.skip-link');
    const etag = css.headers.get('etag')!;
    const again = await fetch(`${base}/assets/skillpass.css`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const js = await fetch(`${base}/assets/skillpass.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${base}/assets/nope.js`)).status).toBe(404);
  });

  it('refuses a form post without the CSRF token, with a wrong one, or from another origin', async () => {
    const { token, cookie } = await getTokenAndCookie();
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const cases = [
      post('who=a', { cookie }),
      post(`who=a&${CSRF_FIELD}=${token}`, {}),
      post(`who=a&${CSRF_FIELD}=${token.replace(/^./, token[0] === 'A' ? 'B' : 'A')}`, { cookie }),
      post(`who=a&${CSRF_FIELD}=${token}`, { cookie, origin: 'http://evil.example' }),
      post(`who=a&${CSRF_FIELD}=${token}`, { cookie, origin: 'null' }),
      post(`who=a&${CSRF_FIELD}=${token}`, { cookie, 'sec-fetch-site': 'cross-site' }),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('data-error-code="ERR_CSRF_REJECTED"');
    }
  });

  it('accepts the token by form field or header, and starts a session with a safe cookie', async () => {
    const { token, cookie } = await getTokenAndCookie();
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: base },
      body: `who=${encodeURIComponent('<Ana>')}&${CSRF_FIELD}=${token}`,
    });
    expect(res.status).toBe(303);
    const session = cookiesOf(res).find((c) => c.startsWith('sp_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/); // plain http on loopback
    const sessionPair = session.split(';')[0]!;
    const page = await (await fetch(`${base}/`, { headers: { cookie: `${cookie}; ${sessionPair}` } })).text();
    expect(page).toContain('<p id="who">&lt;Ana&gt;</p>');

    const out = await fetch(`${base}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `${cookie}; ${sessionPair}`, 'x-csrf-token': token },
    });
    expect(out.status).toBe(303);
    const after = await (
      await fetch(`${base}/`, { headers: { cookie: `${cookie}; ${sessionPair}` } })
    ).text();
    expect(after).toContain('<p id="who">-</p>');
  });

  it('answers a body over the limit with ERR_INPUT_TOO_LARGE', async () => {
    const { token, cookie } = await getTokenAndCookie();
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: `${CSRF_FIELD}=${token}&who=${'x'.repeat(5000)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('data-error-code="ERR_INPUT_TOO_LARGE"');
  });

  it('rate-limits a public endpoint per client with 429, Retry-After and ERR_RATE_LIMITED', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${base}/public/ping`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { code: string }).code).toBe('ERR_RATE_LIMITED');
  });

  it('renders an error page with the code for an unknown path', async () => {
    const res = await fetch(`${base}/nowhere`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).toContain('data-error-code="ERR_NOT_FOUND"');
    expect(page).toContain('<html lang="en">');
  });
});

describe('SessionStore', () => {
  it('marks the cookie Secure with the __Host- prefix over https, and forgets idle sessions', async () => {
    let now = 0;
    const ended: number[] = [];
    const store = new SessionStore<number>({ idleSeconds: 10, now: () => now, onEnd: (n) => ended.push(n) });
    const app = createPageApp({ siteName: { nl: 'x', en: 'x' } });
    app.get('/start', (c) => {
      store.start(c, 42);
      return c.text('ok');
    });
    app.get('/read', (c) => c.text(String(store.get(c) ?? 'none')));
    const res = await app.request('https://centre.example/start');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-sp_session='))!;
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    expect(
      await (await app.request('https://centre.example/read', { headers: { cookie: pair } })).text(),
    ).toBe('42');
    now = 9_000;
    expect(
      await (await app.request('https://centre.example/read', { headers: { cookie: pair } })).text(),
    ).toBe('42');
    now = 19_500;
    expect(
      await (await app.request('https://centre.example/read', { headers: { cookie: pair } })).text(),
    ).toBe('none');
    expect(store.size).toBe(0);
    expect(ended).toEqual([42]);
    await app.request('https://centre.example/start');
    store.clear();
    expect(ended).toEqual([42, 42]);
  });

  it('refuses nonsense options with ERR_INVALID_OPTIONS', () => {
    expect(() => new SessionStore({ idleSeconds: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
    expect(() => rateLimit({ max: 0, windowSeconds: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
