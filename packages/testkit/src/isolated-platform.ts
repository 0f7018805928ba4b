import { join } from 'node:path';
import { createTestDatabase, uniqueNamespace } from './isolation.ts';
import { type Platform, repositoryRoot, startPlatform } from './platform.ts';

export interface IsolatedPlatform {
  platform: Platform;
  /** The platform's own database (the gateway has migrated the accounts schema in it). */
  databaseUrl: string;
  gatewayUrl: string;
  logDir: string;
  stop(): Promise<void>;
}

/**
 * The whole platform as processes on a database and a NATS namespace of its own, for a test
 * that drives it from outside through the public APIs; `stop` ends the processes and drops the
 * database.
 */
export async function startIsolatedPlatform(options: {
  natsUrl: string;
  databaseUrl: string;
  /** Names the directory of the processes' logs. */
  name: string;
  replicas: number;
  environment?: Record<string, string>;
}): Promise<IsolatedPlatform> {
  const database = await createTestDatabase(options.databaseUrl);
  const logDir = join(repositoryRoot, '.threadline/test-logs', `${options.name}-${Date.now()}`);
  const platform = await startPlatform({
    natsUrl: options.natsUrl,
    databaseUrl: database.url,
    namespace: uniqueNamespace(options.name.replace(/[^a-z0-9]/gi, '').slice(0, 8)),
    replicas: options.replicas,
    logDir,
    environment: { LOG_LEVEL: 'warn', ...options.environment },
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    platform,
    databaseUrl: database.url,
    gatewayUrl: platform.gatewayUrls[0]!,
    logDir,
    async stop() {
      await platform.stop();
      await database.drop();
    },
  };
}
