import { z } from 'zod';

const schema = z
  .object({
    /** The gateway, e.g. http://127.0.0.1:8080 */
    THREADLINE_URL: z.url(),
    THREADLINE_ORGANIZATION_ID: z.string().min(1),
    /** An owner's (or admin's) personal access token: it creates the bot and its webhooks. */
    THREADLINE_ACCOUNT_ID: z.string().min(1),
    THREADLINE_PAT: z.string().min(1),
    /** The client (app) that owns the bot and its webhooks, and that bot tokens are issued for. */
    THREADLINE_CLIENT_ID: z.string().min(1),
    BOT_NAME: z.string().min(1).default('Helper bot'),
    /** Groups the bot serves, `id:priority` comma-separated; `first` gets chats before humans. */
    BOT_GROUPS: z.string().default('0:first'),
    BOT_MAX_CHATS: z.coerce.number().int().min(1).max(99).default(20),
    /** Where chats go when a customer asks for a person. */
    HANDOFF_GROUP_ID: z.coerce.number().int().min(0),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).default(8091),
    /** The webhook URL as Threadline reaches it; defaults to this process's own address. */
    PUBLIC_URL: z.url().optional(),
    /** The webhooks' secret_key: they are signed with it and carry it. */
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
    bot: {
      name: env.BOT_NAME,
      groups: parseGroups(env.BOT_GROUPS),
      maxChats: env.BOT_MAX_CHATS,
      handoffGroupId: env.HANDOFF_GROUP_ID,
    },
    http: { host: env.HOST, port: env.PORT, publicUrl: env.PUBLIC_URL },
    webhookSecret: env.WEBHOOK_SECRET,
    logLevel: env.LOG_LEVEL,
  }));

export type Config = z.infer<typeof schema>;

export type GroupPriority = 'first' | 'normal' | 'last';

function parseGroups(list: string): { id: number; priority: GroupPriority }[] {
  return list.split(',').map((entry) => {
    const [id = '', priority = 'normal'] = entry.trim().split(':');
    if (!/^\d+$/.test(id) || !['first', 'normal', 'last'].includes(priority)) {
      throw new Error(`BOT_GROUPS: "${entry}" is not <group id>:<first|normal|last>`);
    }
    return { id: Number(id), priority: priority as GroupPriority };
  });
}

/** Reads the environment once, at startup; every problem is reported at once. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return Object.freeze(parsed.data);
}
