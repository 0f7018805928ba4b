import { defineConfig } from 'vitest/config';

/**
 * Every test of the repository in one run: each package's and service's own vitest project (unit and
 * integration tests next to the code), then the end-to-end suite that runs the whole platform.
 */
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      'services/*/vitest.e2e.config.ts',
      'packages/*/vitest.e2e.config.ts',
      'deploy/vitest.config.ts',
      'bench/vitest.config.ts',
      'examples/*/vitest.config.ts',
    ],
    reporters: ['default', './packages/testkit/src/summary-reporter.ts'],
  },
});
