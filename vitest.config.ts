import { defineConfig } from 'vitest/config';

// Unit tests: fast, no network, no bundles. Integration tests (*.itg.test.ts) have their own config.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'actions/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.itg.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
