import { z } from 'zod';

/** A TCP port variable; 0 lets the system pick one (tests). */
export const portVariable = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);

/** A duration variable in milliseconds. */
export const millisecondsVariable = (fallback: number) =>
  z.coerce.number().int().min(1).default(fallback);

/**
 * The variables every service reads, with the service's own default ports. Services spread this
 * shape into their zod schema and add their own; defaults are the local development servers.
 */
export function serviceEnvironment(defaults: { healthPort: number; grpcPort: number }) {
  return {
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/test'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    THREADLINE_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only (it prefixes NATS subjects)')
      .default('tl'),
    STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
    HEALTH_PORT: portVariable(defaults.healthPort),
    GRPC_PORT: portVariable(defaults.grpcPort),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  };
}
