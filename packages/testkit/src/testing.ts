import { inject } from 'vitest';
import type { Infrastructure } from './infrastructure.ts';
import './global-setup.ts';

export { eventually } from './eventually.ts';

/** NATS and Postgres URLs for this test run (see global-setup.ts). */
export function testInfrastructure(): Infrastructure {
  return { natsUrl: inject('natsUrl'), databaseUrl: inject('databaseUrl') };
}
