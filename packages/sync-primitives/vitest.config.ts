import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous for a loaded CI machine (property tests, child processes); a hang still fails.
    testTimeout: 20_000,
    pool: 'forks',
    // Lets tests force a collection to check what a collected future reports.
    execArgv: ['--expose-gc'],
  },
});
