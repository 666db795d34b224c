import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerPresentationRequest,
  createWallet,
  receiveCredential,
  resolvePresentationRequest,
  type Wallet,
} from '@skillpass/holder';
import { createNetworkDidResolver, createStatusChecker, createVerifier } from '@skillpass/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaffSites } from '../../../examples/web-demo/staff-sites.mjs';
import { inspectPage, launchBrowser, type Party, type TestBrowser } from '../../../test-support/browser.js';
import { TEST_KDF, tempDir } from '../../issuer-service/test/helpers.js';

// The whole CNC story across the three parties, in Chromium: the centre issues, the worker's
// wallet accepts the offer, the employer requests, the worker chooses what to disclose, the
// employer's page shows the report and the gaps. Then the failure paths a user can cause: the
// same request answered twice, a credential the centre revoked.

const VACANCY_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'examples',
  'metal-sector',
  'vacancy-cnc-machinist.json',
);
const skills = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'examples', 'metal-sector', 'centre-skills.json'),
    'utf8',
  ),
).skills as { uri: string; name: string }[];
const clean = { violations: [], consoleErrors: [], pageErrors: [] };

let browser: TestBrowser;
let sites: Awaited<ReturnType<typeof startStaffSites>>;
let wallet: Wallet;

beforeAll(async () => {
  sites = await startStaffSites({ outDir: tempDir(), poolSize: 0 });
  const resolver = createNetworkDidResolver({ allowHttpLocalhost: true });
  wallet = await createWallet({
    path: join(tempDir(), 'wallet.skillpass'),
    passphrase: 'worker passphrase',
    verifier: createVerifier({ resolver, status: createStatusChecker({ allowHttpLocalhost: true }) }),
    ...TEST_KDF,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  wallet?.close();
  await sites?.close();
});

async function signIn(party: Party, url: string, name: string): Promise<void> {
  await party.page.goto(`${url}/`);
  await party.page.getByLabel('Uw naam').fill(name);
  await party.page.getByLabel('Toegangscode').fill(sites.adminSecret);
  await party.page.getByRole('button', { name: 'Aanmelden' }).click();
}

async function issue(
  centre: Party,
  skill: { uri: string },
  level: string,
): Promise<{ offer: string; txCode: string }> {
  const { page } = centre;
  await page.getByRole('link', { name: 'Beoordeling vastleggen', exact: true }).click();
  await page.getByLabel('Vaardigheid').selectOption(skill.uri);
  await page.getByRole('radio', { name: new RegExp(`^${level} ·`) }).check();
  await page.getByLabel('Methode').selectOption('practical-exam');
  await page.getByLabel('Score (0–100, niet verplicht)').fill('84');
  await page.getByRole('button', { name: 'Uitgeven als aanbod' }).click();
  await page.waitForSelector('#tx-code');
  return {
    offer: (await page.textContent('#offer-uri'))!.trim(),
    txCode: (await page.textContent('#tx-code'))!.trim(),
  };
}

async function request(employer: Party): Promise<string> {
  const { page } = employer;
  await page.getByRole('link', { name: 'Vacature en vraag', exact: true }).click();
  await page.getByLabel('Vacaturebestand (JSON)').setInputFiles(VACANCY_FILE);
  await page.locator('form#upload').getByRole('button', { name: 'Vraag aanmaken' }).click();
  await page.waitForSelector('#request-uri');
  return (await page.textContent('#request-uri'))!.trim();
}

describe('the CNC story in the browser', () => {
  it('centre issues, worker accepts, employer asks, worker discloses, employer sees report and gaps; replay and revocation fail', async () => {
    const centre = await browser.newParty({ locale: 'nl-NL' });
    const employer = await browser.newParty({ locale: 'nl-NL' });
    await signIn(centre, sites.centre.url, 'J. de Vries');
    await signIn(employer, sites.employer.url, 'Piet de Wit');

    // 1. The centre assesses two skills and issues each as an offer.
    const cnc = skills.find((s) => s.name === 'program a CNC controller')!;
    const blue = skills.find((s) => s.name === 'read standard blueprints')!;
    const offers = [await issue(centre, cnc, '3'), await issue(centre, blue, '4')];
    expect(await inspectPage(centre, 'story-centre-offer')).toEqual(clean);

    // 2. The worker's wallet accepts both offers with the codes said aloud.
    const received = [];
    for (const { offer, txCode } of offers) {
      received.push((await receiveCredential(wallet, offer, { txCode, allowHttpLocalhost: true })).entry);
    }
    expect(wallet.list()).toHaveLength(2);

    // 3. The employer asks for the CNC vacancy.
    const first = await request(employer);
    expect(await inspectPage(employer, 'story-employer-request')).toEqual(clean);

    // 4. The worker answers, showing the score of the CNC credential but not of the other.
    const resolved = await resolvePresentationRequest(first, wallet, { allowHttpLocalhost: true });
    const sdJwt = received.filter((e) => e.format === 'dc+sd-jwt').map((e) => e.id);
    const answer = await answerPresentationRequest(wallet, resolved, {
      allowHttpLocalhost: true,
      ...(sdJwt[0] !== undefined ? { disclose: { [sdJwt[0]]: ['score'] } } : {}),
    });
    expect(answer.accepted).toBe(true);

    // 5. The employer's page shows the report and the gaps by itself.
    await employer.page.waitForSelector('[data-status="verified"]', { timeout: 30_000 });
    expect(await employer.page.locator('li.card[data-verified="true"]').count()).toBe(2);
    expect(await employer.page.locator('tr[data-outcome="met"]').count()).toBe(2);
    expect(await employer.page.locator('#gaps li').count()).toBeGreaterThan(0);
    expect(await employer.page.locator('#plan li').count()).toBeGreaterThan(0);
    expect(await inspectPage(employer, 'story-employer-result')).toEqual(clean);

    // 6. The same request answered twice: refused, the result stays the first one.
    const again = await answerPresentationRequest(wallet, resolved, { allowHttpLocalhost: true });
    expect(again.accepted).toBe(false);
    await employer.page.reload();
    expect(await employer.page.locator('[data-status]').getAttribute('data-status')).toBe('verified');

    // 7. The centre revokes the CNC credential; the next answer shows it in plain words.
    await centre.page.getByRole('link', { name: 'Uitgegeven', exact: true }).click();
    const row = centre.page.locator(`tr[data-credential-id="${received[0]!.id}"]`);
    await row.getByLabel(`Reden voor ${cnc.name}`).fill('Beoordeling ongeldig verklaard');
    await row.getByRole('button', { name: 'Intrekken' }).click();
    await centre.page.waitForSelector(`tr[data-credential-id="${received[0]!.id}"][data-state="revoked"]`);
    const second = await request(employer);
    const resolvedAgain = await resolvePresentationRequest(second, wallet, { allowHttpLocalhost: true });
    await answerPresentationRequest(wallet, resolvedAgain, { allowHttpLocalhost: true });
    await employer.page.waitForSelector('[data-status="refused"]', { timeout: 30_000 });
    const revoked = employer.page.locator('li[data-check="status"][data-ok="false"]');
    expect(await revoked.textContent()).toContain('De uitgever heeft dit bewijs ingetrokken');
    expect(await revoked.textContent()).toContain('ERR_REVOKED');
    expect(await inspectPage(employer, 'story-employer-revoked')).toEqual(clean);
    await centre.context.close();
    await employer.context.close();
  });
});
