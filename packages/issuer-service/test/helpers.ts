import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, type Wallet } from '@skillpass/holder';
import { type Issuer, initIssuer } from '@skillpass/issuer';
import { openSqlite } from '@skillpass/store';
import { createVerifier } from '@skillpass/verifier';
import { afterEach } from 'vitest';
import { createIssuerApp, OfferStore, type RunningIssuerService, startIssuerService } from '../src/index.js';

/** Fast scrypt for tests (the floor); production uses the default N = 2^17. */
export const TEST_KDF = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillpass-vci-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A running issuer service on 127.0.0.1 port 0, with its issuer and offer store; closed after the test. */
export interface TestCentre {
  issuer: Issuer;
  offers: OfferStore;
  service: RunningIssuerService;
  url: string;
  path: string;
}

/**
 * A did:key centre (status lists served by itself) behind a real server on loopback; the
 * issuer is created once the port is bound (its status base URL names the port).
 */
export async function startCentre(
  options: { keyType?: 'Ed25519' | 'P-256'; now?: () => Date } = {},
): Promise<TestCentre> {
  const path = join(tempDir(), 'issuer.db');
  let issuer: Issuer | undefined;
  let offers: OfferStore | undefined;
  const service = await startIssuerService({
    port: 0,
    app: async (url) => {
      issuer = await initIssuer({
        path,
        passphrase: 'centre passphrase',
        didKey: true,
        name: 'Metaal Examencentrum',
        statusBaseUrl: `${url}/status`,
        ...(options.keyType ? { keyType: options.keyType } : {}),
        ...TEST_KDF,
      });
      offers = new OfferStore(openSqlite(path));
      return createIssuerApp({
        issuer,
        offers,
        publicUrl: url,
        ...(options.now ? { now: options.now } : {}),
      });
    },
  });
  cleanups.push(async () => {
    await service.close();
    issuer!.close();
  });
  return { issuer: issuer!, offers: offers!, service, url: service.url, path };
}

/** A fresh wallet whose verifier may fetch loopback status lists; closed after the test. */
export async function makeWallet(): Promise<Wallet> {
  const wallet = await createWallet({
    path: join(tempDir(), 'wallet.skillpass'),
    passphrase: 'worker passphrase',
    verifier: createVerifier({ resolverOptions: { allowHttpLocalhost: true } }),
    ...TEST_KDF,
  });
  cleanups.push(() => wallet.close());
  return wallet;
}
