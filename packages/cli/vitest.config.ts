import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@threadline/testkit/vitest-setup'],
    // The CLI tests start node processes; give them room on a busy machine.
    testTimeout: 60_000,
  },
});
