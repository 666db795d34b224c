import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDidResolver } from '@skillpass/core';
import { answerPresentationRequest, resolvePresentationRequest } from '@skillpass/holder';
import { parseTrainingCatalogue } from '@skillpass/match';
import { createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import { PageClient, textOfId } from '../../../test-support/page-client.js';
import {
  createEmployerSite,
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
} from '../src/index.js';
import { onCleanup, tempDir, VACANCY, workerWithCredentials } from './helpers.js';

const SECRET = 'employer staff access code 0123456789';
const catalogue = parseTrainingCatalogue(
  JSON.parse(
    readFileSync(new URL('../../../examples/metal-sector/training-catalogue.json', import.meta.url), 'utf8'),
  ),
);
const skills = VACANCY.requirements.map((r) => ({ uri: r.uri, name: r.name, framework: 'ESCO' }));

async function startSite(poolDir?: string, secureCookies?: boolean) {
  const dir = tempDir();
  initVerifier({ dir, didKey: true });
  const store = openVerifierStore(dir);
  const resolver = createDidResolver({ allowHttpLocalhost: true });
  const verifier = createVerifier({ resolver });
  const service = createVerifierService({ store, verifier, resolver });
  const site = createEmployerSite({
    service,
    store,
    verifier,
    skills,
    catalogue,
    adminSecret: SECRET,
    allowHttpLocalhost: true,
    ...(poolDir !== undefined ? { poolDir } : {}),
    ...(secureCookies !== undefined ? { secureCookies } : {}),
  });
  const server = await listen(site, { port: 0 });
  store.setPublicUrl(server.url);
  onCleanup(async () => {
    await server.close();
    store.close();
  });
  return { url: server.url, store };
}

async function signedIn(url: string): Promise<PageClient> {
  const client = new PageClient(url);
  await client.get('/');
  expect((await client.post('/sign-in', { name: 'Piet HR', secret: SECRET })).status).toBe(303);
  return client;
}

async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the employer's pages on verifier serve's app", () => {
  it('signs in only with the access code; fragments need a session', async () => {
    const { url } = await startSite();
    const client = new PageClient(url);
    const page = await client.get('/');
    expect(page.text).toContain('<html lang="nl">');
    expect(page.text).not.toContain(SECRET);
    expect((await client.post('/sign-in', { name: 'x', secret: 'wrong wrong wrong wrong' })).status).toBe(
      401,
    );
    expect((await client.get('/requests/abc/result')).status).toBe(401);
    expect((await client.post('/requests', { title: 'x' })).status).toBe(401);
  });

  it('composes a vacancy, shows the request as QR + link, and the result with checks, gaps and plan once the worker answers', async () => {
    const { url } = await startSite();
    const client = await signedIn(url);
    const bad = await client.post('/requests', {
      title: '',
      'req-0-uri': skills[0]!.uri,
      'req-0-minLevel': '3',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('data-error-code="ERR_SCHEMA_INVALID"');

    const fields: Record<string, string> = {
      title: 'CNC-verspaner <draaien & frezen>',
      employer: 'Precisietechniek Oost',
    };
    VACANCY.requirements.slice(0, 6).forEach((r, i) => {
      fields[`req-${i}-uri`] = r.uri;
      fields[`req-${i}-importance`] = r.importance;
      if (r.minLevel !== undefined) fields[`req-${i}-minLevel`] = String(r.minLevel);
    });
    const created = await client.post('/requests', fields);
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    const page = await client.get(location);
    expect(page.text).toContain('CNC-verspaner &lt;draaien &amp; frezen&gt;');
    expect(page.text).toContain('<svg role="img"');
    expect(page.text).toContain(`data-poll="/requests/${id}/result"`);
    const uri = textOfId(page.text, 'request-uri')!.replaceAll('&amp;', '&');
    expect(uri.startsWith('openid4vp://')).toBe(true);
    const pending = await client.get(`/requests/${id}/result`);
    expect(pending.headers.get('x-poll-done')).toBeNull();
    expect(pending.text).toContain('data-status="pending"');

    const { wallet } = await workerWithCredentials();
    const request = await resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true });
    expect((await answerPresentationRequest(wallet, request, { allowHttpLocalhost: true })).accepted).toBe(
      true,
    );

    const result = await client.get(`/requests/${id}/result`);
    expect(result.headers.get('x-poll-done')).toBe('1');
    expect(result.text).toContain('data-status="verified"');
    expect(result.text).toContain('data-check="signature" data-ok="true"');
    expect(result.text).toContain('De handtekening klopt');
    expect(result.text).toMatch(/data-outcome="met"/);
    expect(result.text).toContain('id="gaps"');
    expect(result.text).toContain('id="plan"');
    const en = await client.get(`/requests/${id}/result?lang=en`);
    expect(en.text).toContain('The signature holds');
  });

  it('reads an uploaded vacancy; refuses one that is not JSON', async () => {
    const { url } = await startSite();
    const client = await signedIn(url);
    const form = new FormData();
    form.set('vacancyFile', new File(['{not json'], 'vacancy.json', { type: 'application/json' }));
    const bad = await client.postMultipart('/requests', form);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('data-error-code="ERR_MALFORMED"');
    const good = new FormData();
    good.set(
      'vacancyFile',
      new File([JSON.stringify(VACANCY)], 'vacancy.json', { type: 'application/json' }),
    );
    expect((await client.postMultipart('/requests', good)).status).toBe(303);
  });

  it('ranks uploaded passports with progress and an explanation per candidate', async () => {
    const { url } = await startSite();
    const client = await signedIn(url);
    const a = await workerWithCredentials();
    const passport = await a.wallet.createPassport({ audience: 'https://jobs.example', challenge: 'pool-1' });
    await client.get('/rank');
    const form = new FormData();
    form.set('vacancyFile', new File([JSON.stringify(VACANCY)], 'vacancy.json'));
    form.append('passports', new File([passport], 'anna.jwt'));
    form.append('passports', new File(['garbage'], 'junk.jwt'));
    form.set('audience', 'https://jobs.example');
    form.set('challenge', 'pool-1');
    const started = await client.postMultipart('/rank', form);
    expect(started.status).toBe(303);
    const location = started.headers.get('location')!;
    const first = await client.get(location);
    expect(first.text).toContain('<progress id="rank-progress" max="2"');
    const done = await until(async () => {
      const res = await client.get(`${location}/progress`);
      return res.headers.get('x-poll-done') === '1' ? res : undefined;
    });
    expect(done.text).toContain('data-candidate="anna.jwt"');
    expect(done.text).toContain('data-file="junk.jwt"');
    expect(done.text).toContain('<code>ERR_MALFORMED</code>');
    expect(done.text).toMatch(/mist: |voldoet aan alle vereiste/);

    const empty = new FormData();
    empty.set('vacancyFile', new File([JSON.stringify(VACANCY)], 'vacancy.json'));
    const none = await client.postMultipart('/rank', empty);
    expect(none.status).toBe(400);
    expect(none.text).toContain('data-error-code="ERR_INVALID_OPTIONS"');
  });

  it('ranks the passports of the --pool folder', async () => {
    const pool = tempDir();
    const a = await workerWithCredentials();
    writeFileSync(
      join(pool, 'anna.jwt'),
      await a.wallet.createPassport({ audience: 'https://jobs.example', challenge: 'c' }),
    );
    writeFileSync(join(pool, '.hidden'), 'ignored');
    const { url } = await startSite(pool);
    const client = await signedIn(url);
    const form = await client.get('/rank');
    expect(form.text).toContain('name="usePool"');
    const body = new FormData();
    body.set('vacancyFile', new File([JSON.stringify(VACANCY)], 'vacancy.json'));
    body.set('usePool', '1');
    const started = await client.postMultipart('/rank', body);
    expect(started.status).toBe(303);
    const done = await until(async () => {
      const res = await client.get(`${started.headers.get('location')}/progress`);
      return res.headers.get('x-poll-done') === '1' ? res : undefined;
    });
    expect(done.text).toContain('data-candidate="anna.jwt"');
    expect(done.text).toContain('max="1"');
  });

  it('gives Secure __Host- cookies when told the site is on https', async () => {
    const { url } = await startSite(undefined, true);
    const client = new PageClient(url);
    const page = await client.get('/');
    const cookies = page.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c).toMatch(/^__Host-/);
      expect(c).toMatch(/; Secure/i);
      expect(c).toMatch(/; HttpOnly/i);
      expect(c).toMatch(/SameSite=Strict/i);
    }
  });
});
