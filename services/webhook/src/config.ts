import { loadConfig as parseEnvironment, serviceEnvironment } from '@threadline/runtime';
import { z } from 'zod';
import { parseNetworks } from './domain/address-policy.ts';

const positive = z.coerce.number().int().positive();

/** The webhook service's environment, parsed once at startup. */
export const configSchema = z
  .object({
    ...serviceEnvironment({ healthPort: 9103, grpcPort: 50053 }),
    WEBHOOK_DELIVERY_TIMEOUT_MS: positive.default(10_000),
    WEBHOOK_MAX_ATTEMPTS: positive.default(10),
    WEBHOOK_BACKOFF_BASE_MS: positive.default(1_000),
    WEBHOOK_BACKOFF_MAX_MS: positive.default(300_000),
    WEBHOOK_DELIVERY_CONCURRENCY: positive.default(32),
    WEBHOOK_POLL_INTERVAL_MS: positive.default(1_000),
    /** How long delivered and dead webhooks stay in the outbox for inspection. */
    WEBHOOK_RETENTION_HOURS: positive.default(168),
    /** CIDRs webhooks may reach although private, loopback, … (tests and the demo: loopback). */
    WEBHOOK_ALLOWED_NETWORKS: z
      .string()
      .default('')
      .transform((list, ctx) => {
        const { networks, invalid } = parseNetworks(list);
        for (const entry of invalid) {
          ctx.addIssue({ code: 'custom', message: `not a CIDR network: ${entry}` });
        }
        return networks;
      }),
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
      allowedNetworks: env.WEBHOOK_ALLOWED_NETWORKS,
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
