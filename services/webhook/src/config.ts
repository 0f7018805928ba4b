import { masterKeyEnvironment } from '@threadline/personal-data';
import { loadConfig as parseEnvironment, serviceEnvironment } from '@threadline/runtime';
import { z } from 'zod';
import { parseNetworks } from './domain/address-policy.ts';
import { defaultRetryPolicy } from './domain/retry-policy.ts';

const positive = z.coerce.number().int().positive();

/** The webhook service's environment, parsed once at startup. */
export const configSchema = z
  .object({
    ...serviceEnvironment({ healthPort: 9103, grpcPort: 50053 }),
    ...masterKeyEnvironment,
    WEBHOOK_DELIVERY_TIMEOUT_MS: positive.default(10_000),
    WEBHOOK_MAX_ATTEMPTS: positive.default(defaultRetryPolicy.maxAttempts),
    WEBHOOK_BACKOFF_BASE_MS: positive.default(defaultRetryPolicy.baseMs),
    WEBHOOK_BACKOFF_MAX_MS: positive.default(defaultRetryPolicy.maxMs),
    WEBHOOK_DELIVERY_CONCURRENCY: positive.default(32),
    /**
     * Per replica, a quarter of the default WEBHOOK_DELIVERY_CONCURRENCY: four endpoints hanging
     * at once still leave the others slots, and a healthy endpoint still gets 8 parallel
     * requests per replica. Per replica because that is the pool a slow endpoint can exhaust;
     * counting across replicas would put a shared counter on every claim.
     */
    WEBHOOK_ENDPOINT_CONCURRENCY: positive.default(8),
    WEBHOOK_BREAKER_FAILURES: positive.default(5),
    WEBHOOK_BREAKER_COOLDOWN_MS: positive.default(30_000),
    WEBHOOK_BREAKER_MAX_COOLDOWN_MS: positive.default(600_000),
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
    if (env.WEBHOOK_BREAKER_MAX_COOLDOWN_MS < env.WEBHOOK_BREAKER_COOLDOWN_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_BREAKER_MAX_COOLDOWN_MS'],
        message: 'must be at least WEBHOOK_BREAKER_COOLDOWN_MS',
      });
    }
  })
  .transform((env) => ({
    nats: { url: env.NATS_URL },
    postgres: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    namespace: env.THREADLINE_NAMESPACE,
    masterKey: env.THREADLINE_MASTER_KEY,
    streamReplicas: env.STREAM_REPLICAS,
    health: { port: env.HEALTH_PORT },
    grpc: { port: env.GRPC_PORT },
    delivery: {
      timeoutMs: env.WEBHOOK_DELIVERY_TIMEOUT_MS,
      concurrency: env.WEBHOOK_DELIVERY_CONCURRENCY,
      endpointConcurrency: env.WEBHOOK_ENDPOINT_CONCURRENCY,
      pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS,
      retentionMs: env.WEBHOOK_RETENTION_HOURS * 3_600_000,
      allowedNetworks: env.WEBHOOK_ALLOWED_NETWORKS,
      retry: {
        baseMs: env.WEBHOOK_BACKOFF_BASE_MS,
        maxMs: env.WEBHOOK_BACKOFF_MAX_MS,
        maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      },
      breaker: {
        failureThreshold: env.WEBHOOK_BREAKER_FAILURES,
        coolDownMs: env.WEBHOOK_BREAKER_COOLDOWN_MS,
        maxCoolDownMs: env.WEBHOOK_BREAKER_MAX_COOLDOWN_MS,
      },
    },
    logLevel: env.LOG_LEVEL,
  }));

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  return parseEnvironment(configSchema, env);
}
