import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The conformance suite: tests against 1EdTech's specification-licensed files, which are not in
// this repository (see vectors/SOURCES.md). Run by `npm run test:conformance` and by .ci/run.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['conformance/**/*.test.ts'] },
});
