import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The end-to-end suite has its own project (vitest.e2e.config.ts).
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
