import { defineProject } from 'vitest/config';

/** Unit tests of the bridge's parts, and its end-to-end test against the whole platform. */
export default defineProject({
  test: {
    name: 'example-channel-bridge',
    include: ['src/**/*.test.ts', 'test/**/*.e2e.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
