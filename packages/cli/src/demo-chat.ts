import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebClient, RtmClient, requestCustomerToken } from '@threadline/sdk';

/**
 * `./threadline demo-chat`: plays one conversation against the platform `./threadline up` started,
 * an agent and a customer over RTM, printing every push either side receives.
 */
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Demo {
  gateway_url: string;
  organization_id: string;
  agent: { id: string; accountId: string; pat: string; authorization: string };
  customer_client_id: string;
}

async function main(): Promise<void> {
  const demo = JSON.parse(
    readFileSync(join(repositoryRoot, '.threadline/demo.json'), 'utf8'),
  ) as Demo;
  const baseUrl = demo.gateway_url;
  const show = (who: string) => (push: { action: string; payload: unknown }) =>
    process.stdout.write(`${who} <- ${push.action} ${JSON.stringify(push.payload)}\n`);

  const agent = await RtmClient.connect({ baseUrl, api: 'agent' });
  agent.onPush(show('agent'));
  await agent.request('login', { token: demo.agent.authorization });
  await agent.request('set_routing_status', { status: 'accepting_chats' });
  process.stdout.write(`agent ${demo.agent.id} logged in and accepting chats\n`);

  const token = await requestCustomerToken(baseUrl, {
    grantType: 'cookie',
    clientId: demo.customer_client_id,
    organizationId: demo.organization_id,
  });
  const customer = await RtmClient.connect({
    baseUrl,
    api: 'customer',
    organizationId: demo.organization_id,
  });
  customer.onPush(show('customer'));
  await customer.request('login', { token: `Bearer ${token.access_token}` });
  process.stdout.write(`customer ${token.entity_id} logged in\n`);

  const started = await customer.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: 'Hello! Can you help me?' }] } },
  });
  const chatId = String(started.chat_id);
  await agent.waitForPush(
    'incoming_chat',
    (payload) => (payload.chat as { id: string }).id === chatId,
  );
  await agent.request('send_event', {
    chat_id: chatId,
    event: { type: 'message', text: 'Of course, what do you need?' },
  });
  await customer.waitForPush(
    'incoming_event',
    (payload) => (payload.event as { text?: string }).text === 'Of course, what do you need?',
  );

  const web = createWebClient({
    baseUrl,
    api: 'agent',
    credentials: { accountId: demo.agent.accountId, personalAccessToken: demo.agent.pat },
  });
  const chat = await web.call('get_chat', { chat_id: chatId });
  process.stdout.write(`get_chat over the Web API:\n${JSON.stringify(chat, null, 2)}\n`);
  await agent.request('deactivate_chat', { id: chatId });
  await customer.waitForPush('chat_deactivated');
  await Promise.all([agent.close(), customer.close()]);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `threadline demo-chat: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.stderr.write('Is `./threadline up` running?\n');
  process.exit(1);
});
