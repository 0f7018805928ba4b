import { createServer } from 'node:http';
import { createWebClient, ensureWebhooks, webhookListener } from '@threadline/sdk';
import pino from 'pino';
import { loadConfig } from './config.ts';
import { createCustomerApis } from './customers.ts';
import { createExternalClient } from './external-client.ts';
import { createInbound } from './inbound.ts';
import { createOutbound } from './outbound.ts';
import { StateFile } from './state.ts';

const config = loadConfig(process.env);
const logger = pino({ name: 'example-channel-bridge', level: config.logLevel });
const state = await StateFile.open(config.stateFile);
const external = createExternalClient(config.external);
const { threadline } = config;
const configurationApi = createWebClient({
  baseUrl: threadline.url,
  api: 'configuration',
  credentials: threadline.credentials,
});
const outbound = createOutbound({ state, external });
const inbound = createInbound({
  state,
  external,
  customers: createCustomerApis({
    url: threadline.url,
    organizationId: threadline.organizationId,
    clientId: threadline.clientId,
    agent: threadline.credentials,
  }),
});

let ready = false;
const handleWebhook = webhookListener({
  secretKey: config.webhookSecret,
  onWebhook: (webhook) => outbound.onWebhook(webhook),
  onError: (error) => logger.error({ err: error }, 'webhook not handled; Threadline will retry'),
});
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(ready ? 200 : 503).end();
  } else if (request.method === 'POST' && request.url === '/webhooks') {
    handleWebhook(request, response);
  } else {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : config.http.port;
const webhookUrl = config.http.publicUrl ?? `http://${config.http.host}:${port}/webhooks`;

// Agents' and bots' messages (not the bridge's own customers', nor system messages) in chats
// started with the bridge's client (`only_my_chats`: the chat property source.client_id), for
// that client: license webhooks are sent once the client has enabled them.
await configurationApi.call('enable_license_webhooks', { owner_client_id: threadline.clientId });
await ensureWebhooks(configurationApi, {
  ownerClientId: threadline.clientId,
  url: webhookUrl,
  secretKey: config.webhookSecret,
  description: 'example-channel-bridge',
  wanted: [
    {
      action: 'incoming_event',
      type: 'license',
      filters: { author_type: 'agent', only_my_chats: true },
    },
  ],
});

const stopping = new AbortController();
const relaying = inbound.run(stopping.signal, (error) =>
  logger.warn({ err: error }, 'external update not relayed yet; trying again'),
);
ready = true;
logger.info({ webhookUrl, stateFile: config.stateFile }, 'bridge running');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping.abort();
    server.close();
    server.closeAllConnections();
    void relaying.finally(() => process.exit(0));
  });
}
