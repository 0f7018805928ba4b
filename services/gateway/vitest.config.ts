import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 30_000,
  },
});
