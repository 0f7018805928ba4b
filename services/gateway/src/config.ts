import {
  millisecondsVariable,
  loadConfig as parseEnvironment,
  portVariable,
  serviceEnvironment,
} from '@threadline/runtime';
import { z } from 'zod';
import { parseFileLinkKeys } from './domain/file-links.ts';

/**
 * For `./threadline up` and tests only: anyone who reads this source can sign file links with
 * it. The gateway warns at startup when it is in use.
 */
export const developmentFileLinkKeys = `development:${Buffer.from('threadline-development-file-link-key').toString('base64')}`;

const port = portVariable;
const milliseconds = millisecondsVariable;
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * `3.5=2027-08-07,3.4=2027-02-07`: the end date of each version's current stage, sent as the
 * `Legacy` / `Deprecation` response header. The default is Threadline's own support window (legacy
 * 3.5 and deprecated 3.4 served until these dates); an operator may state others, or none (`-`).
 */
const stageEndDates = z
  .string()
  .default('3.5=2027-08-07,3.4=2027-02-07')
  .transform((value, context) => {
    const dates: Record<string, string> = {};
    const entries = value.trim() === '-' ? [] : value.split(',');
    for (const entry of entries.filter((item) => item.trim() !== '')) {
      const match = /^\s*(\d+\.\d+)\s*=\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(entry);
      if (!match) {
        context.addIssue({
          code: 'custom',
          message: `expected VERSION=YYYY-MM-DD, got "${entry}"`,
        });
        return z.NEVER;
      }
      dates[match[1]!] = match[2]!;
    }
    return dates;
  });

