import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchBrowser, PHONE, type TestBrowser } from '../../../test-support/browser.js';
import { createPageApp, csrfField, html, qrSvg, renderPage, SessionStore } from '../src/index.js';

// Every building block of the layout and style sheet on one page, opened in Chromium: axe-core
// finds nothing (contrast, labels, names, landmarks), the CSP blocks nothing of ours, the
// language switch and the forms work with the keyboard, and the page fits a phone.

const sessions = new SessionStore<string>({ cookieName: 'sp_test' });

async function start(): Promise<{ base: string; close: () => void }> {
  const app = createPageApp({ siteName: { nl: 'Proefpagina', en: 'Test page' } });
  app.get('/', async (c) => {
    const nl = c.get('lang') === 'nl';
    const qr = await qrSvg('openid-credential-offer://?credential_offer_uri=x', {
      label: nl ? 'QR-code' : 'QR code',
    });
    return renderPage(c, {
      title: nl ? 'Alle onderdelen' : 'Every part',
      nav: [
        { href: '/', label: nl ? 'Begin' : 'Start' },
        { href: '/other', label: nl ? 'Anders' : 'Other' },
      ],
      main: html`
<div class="notice notice-ok" role="status"><p>${sessions.get(c) ?? (nl ? 'Niet aangemeld' : 'Not signed in')}</p></div>
<div class="notice notice-warn"><p>${nl ? 'Let op' : 'Careful'} <span class="state state-warn">${nl ? 'verouderd' : 'stale'}</span></p></div>
<div class="notice notice-error"><p>${nl ? 'Fout' : 'Error'} <span class="state state-bad">${nl ? 'ingetrokken' : 'revoked'}</span> <span class="state state-ok">${nl ? 'geldig' : 'valid'}</span></p></div>
<form method="post" action="/sign-in">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="who">${nl ? 'Naam' : 'Name'}</label><span class="hint" id="who-hint">${nl ? 'Zoals op uw paspoort' : 'As on your passport'}</span><input type="text" id="who" name="who" aria-describedby="who-hint" autocomplete="name"></div>
<fieldset><legend>${nl ? 'Tonen' : 'Show'}</legend>
<label class="choice"><input type="checkbox" name="level" checked> ${nl ? 'Niveau' : 'Level'}</label>
</fieldset>
<button type="submit">${nl ? 'Aanmelden' : 'Sign in'}</button> <a class="button secondary" href="/other">${nl ? 'Annuleren' : 'Cancel'}</a>
</form>
<h2>${nl ? 'Vaardigheden' : 'Skills'}</h2>
<ul class="cards"><li class="card"><h3>CNC</h3><ol class="rubric" aria-label="${nl ? 'niveau 3 van 5' : 'level 3 of 5'}"><li class="filled"></li><li class="filled"></li><li class="filled"></li><li></li><li></li></ol>
<dl><dt>${nl ? 'Beoordelaar' : 'Assessor'}</dt><dd>J. de Vries</dd></dl></li></ul>
<div class="table-scroll"><table><caption>${nl ? 'Uitgegeven' : 'Issued'}</caption><thead><tr><th scope="col">#</th><th scope="col">${nl ? 'Vaardigheid' : 'Skill'}</th></tr></thead><tbody><tr><td>1</td><td>CNC</td></tr></tbody></table></div>
<figure class="qr-figure">${qr}<figcaption><code id="link">openid-credential-offer://?credential_offer_uri=x</code></figcaption></figure>
<button type="button" class="secondary" data-copy="#link" data-copied="${nl ? 'Gekopieerd' : 'Copied'}" hidden>${nl ? 'Kopieer' : 'Copy'}</button>
<label for="progress">${nl ? 'Voortgang' : 'Progress'}</label> <progress id="progress" max="10" value="4">4/10</progress>
<pre>{ "a": 1 }</pre>`,
    });
  });
  app.post('/sign-in', async (c) => {
    const body = await c.req.parseBody();
    sessions.start(c, `${c.get('lang') === 'nl' ? 'Aangemeld als' : 'Signed in as'} ${String(body.who)}`);
    return c.redirect('/', 303);
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ base: `http://127.0.0.1:${info.port}`, close: () => server.close() }),
    );
  });
}

let browser: TestBrowser;
let server: { base: string; close: () => void };

beforeAll(async () => {
  server = await start();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('the page layout in Chromium', () => {
  it('is accessible in Dutch and English, on a desktop and a phone, with nothing blocked by the CSP', async () => {
    for (const [locale, viewport, name] of [
      ['nl-NL', undefined, 'web-layout-nl'],
      ['en-GB', PHONE, 'web-layout-en-phone'],
    ] as const) {
      const party = await browser.newParty({ locale, ...(viewport ? { viewport } : {}) });
      await party.page.goto(`${server.base}/`);
      expect(await party.page.getAttribute('html', 'lang')).toBe(locale.slice(0, 2));
      // The client script ran (it reveals the copy button): served from /assets/, allowed by the CSP.
      await expect(
        party.page.getByRole('button', { name: locale === 'nl-NL' ? 'Kopieer' : 'Copy' }).isVisible(),
      ).resolves.toBe(true);
      const report = await inspectPage(party, name);
      expect(report).toEqual({ violations: [], consoleErrors: [], pageErrors: [] });
      if (viewport) {
        // Nothing wider than the phone: no sideways scrolling of the page.
        const width = await party.page.evaluate('document.documentElement.scrollWidth');
        expect(width).toBeLessThanOrEqual(PHONE.width);
      }
      await party.context.close();
    }
  });

  it('switches language with the keyboard and keeps the choice; posts a form with its CSRF token', async () => {
    const party = await browser.newParty({ locale: 'nl-NL' });
    const { page } = party;
    await page.goto(`${server.base}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Naar de inhoud');
    await page.getByRole('navigation', { name: 'Taal' }).getByRole('link', { name: 'English' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${server.base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByLabel('Name').fill('<Ana>');
    await page.getByLabel('Name').press('Enter');
    await page.waitForURL(`${server.base}/`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Signed in as <Ana>');
    expect(party.problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await party.context.close();
  });
});
