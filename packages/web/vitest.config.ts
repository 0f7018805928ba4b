import { defineProject } from 'vitest/config';

/** Unit tests of the pages' pure state, next to the code. */
export default defineProject({
  test: { name: 'web', include: ['src/**/*.test.ts'] },
});
