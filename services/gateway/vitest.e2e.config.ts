import { defineProject } from 'vitest/config';

/**
 * End-to-end: the whole platform as processes (two replicas of every service) on real NATS and
 * Postgres, driven through the public protocol only.
 */
export default defineProject({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
