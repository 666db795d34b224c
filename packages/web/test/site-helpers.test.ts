import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createPageApp, formatDateTime, redirectAfterLanguageSwitch, siteNotFound } from '../src/index.js';

describe('site helpers shared by the staff sites', () => {
  it('redirectAfterLanguageSwitch keeps a known language and drops anything else', async () => {
    const pages = createPageApp({ siteName: { nl: 'x', en: 'x' } });
    pages.get('/requests', redirectAfterLanguageSwitch('/'));
    const cases: [string, string][] = [
      ['/requests?lang=en', '/?lang=en'],
      ['/requests?lang=nl', '/?lang=nl'],
      ['/requests?lang=de', '/'],
      ['/requests?lang=%22%3E%3Cscript%3E', '/'],
      ['/requests', '/'],
    ];
    for (const [path, location] of cases) {
      const res = await pages.request(`http://site.example${path}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(location);
    }
  });

  it('siteNotFound answers page paths with the error page and protocol paths with JSON', async () => {
    const site = new Hono();
    site.get('/protocol/ok', (c) => c.json({ ok: true }));
    const pages = createPageApp({ siteName: { nl: 'x', en: 'x' } });
    pages.get('/', (c) => c.text('home'));
    site.route('/', pages);
    site.notFound(siteNotFound);
    const page = await site.request('http://site.example/nowhere', { headers: { 'accept-language': 'en' } });
    expect(page.status).toBe(404);
    const text = await page.text();
    expect(text).toContain('data-error-code="ERR_NOT_FOUND"');
    expect(text).toContain('<html lang="en">');

    const bare = new Hono();
    bare.get('/protocol/ok', (c) => c.json({ ok: true }));
    bare.notFound(siteNotFound);
    const json = await bare.request('http://site.example/protocol/nope');
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: 'not_found' });
  });

  it('formatDateTime writes UTC in the page language and leaves non-dates alone', () => {
    const nl = formatDateTime('2026-12-02T16:05:00Z', 'nl');
    const en = formatDateTime('2026-12-02T16:05:00Z', 'en');
    expect(nl).toMatch(/^2 dec\.? 2026.*16:05 UTC$/);
    expect(en).toMatch(/^2 Dec 2026.*16:05 UTC$/);
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
  });
});
