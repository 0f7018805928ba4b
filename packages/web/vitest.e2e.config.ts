import { defineProject } from 'vitest/config';

/**
 * The pages in a real browser (Debian's Chromium, headless, driven by playwright-core) against the
 * whole platform as processes on real NATS and Postgres.
 */
export default defineProject({
  test: {
    name: 'web-e2e',
    include: ['test/**/*.e2e.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
