import { defineProject } from 'vitest/config';

/** End-to-end webhooks: the webhook service as processes (two replicas) on real NATS and Postgres. */
export default defineProject({
  test: {
    name: 'webhook-e2e',
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
