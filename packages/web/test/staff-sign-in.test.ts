import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PageClient } from '../../../test-support/page-client.js';
import {
  createPageApp,
  createStaffSignIn,
  html,
  MAX_STAFF_NAME_LENGTH,
  MIN_STAFF_ACCESS_CODE_LENGTH,
  renderPage,
  STAFF_SIGN_IN_MESSAGES,
  STAFF_SIGN_IN_RATE_LIMIT,
  type StaffSignInOptions,
} from '../src/index.js';

const CODE = 'staff access code 0123456789';

/** Site texts over the defaults: a Dutch intro, an English name hint. */
const messages = {
  nl: { signInIntro: 'Meld u aan bij de proefsite.' },
  en: { staffNameHint: 'Kept in the log.' },
};

interface Member {
  name: string;
  visits: number;
}

type Options = Partial<StaffSignInOptions<Member>>;

/** A page app with the staff sign-in mounted: `/` for staff, `/fragment` never showing the form. */
function buildApp(options: Options = {}) {
  const staff = createStaffSignIn<Member>({
    accessCode: CODE,
    cookieName: 'sp_staff',
    messages,
    newSession: (name) => ({ name, visits: 0 }),
    showsSignIn: (c) => c.req.method === 'GET' && !c.req.path.startsWith('/fragment'),
    ...options,
  });
  const pages = createPageApp({ siteName: { nl: 'Proef', en: 'Test' } });
  staff.mount(pages);
  pages.get('/', (c) => {
    const who = staff.staffOf(c);
    if (who instanceof Response) return who;
    who.visits++;
    return renderPage(c, {
      title: 'Start',
      main: html`${staff.staffBar(c, who)}<p id="visits">${who.visits}</p>`,
    });
  });
  pages.get('/fragment', (c) => {
    const who = staff.staffOf(c);
    return who instanceof Response ? who : c.text(who.name);
  });
  pages.post('/act', (c) => {
    const who = staff.staffOf(c);
    return who instanceof Response ? who : c.text(`done by ${who.name}`);
  });
  return { staff, pages };
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** The app on 127.0.0.1 port 0; its base URL. */
async function listen(
  options: Options = {},
): Promise<{ base: string; staff: ReturnType<typeof buildApp>['staff'] }> {
  const { staff, pages } = buildApp(options);
  const base = await new Promise<string>((resolve) => {
    const server = serve({ fetch: pages.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    closers.push(() => server.close());
  });
  return { base, staff };
}

describe('createStaffSignIn', () => {
  it('refuses an access code shorter than the minimum, or not a string, with ERR_INVALID_OPTIONS', () => {
    for (const accessCode of ['x'.repeat(MIN_STAFF_ACCESS_CODE_LENGTH - 1), '', 42 as unknown as string]) {
      expect(() => buildApp({ accessCode })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
      );
    }
    expect(() => buildApp({ accessCode: 'x'.repeat(MIN_STAFF_ACCESS_CODE_LENGTH) })).not.toThrow();
  });

  it('shows the sign-in form to a GET without a session, in the page language, with the optional hint', async () => {
    const { base } = await listen();
    const client = new PageClient(base);
    const nl = await client.get('/');
    expect(nl.status).toBe(200);
    expect(nl.text).toContain('<h1>Aanmelden voor medewerkers</h1>');
    expect(nl.text).toContain('<p>Meld u aan bij de proefsite.</p>');
    expect(nl.text).toContain('<form method="post" action="/sign-in">');
    expect(nl.text).toContain(`maxlength="${MAX_STAFF_NAME_LENGTH}"></div>`);
    expect(nl.text).not.toContain('name-hint');
    expect(nl.text).not.toContain('ERR_SIGN_IN_FAILED');
    const en = await client.get('/?lang=en');
    expect(en.text).toContain('<span class="hint" id="name-hint">Kept in the log.</span>');
    expect(en.text).toContain('aria-describedby="name-hint"');
    expect(en.text).toContain(`<p>${STAFF_SIGN_IN_MESSAGES.en.signInIntro}</p>`);
    expect(en.text).not.toContain(CODE);
  });

  it('answers 401 ERR_SESSION_REQUIRED where the form is not shown (posts, chosen GETs)', async () => {
    const { base } = await listen();
    const client = new PageClient(base);
    await client.get('/');
    const post = await client.post('/act', {});
    expect(post.status).toBe(401);
    expect(post.text).toContain('data-error-code="ERR_SESSION_REQUIRED"');
    const fragment = await client.get('/fragment');
    expect(fragment.status).toBe(401);
    expect(fragment.text).toContain('data-error-code="ERR_SESSION_REQUIRED"');
  });

  it('signs in with the right code: a new HttpOnly SameSite=Strict session cookie, 303 to /, the staff bar', async () => {
    const { base, staff } = await listen();
    const client = new PageClient(base);
    await client.get('/');
    const res = await client.post('/sign-in', { name: '  <Anja> ', secret: CODE });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sp_staff='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(CODE);
    expect(staff.sessions.size).toBe(1);
    const page = await client.get('/');
    expect(page.text).toContain('Aangemeld als &lt;Anja&gt;.');
    expect(page.text).toContain('<form class="staff-bar" method="post" action="/sign-out">');
    expect(page.text).toContain('<p id="visits">1</p>');
    expect((await client.post('/act', {})).text).toBe('done by <Anja>');

    const first = client.cookies.get('sp_staff');
    await client.post('/sign-in', { name: 'Anja', secret: CODE });
    expect(client.cookies.get('sp_staff')).not.toBe(first); // a new id at every sign-in
    expect(staff.sessions.size).toBe(1); // the old session ended

    const switched = await client.get('/sign-in?lang=en');
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/?lang=en');

    const out = await client.post('/sign-out', {});
    expect(out.status).toBe(303);
    expect(staff.sessions.size).toBe(0);
    expect((await client.get('/')).text).toContain('<form method="post" action="/sign-in">');
  });

  it('refuses a wrong code, an empty name and a too long name with 401 ERR_SIGN_IN_FAILED and no session', async () => {
    const { base, staff } = await listen();
    const client = new PageClient(base);
    await client.get('/?lang=en');
    const attempts = [
      { name: 'Anja', secret: `${CODE}x` },
      { name: 'Anja', secret: CODE.slice(0, -1) },
      { name: 'Anja', secret: '' },
      { name: 'Anja' },
      { name: '   ', secret: CODE },
      { name: 'x'.repeat(MAX_STAFF_NAME_LENGTH + 1), secret: CODE },
    ];
    for (const fields of attempts) {
      const res = await client.post('/sign-in', fields as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.text).toContain('data-error-code="ERR_SIGN_IN_FAILED"');
      expect(res.text).not.toContain(CODE);
    }
    expect(staff.sessions.size).toBe(0);
    expect(client.cookies.has('sp_staff')).toBe(false);
    const longest = await client.post('/sign-in', { name: 'x'.repeat(MAX_STAFF_NAME_LENGTH), secret: CODE });
    expect(longest.status).toBe(303);
  });

  it('rate-limits sign-in attempts per client with 429 ERR_RATE_LIMITED, right code or not', async () => {
    const { base } = await listen({ rateLimit: { max: 3, windowSeconds: 60 } });
    const client = new PageClient(base);
    await client.get('/');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await client.post('/sign-in', { name: 'A', secret: 'wrong' })).status);
    const limited = await client.post('/sign-in', { name: 'A', secret: CODE });
    expect(statuses).toEqual([401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('data-error-code="ERR_RATE_LIMITED"');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(client.cookies.has('sp_staff')).toBe(false);
    expect(STAFF_SIGN_IN_RATE_LIMIT).toEqual({ max: 10, windowSeconds: 300 });
  });

  it('ends a session left unused for idleSeconds', async () => {
    let now = 1_000_000;
    const { base } = await listen({ idleSeconds: 60, now: () => now });
    const client = new PageClient(base);
    await client.get('/');
    await client.post('/sign-in', { name: 'Anja', secret: CODE });
    now += 59_000;
    expect((await client.get('/')).text).toContain('<p id="visits">1</p>');
    now += 61_000;
    expect((await client.get('/')).text).toContain('<form method="post" action="/sign-in">');
  });

  it('uses the __Host- Secure cookie over https', async () => {
    const { pages } = buildApp();
    const signIn = await inProcessSignIn(pages, 'https://staff.example');
    const res = await signIn('Anja', CODE);
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-sp_staff='));
    expect(cookie).toMatch(/Secure/);
  });

  it('any code but the right one fails, whatever its length or content (property)', async () => {
    const { pages, staff } = buildApp({ rateLimit: { max: 1_000_000, windowSeconds: 60 } });
    const signIn = await inProcessSignIn(pages, 'http://staff.example');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 64 }),
          fc.constantFrom(CODE.toUpperCase(), ` ${CODE}`, `${CODE} `, CODE.slice(1), `${CODE}\u0000`),
        ),
        async (secret) => {
          fc.pre(secret !== CODE);
          const res = await signIn('Anja', secret);
          expect(res.status).toBe(401);
          expect(await res.text()).toContain('data-error-code="ERR_SIGN_IN_FAILED"');
        },
      ),
      { numRuns: 150 },
    );
    expect(staff.sessions.size).toBe(0);
  });
});

/** In-process sign-in posts to `pages` at `origin`, with the CSRF cookie and token of its first page. */
async function inProcessSignIn(pages: ReturnType<typeof buildApp>['pages'], origin: string) {
  const first = await pages.request(`${origin}/`);
  const csrf = first.headers
    .getSetCookie()
    .find((c) => /^(__Host-)?sp_csrf=/.test(c))!
    .split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
  return (name: string, secret: string) =>
    pages.request(`${origin}/sign-in`, {
      method: 'POST',
      headers: { cookie: csrf, origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, name, secret }),
    });
}
