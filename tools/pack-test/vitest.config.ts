import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each test packs, installs or runs whole packages with npm and node.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
