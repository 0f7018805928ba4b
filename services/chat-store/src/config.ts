import { loadConfig } from '@threadline/runtime';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

/** chat-store's environment, parsed once at startup (see `loadChatStoreConfig`). */
export const configSchema = z
  .object({
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    DATABASE_URL: z.string().min(1),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    THREADLINE_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only (it prefixes NATS subjects)')
      .default('tl'),
    STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
    HEALTH_PORT: port(9101),
    GRPC_PORT: port(50051),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .transform((env) => ({
    nats: { url: env.NATS_URL, streamReplicas: env.STREAM_REPLICAS },
    postgres: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    namespace: env.THREADLINE_NAMESPACE,
    healthPort: env.HEALTH_PORT,
    grpcPort: env.GRPC_PORT,
    logLevel: env.LOG_LEVEL,
  }));

export type ChatStoreConfig = z.output<typeof configSchema>;

export function loadChatStoreConfig(
  env: Record<string, string | undefined>,
): Readonly<ChatStoreConfig> {
  return loadConfig(configSchema, env);
}
