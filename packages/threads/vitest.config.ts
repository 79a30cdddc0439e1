import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Lets tests force a collection to check what a collected future reports.
    execArgv: ['--expose-gc'],
  },
});
