import { masterKeyEnvironment } from '@threadline/personal-data';
import { loadConfig, serviceEnvironment } from '@threadline/runtime';
import { z } from 'zod';

/** chat-store's environment, parsed once at startup (see `loadChatStoreConfig`). */
export const configSchema = z
  .object({
    ...serviceEnvironment({ healthPort: 9101, grpcPort: 50051 }),
    ...masterKeyEnvironment,
  })
  .transform((env) => ({
    nats: { url: env.NATS_URL, streamReplicas: env.STREAM_REPLICAS },
    postgres: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    namespace: env.THREADLINE_NAMESPACE,
    healthPort: env.HEALTH_PORT,
    grpcPort: env.GRPC_PORT,
    logLevel: env.LOG_LEVEL,
    masterKey: env.THREADLINE_MASTER_KEY,
  }));

export type ChatStoreConfig = z.output<typeof configSchema>;

export function loadChatStoreConfig(
  env: Record<string, string | undefined>,
): Readonly<ChatStoreConfig> {
  return loadConfig(configSchema, env);
}
