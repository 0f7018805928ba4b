import { loadConfig as parseEnvironment } from '@threadline/runtime';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const positive = z.coerce.number().int().positive();

/** The webhook service's environment, parsed once at startup. */
export const configSchema = z
  .object({
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/test'),
    DATABASE_POOL_SIZE: positive.default(10),
    THREADLINE_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('tl'),
    STREAM_REPLICAS: positive.default(1),
    HEALTH_PORT: port.default(9103),
    GRPC_PORT: port.default(50053),
    WEBHOOK_DELIVERY_TIMEOUT_MS: positive.default(10_000),
    WEBHOOK_MAX_ATTEMPTS: positive.default(10),
    WEBHOOK_BACKOFF_BASE_MS: positive.default(1_000),
    WEBHOOK_BACKOFF_MAX_MS: positive.default(300_000),
    WEBHOOK_DELIVERY_CONCURRENCY: positive.default(32),
    WEBHOOK_POLL_INTERVAL_MS: positive.default(1_000),
    /** How long delivered and dead webhooks stay in the outbox for inspection. */
    WEBHOOK_RETENTION_HOURS: positive.default(168),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_BACKOFF_MAX_MS < env.WEBHOOK_BACKOFF_BASE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_BACKOFF_MAX_MS'],
        message: 'must be at least WEBHOOK_BACKOFF_BASE_MS',
      });
    }
  })
  .transform((env) => ({
    nats: { url: env.NATS_URL },
    postgres: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    namespace: env.THREADLINE_NAMESPACE,
    streamReplicas: env.STREAM_REPLICAS,
    health: { port: env.HEALTH_PORT },
    grpc: { port: env.GRPC_PORT },
    delivery: {
      timeoutMs: env.WEBHOOK_DELIVERY_TIMEOUT_MS,
      concurrency: env.WEBHOOK_DELIVERY_CONCURRENCY,
      pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS,
      retentionMs: env.WEBHOOK_RETENTION_HOURS * 3_600_000,
      retry: {
        baseMs: env.WEBHOOK_BACKOFF_BASE_MS,
        maxMs: env.WEBHOOK_BACKOFF_MAX_MS,
        maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      },
    },
    logLevel: env.LOG_LEVEL,
  }));

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  return parseEnvironment(configSchema, env);
}
