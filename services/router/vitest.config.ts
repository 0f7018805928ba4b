import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
