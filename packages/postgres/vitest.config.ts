import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'postgres', globalSetup: ['@threadline/testkit/vitest-setup'] },
});
