import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const pkg = (name: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}.ts`, import.meta.url));

// Tests run against the TypeScript sources, so `pnpm test` needs no build first.
export default defineConfig({
  resolve: {
    // A subpath (`@skillpass/core/internal`) comes before its package: the first match wins.
    alias: {
      '@skillpass/core/internal': pkg('core', 'internal'),
      '@skillpass/store/internal': pkg('store', 'internal'),
      '@skillpass/core': pkg('core'),
      '@skillpass/net': pkg('net'),
      '@skillpass/store': pkg('store'),
      '@skillpass/data-integrity': pkg('data-integrity'),
      '@skillpass/issuer': pkg('issuer'),
      '@skillpass/issuer-service': pkg('issuer-service'),
      '@skillpass/holder': pkg('holder'),
      '@skillpass/verifier': pkg('verifier'),
      '@skillpass/match': pkg('match'),
      '@skillpass/verifier-service': pkg('verifier-service'),
      '@skillpass/web': pkg('web'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
    // Browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, '**/*.browser.test.ts'],
    // CI runs on a 2-core machine that may be loaded by other work: a test that takes 5 s when
    // the machine is idle can take several times that. These limits catch a hang, not slowness
    // (no test asserts a duration); tests that spawn child processes in a loop set their own.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
