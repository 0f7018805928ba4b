import { defineProject } from 'vitest/config';

/**
 * LiveChat's official JavaScript SDKs, unmodified, against the whole platform (one process per
 * service, one platform per suite file). Each suite redirects the SDK's hard-coded LiveChat hosts
 * to the gateway; nothing else stands between the SDK and Threadline.
 */
export default defineProject({
  test: {
    name: 'sdk-conformance',
    include: ['test/**/*.e2e.test.ts'],
    globalSetup: ['@threadline/testkit/vitest-setup'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Pushes cross several processes; a loaded machine (the whole suite at once) takes its time.
    expect: { poll: { timeout: 10_000 } },
    // Each suite patches Node globals (tls.connect, WebSocket): one process per file.
    pool: 'forks',
  },
});
