import { createServer } from 'node:http';
import { createWebClient, webhookListener } from '@threadline/sdk';
import pino from 'pino';
import { createBot } from './bot.ts';
import { loadConfig } from './config.ts';
import { provisionBot, registerBotWebhooks } from './provision.ts';

const config = loadConfig(process.env);
const logger = pino({ name: 'example-bot-agent', level: config.logLevel });
const configurationApi = createWebClient({
  baseUrl: config.threadline.url,
  api: 'configuration',
  credentials: config.threadline.credentials,
});

let handleWebhook: ReturnType<typeof webhookListener> | undefined;
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(handleWebhook ? 200 : 503).end();
  } else if (request.method === 'POST' && request.url === '/webhooks' && handleWebhook) {
    handleWebhook(request, response);
  } else {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : config.http.port;
const webhookUrl = config.http.publicUrl ?? `http://${config.http.host}:${port}/webhooks`;

const identity = await provisionBot(config, configurationApi);
const bot = createBot({
  botId: identity.botId,
  handoffGroupId: config.bot.handoffGroupId,
  agentApi: identity.agentApi,
});
handleWebhook = webhookListener({
  secretKey: config.webhookSecret,
  onWebhook: (webhook) => {
    logger.debug({ action: webhook.envelope.action, delivery: webhook.deliveryId }, 'webhook');
    return bot.onWebhook(webhook);
  },
  onError: (error) => logger.error({ err: error }, 'webhook not handled; Threadline will retry'),
});
await registerBotWebhooks(config, configurationApi, webhookUrl);
const setStatus = async (status: 'accepting_chats' | 'not_accepting_chats') =>
  (await identity.agentApi()).call('set_routing_status', { status, agent_id: identity.botId });
await setStatus('accepting_chats');
logger.info({ botId: identity.botId, webhookUrl }, 'bot accepting chats');

// Stop taking chats before leaving, so the router does not give new ones to a bot that is gone.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    setStatus('not_accepting_chats')
      .catch((error: unknown) => logger.warn({ err: error }, 'status not changed'))
      .finally(() => {
        server.close(() => process.exit(0));
        // Idle keep-alive connections of the webhook service would hold the close back.
        server.closeIdleConnections();
      });
  });
}
