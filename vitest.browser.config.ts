import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Browser tests (`npm run test:browser`): playwright-core driving Debian's Chromium (see
// test-support/browser.ts), one file at a time: a browser per file is heavy on two cores.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/**/*.browser.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    // Chromium and the servers share a 2-core machine that may be loaded: actions wait up to
    // 60 s (test-support/browser.ts), a whole story takes several of them.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
