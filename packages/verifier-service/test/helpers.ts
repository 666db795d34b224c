import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDidResolver } from '@skillpass/core';
import { createWallet, type Wallet } from '@skillpass/holder';
import { type Issuer, initIssuer } from '@skillpass/issuer';
import type { Vacancy } from '@skillpass/match';
import { createVerifier } from '@skillpass/verifier';
import { afterEach } from 'vitest';
import {
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
  type RunningServer,
  type VerifierService,
  type VerifierStore,
} from '../src/index.js';

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillpass-vp-'));
  dirs.push(dir);
  return dir;
}

/** Run `fn` after the current test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export const TEST_KDF = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;

const vacancyPath = new URL('../../../examples/metal-sector/vacancy-cnc-machinist.json', import.meta.url);
/** The CNC-machinist vacancy of the example sector. */
export const VACANCY = JSON.parse(readFileSync(vacancyPath, 'utf8')) as Vacancy;

/** Requirement `name` of the vacancy, as an assessment skill. */
export function skillOf(name: string) {
  const r = VACANCY.requirements.find((q) => q.name === name);
  if (r === undefined) throw new Error(`no requirement ${name}`);
  return { uri: r.uri, name: r.name };
}

/** A running verifier service on 127.0.0.1 with its store. */
export interface TestVerifier {
  store: VerifierStore;
  service: VerifierService;
  server: RunningServer;
  url: string;
}

/** A did:key verifier served on a free loopback port. */
export async function startVerifier(options: { now?: () => Date; dir?: string } = {}): Promise<TestVerifier> {
  const dir = options.dir ?? tempDir();
  if (options.dir === undefined) initVerifier({ dir, didKey: true });
  const store = openVerifierStore(dir);
  const resolver = createDidResolver({ allowHttpLocalhost: true });
  const service = createVerifierService({
    store,
    verifier: createVerifier({ resolver }),
    resolver,
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const server = await listen(service.app, { port: 0 });
  const url = server.url;
  store.setPublicUrl(url);
  onCleanup(async () => {
    await server.close();
    store.close();
  });
  return { store, service, server, url };
}

/**
 * A did:key assessment centre and a worker wallet holding credentials in each format:
 * `dc+sd-jwt`, VC 1.1 JWT and `vc+jwt`, and with `withLdpVc` a fourth skill as `ldp_vc`.
 */
export async function workerWithCredentials(
  options: { withLdpVc?: boolean } = {},
): Promise<{ wallet: Wallet; centre: Issuer }> {
  const dir = tempDir();
  const centre = await initIssuer({
    path: join(dir, 'centre.db'),
    passphrase: 'centre',
    didKey: true,
    name: 'Metal Assessment Centre',
    ...TEST_KDF,
  });
  const wallet = await createWallet({
    path: join(dir, 'wallet.skillpass'),
    passphrase: 'worker',
    ...TEST_KDF,
  });
  onCleanup(() => {
    wallet.close();
    centre.close();
  });
  const evidence = [
    { method: 'practical-exam' as const, assessedOn: new Date().toISOString().slice(0, 10), score: 80 },
  ];
  const issued = [
    await centre.issue(
      { skill: skillOf('program a CNC controller'), level: 3, evidence },
      { subject: wallet.did, format: 'dc+sd-jwt' },
    ),
    await centre.issue(
      { skill: skillOf('read standard blueprints'), level: 4, evidence },
      { subject: wallet.did, format: 'jwt-vc-1.1' },
    ),
    await centre.issue(
      { skill: skillOf('operate a CNC milling machine'), level: 3, evidence },
      { subject: wallet.did, format: 'vc+jwt' },
    ),
  ];
  if (options.withLdpVc === true) {
    issued.push(
      await centre.issue(
        { skill: skillOf('operate a CNC lathe'), level: 3, evidence },
        { subject: wallet.did, format: 'ldp_vc' },
      ),
    );
  }
  for (const i of issued) await wallet.addCredential(i.token);
  return { wallet, centre };
}
