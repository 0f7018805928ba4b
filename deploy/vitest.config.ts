import { defineProject } from 'vitest/config';

// Static checks of the image recipe and the chart: no NATS, Postgres, Docker or Helm needed.
export default defineProject({ test: { name: 'deploy', include: ['test/**/*.test.ts'] } });
