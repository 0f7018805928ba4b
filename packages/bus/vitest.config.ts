import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'bus', globalSetup: ['@threadline/testkit/vitest-setup'] },
});
