import { defineConfig } from 'vitest/config';

// `npm run test:pack`: packs every package, installs the tarballs with npm into an empty project
// and uses them there. No aliases: the test must see the packages only as a user would.
export default defineConfig({
  test: {
    include: ['test-pack/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
  },
});
