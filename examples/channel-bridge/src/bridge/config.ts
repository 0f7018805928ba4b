import { z } from 'zod';

const schema = z
  .object({
    /** The gateway, e.g. http://127.0.0.1:8080 */
    THREADLINE_URL: z.url(),
    THREADLINE_ORGANIZATION_ID: z.string().min(1),
    /** An agent's personal access token: it mints customer tokens (`agent_token` grant). */
    THREADLINE_ACCOUNT_ID: z.string().min(1),
    THREADLINE_PAT: z.string().min(1),
    /** The bridge's client (app): its customers' tokens and its webhooks belong to it. */
    THREADLINE_CLIENT_ID: z.string().min(1),
    EXTERNAL_API_URL: z.url(),
    EXTERNAL_API_TOKEN: z.string().min(1),
    /** Where the bridge keeps what must survive a restart (a JSON file). */
    STATE_FILE: z.string().min(1).default('.threadline/channel-bridge.json'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).default(8093),
    /** The webhook URL as Threadline reaches it; defaults to this process's own address. */
    PUBLIC_URL: z.url().optional(),
    WEBHOOK_SECRET: z.string().min(16),
    LOG_LEVEL: z.string().default('info'),
  })
  .transform((env) => ({
    threadline: {
      url: env.THREADLINE_URL,
      organizationId: env.THREADLINE_ORGANIZATION_ID,
      credentials: {
        accountId: env.THREADLINE_ACCOUNT_ID,
        personalAccessToken: env.THREADLINE_PAT,
      },
      clientId: env.THREADLINE_CLIENT_ID,
    },
    external: { url: env.EXTERNAL_API_URL, token: env.EXTERNAL_API_TOKEN },
    stateFile: env.STATE_FILE,
    http: { host: env.HOST, port: env.PORT, publicUrl: env.PUBLIC_URL },
    webhookSecret: env.WEBHOOK_SECRET,
    logLevel: env.LOG_LEVEL,
  }));

export type Config = z.infer<typeof schema>;

/** Reads the environment once, at startup; every problem is reported at once. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return Object.freeze(parsed.data);
}
