import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'personal-data', globalSetup: ['@threadline/testkit/vitest-setup'] },
});
