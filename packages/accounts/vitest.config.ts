import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@threadline/testkit/vitest-setup'],
  },
});
