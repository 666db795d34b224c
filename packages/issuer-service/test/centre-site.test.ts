import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { receiveCredential } from '@skillpass/holder';
import { type Issuer, initIssuer } from '@skillpass/issuer';
import { openSqlite } from '@skillpass/store';
import { afterEach, describe, expect, it } from 'vitest';
import { PageClient, textOfId } from '../../../test-support/page-client.js';
import { createCentreSite, OfferStore, parseCentreSkills, startIssuerService } from '../src/index.js';
import { makeWallet, TEST_KDF, tempDir } from './helpers.js';

const SECRET = 'centre staff access code 0123456789';
const skills = parseCentreSkills(
  JSON.parse(
    readFileSync(new URL('../../../examples/metal-sector/centre-skills.json', import.meta.url), 'utf8'),
  ),
);
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** The centre's whole site (protocol + pages) on 127.0.0.1 port 0. */
async function startSite(extraSkills: typeof skills = []) {
  const path = join(tempDir(), 'issuer.db');
  let issuer: Issuer | undefined;
  const running = await startIssuerService({
    port: 0,
    app: async (url) => {
      issuer = await initIssuer({
        path,
        passphrase: 'p',
        didKey: true,
        name: 'Metaal Examencentrum',
        statusBaseUrl: `${url}/status`,
        ...TEST_KDF,
      });
      return createCentreSite({
        issuer,
        offers: new OfferStore(openSqlite(path)),
        publicUrl: url,
        skills: [...skills, ...extraSkills],
        adminSecret: SECRET,
      });
    },
  });
  closers.push(async () => {
    await running.close();
    issuer!.close();
  });
  return { url: running.url, issuer: issuer! };
}

async function signedIn(url: string): Promise<PageClient> {
  const client = new PageClient(url);
  await client.get('/');
  const res = await client.post('/sign-in', { name: 'Anja Staff', secret: SECRET });
  expect(res.status).toBe(303);
  return client;
}

describe("the centre's pages on issuer serve's app", () => {
  it('asks for sign-in in Dutch by default, with a strict CSP and no secret in the page', async () => {
    const { url } = await startSite();
    const client = new PageClient(url);
    const page = await client.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="nl">');
    expect(page.text).toContain('action="/sign-in"');
    expect(page.text).not.toContain(SECRET);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const en = await client.get('/', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.text).toContain('<html lang="en">');
  });

  it('refuses a wrong access code, a post without the CSRF token, and too many attempts', async () => {
    const { url } = await startSite();
    const client = new PageClient(url);
    await client.get('/');
    const wrong = await client.post('/sign-in', { name: 'x', secret: 'not the code at all' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('data-error-code="ERR_SIGN_IN_FAILED"');
    const noCsrf = await client.post('/sign-in', { _csrf: 'forged', name: 'x', secret: SECRET });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.text).toContain('data-error-code="ERR_CSRF_REJECTED"');
    const other = await client.post(
      '/sign-in',
      { name: 'x', secret: SECRET },
      { origin: 'https://evil.example' },
    );
    expect(other.status).toBe(403);
    let last = 0;
    for (let i = 0; i < 10; i++)
      last = (await client.post('/sign-in', { name: 'x', secret: 'wrong wrong wrong' })).status;
    expect(last).toBe(429);
    // The session pages stay closed without a session.
    expect((await client.post('/assessments', { skill: skills[0]!.uri })).status).toBe(401);
  });

  it('records an assessment, shows the offer as QR + link with the code apart; the wallet takes it; the register revokes with a reason', async () => {
    const { url, issuer } = await startSite();
    const client = await signedIn(url);
    const form = await client.get('/');
    expect(form.text).toContain('CNC-machines programmeren (CompetentNL)');

    const bad = await client.post('/assessments', {
      skill: skills[0]!.uri,
      level: '7',
      method: 'practical-exam',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('data-error-code="ERR_SCHEMA_INVALID"');
    expect(bad.text).toMatch(/fieldset aria-invalid="true"/);

    const offerPage = await client.post('/assessments', {
      skill: skills[0]!.uri,
      level: '3',
      method: 'practical-exam',
      date: '2026-11-30',
      assessor: 'J. de Vries',
      score: '84',
      description: 'proved out <b>a part</b>',
    });
    expect(offerPage.status).toBe(200);
    expect(offerPage.headers.get('cache-control')).toBe('no-store');
    expect(offerPage.text).toContain('<svg role="img"');
    const offer = textOfId(offerPage.text, 'offer-uri')!.replaceAll('&amp;', '&');
    const txCode = textOfId(offerPage.text, 'tx-code')!;
    expect(offer.startsWith('openid-credential-offer://')).toBe(true);
    expect(txCode).toMatch(/^\d{6}$/);

    const wallet = await makeWallet();
    const { entry } = await receiveCredential(wallet, offer, { txCode, allowHttpLocalhost: true });
    const [record] = await issuer.listIssued();
    expect(record?.id).toBe(entry.id);

    const register = await client.get('/issued');
    expect(register.text).toContain(`data-credential-id="${entry.id}" data-state="valid"`);
    expect(register.text).toContain('data-offer-state="issued"');
    const noReason = await client.post('/issued/status', { id: entry.id, action: 'revoke', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('data-error-code="ERR_INVALID_OPTIONS"');
    const revoked = await client.post('/issued/status', {
      id: entry.id,
      action: 'revoke',
      reason: 'fraude bij examen',
    });
    expect(revoked.status).toBe(303);
    const after = await client.get(revoked.headers.get('location')!);
    expect(after.text).toContain(`data-credential-id="${entry.id}" data-state="revoked"`);
    expect(after.text).toContain('role="status"');
    const again = await client.post('/issued/status', { id: entry.id, action: 'revoke', reason: 'nogmaals' });
    expect(again.headers.get('location')).toContain('same=1');
    expect((await client.get('/no-such-page')).status).toBe(404);
    const [audit] = await issuer.auditLog(entry.id);
    expect(audit).toMatchObject({ action: 'revoke', reason: 'fraude bij examen', actor: 'Anja Staff' });
    const unknown = await client.post('/issued/status', {
      id: 'urn:uuid:none',
      action: 'revoke',
      reason: 'x',
    });
    expect(unknown.status).toBe(404);

    // Signing out ends the session.
    await client.post('/sign-out', {});
    expect((await client.get('/issued')).text).toContain('action="/sign-in"');
  });

  it('escapes text from the skill list and neutralises bidi controls', async () => {
    const evil = {
      uri: 'http://example.com/skill/evil',
      name: '<script>alert(1)</script>\u202egnp.exe',
      framework: 'ESCO',
    };
    const { url } = await startSite([evil]);
    const page = await (await signedIn(url)).get('/');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('\u202e');
  });
});
