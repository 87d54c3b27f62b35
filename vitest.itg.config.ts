import { defineConfig } from 'vitest/config';

// Integration tests run the committed bundles against real tools: one worker, long time-outs.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.itg.test.ts', 'actions/*/test/**/*.itg.test.ts', 'test/**/*.itg.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 10 * 60_000,
    reporters: ['default'],
  },
});