const environmentSchema = z.object({
  // The gateway serves no gRPC of its own: it is the edge, and calls the others over NATS.
  ...serviceEnvironment({ healthPort: 9100, grpcPort: 0 }),
  HOST: z.string().default('0.0.0.0'),
  PORT: port(8080),
  API_STAGE_END_DATES: stageEndDates,
  /** Customer identity cookies: `auto` marks them Secure (and SameSite=None) on HTTPS requests. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /**
   * Keys signing file links, `id:base64secret,…`: the first signs, all verify (rotation:
   * `domain/file-links.ts`, docs/deploy.md). Unset: the development key, never for production.
   */
  FILE_LINK_KEYS: z
    .string()
    .default(developmentFileLinkKeys)
    .transform((value, context) => {
      try {
        return parseFileLinkKeys(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Base of the URLs `upload_file` returns (`https://chat.example.com`); else the request's host. */
  PUBLIC_URL: z.url().optional(),
  /**
   * The built widget and agent console (`packages/web`, `vite build`), served under `/widget/`,
   * `/console/` and `/assets/`. Unset or empty: no pages. The gateway's image has them in
   * `/app/web` and sets this; the chart's `services.gateway.webPages.enabled: false` empties it.
   */
  WEB_PAGES_DIR: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  REQUEST_TIMEOUT_MS: milliseconds(15_000),
  RTM_LOGIN_TIMEOUT_MS: milliseconds(30_000),
  RTM_IDLE_TIMEOUT_MS: milliseconds(30_000),
  RTM_PING_INTERVAL_MS: milliseconds(15_000),
  RTM_MAX_PENDING_REQUESTS: count(10),
  RTM_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /** Resume (Threadline's): a chat further behind than this many batches is re-listed instead. */
  RTM_RESUME_MAX_BATCHES: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** A chat push waiting this long for an earlier one has the gap read from the log. */
  RTM_PUSH_GAP_TIMEOUT_MS: milliseconds(2_000),
  SHUTDOWN_GRACE_MS: milliseconds(5_000),
  /** How often the gateway tells the router which agents are logged in on it. */
  PRESENCE_HEARTBEAT_MS: milliseconds(10_000),
  /** How long a repeated request is answered with the first one's outcome, per transport. */
  IDEMPOTENCY_WEB_WINDOW_MS: milliseconds(24 * 60 * 60 * 1000),
  IDEMPOTENCY_RTM_WINDOW_MS: milliseconds(5 * 60 * 1000),
  /**
   * Rate limits (`too_many_requests`), counted in fixed windows shared by every gateway replica
   * (domain/rate-windows.ts). The defaults are ceilings against floods and runaway clients, far
   * above what a person, a widget or an integration does: 1,000 requests per user in 10 s is 100/s
   * sustained; 2,000 per client address leaves room for an office behind one NAT. `off` turns the
   * limits off (capacity benchmarks that connect thousands of clients from one address).
   */
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_WINDOW_MS: milliseconds(10_000),
  RATE_LIMIT_PER_USER: count(1_000),
  RATE_LIMIT_PER_ADDRESS: count(2_000),
  /**
   * How often a replica tells the others what it counted (rate limits and connections per user):
   * a few hundred ms keeps the sums close.
   */
  RATE_LIMIT_SHARE_INTERVAL_MS: milliseconds(250),
  /**
   * Where a client's address is read behind a load balancer (`x-forwarded-for`): the header's
   * last entry, the one the balancer appended (earlier ones are the client's to invent). Unset:
   * the connection's peer address.
   */
  CLIENT_IP_HEADER: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .optional(),
  /**
   * Open RTM connections per user (agent, bot or customer), all gateways together (shared at the
   * rate limits' interval): a tab per chat window is normal, hundreds are a leak or an attack.
   */
  RTM_MAX_CONNECTIONS_PER_USER: count(50),
  /** How long an organization's allowed domains are remembered before being read again. */
  ALLOWED_DOMAINS_CACHE_MS: milliseconds(10_000),
});

export type GatewayConfig = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof environmentSchema>) {
  return {
    nats: { url: env.NATS_URL, streamReplicas: env.STREAM_REPLICAS },
    postgres: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    namespace: env.THREADLINE_NAMESPACE,
    http: {
      host: env.HOST,
      port: env.PORT,
      maxBodyBytes: env.MAX_BODY_BYTES,
      cookieSecure: env.COOKIE_SECURE,
      publicUrl: env.PUBLIC_URL,
      pagesDir: env.WEB_PAGES_DIR,
    },
    fileLinkKeys: env.FILE_LINK_KEYS,
    healthPort: env.HEALTH_PORT,
    logLevel: env.LOG_LEVEL,
    stageEndDates: env.API_STAGE_END_DATES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    rtm: {
      loginTimeoutMs: env.RTM_LOGIN_TIMEOUT_MS,
      idleTimeoutMs: env.RTM_IDLE_TIMEOUT_MS,
      pingIntervalMs: env.RTM_PING_INTERVAL_MS,
      maxPendingRequests: env.RTM_MAX_PENDING_REQUESTS,
      maxBufferedBytes: env.RTM_MAX_BUFFERED_BYTES,
      resumeMaxBatches: env.RTM_RESUME_MAX_BATCHES,
      pushGapTimeoutMs: env.RTM_PUSH_GAP_TIMEOUT_MS,
      maxConnectionsPerUser: env.RTM_MAX_CONNECTIONS_PER_USER,
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    presenceHeartbeatMs: env.PRESENCE_HEARTBEAT_MS,
    idempotencyWindowMs: { web: env.IDEMPOTENCY_WEB_WINDOW_MS, rtm: env.IDEMPOTENCY_RTM_WINDOW_MS },
    rateLimits: {
      enabled: env.RATE_LIMITS === 'on',
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      perUser: env.RATE_LIMIT_PER_USER,
      perAddress: env.RATE_LIMIT_PER_ADDRESS,
      shareIntervalMs: env.RATE_LIMIT_SHARE_INTERVAL_MS,
    },
    clientIpHeader: env.CLIENT_IP_HEADER,
    allowedDomainsCacheMs: env.ALLOWED_DOMAINS_CACHE_MS,
  };
}

/** Reads the gateway's configuration from the environment, once, at startup. */
export function loadGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  return Object.freeze(toConfig(parseEnvironment(environmentSchema, env)));
}
