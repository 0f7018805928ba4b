import { defineProject } from 'vitest/config';

// Checks of the image recipe and the chart read from their text (no Docker or Helm needed), and
// bundle.test.ts, which runs each service's bundle against the real NATS and Postgres.
export default defineProject({
  test: {
    name: 'deploy',
    include: ['test/**/*.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 120_000,
  },
});
