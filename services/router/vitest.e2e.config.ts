import { defineProject } from 'vitest/config';

/**
 * End-to-end routing: chat-store and the router as processes (two replicas each) on real NATS and
 * Postgres, at scale and through a crash.
 */
export default defineProject({
  test: {
    name: 'router-e2e',
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
