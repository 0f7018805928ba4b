import { loadConfig, serviceEnvironment } from '@threadline/runtime';
import { z } from 'zod';

/** The router's environment, parsed once at startup (see `loadRouterConfig`). */
export const configSchema = z
  .object({
    ...serviceEnvironment({ healthPort: 9102, grpcPort: 50052 }),
    ASSIGN_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    HOUSEKEEPING_INTERVAL_MS: z.coerce.number().int().min(50).default(5000),
    ASSIGNMENT_RETRY_AFTER_MS: z.coerce.number().int().min(100).default(10_000),
    CHAT_EVENTS_ACK_WAIT_MS: z.coerce.number().int().min(1000).default(30_000),
    AGENT_DISCONNECT_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    AGENT_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  })
  .transform((env) => ({
    nats: { url: env.NATS_URL, streamReplicas: env.STREAM_REPLICAS },
    postgres: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    namespace: env.THREADLINE_NAMESPACE,
    healthPort: env.HEALTH_PORT,
    grpcPort: env.GRPC_PORT,
    logLevel: env.LOG_LEVEL,
    /** How long one `assign_agent` may take before the assignment is retried later. */
    assignTimeoutMs: env.ASSIGN_TIMEOUT_MS,
    /** How long a replica may hold a chat event batch before the server gives it to another. */
    chatEventsAckWaitMs: env.CHAT_EVENTS_ACK_WAIT_MS,
    housekeeping: {
      intervalMs: env.HOUSEKEEPING_INTERVAL_MS,
      retryAfterMs: env.ASSIGNMENT_RETRY_AFTER_MS,
      /** A session no gateway heartbeat renewed for this long has ended (the gateway died). */
      sessionTimeoutMs: env.AGENT_SESSION_TIMEOUT_MS,
    },
    /**
     * How long an agent whose last RTM connection was lost keeps their chats (a reload, a
     * network blip) before they are handed on. Logging out hands them on at once.
     */
    disconnectGraceMs: env.AGENT_DISCONNECT_GRACE_MS,
  }));

export type RouterConfig = z.output<typeof configSchema>;

export function loadRouterConfig(env: Record<string, string | undefined>): Readonly<RouterConfig> {
  return loadConfig(configSchema, env);
}
