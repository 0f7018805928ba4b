import { createWebClient, ensureWebhooks, type WebClient } from '@threadline/sdk';
import type { Config } from './config.ts';

/** Bot tokens live a day; a new one is issued well before that. */
const tokenRenewalMs = 12 * 60 * 60 * 1000;

export interface BotIdentity {
  botId: string;
  /** The Agent Chat Web API acting as the bot, with a token that is renewed before it expires. */
  agentApi(): Promise<WebClient>;
}

/**
 * Creates the bot on first start, or finds it by name and updates it (the Configuration API never
 * shows a bot's secret again, so a restart resets it), then issues bot tokens for the client.
 */
export async function provisionBot(
  config: Config,
  configurationApi: WebClient,
): Promise<BotIdentity> {
  const { threadline, bot } = config;
  const settings = { groups: bot.groups, max_chats_count: bot.maxChats };
  const bots = (await configurationApi.call('list_bots', { all: true })) as unknown as {
    id: string;
    name: string;
  }[];
  const existing = bots.find((candidate) => candidate.name === bot.name);
  let botId: string;
  let secret: string;
  if (existing) {
    botId = existing.id;
    await configurationApi.call('update_bot', { id: botId, ...settings });
    const reset = await configurationApi.call('reset_bot_secret', {
      id: botId,
      owner_client_id: threadline.clientId,
    });
    secret = String(reset.secret);
  } else {
    const created = await configurationApi.call('create_bot', {
      name: bot.name,
      ...settings,
      owner_client_id: threadline.clientId,
    });
    botId = String(created.id);
    secret = String(created.secret);
  }

  const issue = async () => {
    const issued = await configurationApi.call('issue_bot_token', {
      bot_id: botId,
      bot_secret: secret,
      client_id: threadline.clientId,
      organization_id: threadline.organizationId,
    });
    return createWebClient({
      baseUrl: threadline.url,
      api: 'agent',
      credentials: { bearer: String(issued.token) },
    });
  };
  let current = { client: await issue(), issuedAt: Date.now() };
  return {
    botId,
    async agentApi() {
      if (Date.now() - current.issuedAt > tokenRenewalMs) {
        current = { client: await issue(), issuedAt: Date.now() };
      }
      return current.client;
    },
  };
}

/**
 * The bot's webhooks (`type: bot`): customers' messages in chats the bot is in, and the bot being
 * added to a chat (the router assigning one). `chat_presence.my_bots` is what a LiveChat
 * integration writes for that: chats where a bot owned by this client is present, whatever its
 * id, so the registrations stay right when the bot is recreated. Safe to run on every start: see
 * `ensureWebhooks`.
 */
export function registerBotWebhooks(
  config: Config,
  configurationApi: WebClient,
  url: string,
): Promise<string[]> {
  const withMyBots = { chat_presence: { my_bots: true } };
  return ensureWebhooks(configurationApi, {
    ownerClientId: config.threadline.clientId,
    url,
    secretKey: config.webhookSecret,
    description: 'example-bot-agent',
    wanted: [
      {
        action: 'incoming_event',
        type: 'bot',
        filters: { ...withMyBots, author_type: 'customer' },
      },
      { action: 'user_added_to_chat', type: 'bot', filters: withMyBots },
    ],
  });
}
