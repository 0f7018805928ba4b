import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { ensureInfrastructure } from './infrastructure.ts';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Vitest global setup: makes sure NATS and Postgres are there once per run and hands their URLs to
 * the tests (`testInfrastructure()`). Tests then isolate themselves with their own database and
 * namespace.
 */
export default async function setup(project: TestProject): Promise<void> {
  const infrastructure = await ensureInfrastructure({
    dataDir: join(repositoryRoot, '.threadline'),
  });
  project.provide('natsUrl', infrastructure.natsUrl);
  project.provide('databaseUrl', infrastructure.databaseUrl);
}

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    databaseUrl: string;
  }
}
