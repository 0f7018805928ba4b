import type { CreatedAgent } from '@threadline/accounts';
import { createWebClient, type RtmClient } from '@threadline/sdk';
import { type BenchPlatform, connectAgent, connectCustomer } from './bench-platform.ts';

/** What identifies the template chat in the rows chat-store folded from it. */
export interface TemplateChat {
  organizationId: string;
  chatId: string;
  threadIds: [string, string];
  agent: CreatedAgent['agent'];
  tag: string;
}

/** Each message of the template says a placeholder the seeder replaces with generated words. */
export const placeholder = (index: number) => `tplw${String(index).padStart(4, '0')}`;
export const templateTag = 'tpltag';
const messagesPerThread = 8;

/**
 * One real conversation through the platform (gateway, chat-store, router): a customer's chat,
 * routed to the agent, eight messages between them, tagged and closed; then resumed, routed
 * again, eight more and closed. Its projection rows are what the seeder copies.
 */
export async function recordTemplateChat(
  bench: BenchPlatform,
  created: CreatedAgent,
): Promise<TemplateChat> {
  const [gatewayA, gatewayB] = bench.platform.gatewayUrls as [string, string];
  const configuration = createWebClient({
    baseUrl: gatewayA,
    api: 'configuration',
    credentials: { accountId: created.agent.accountId, personalAccessToken: created.pat },
  });
  await configuration.call('create_tag', { name: templateTag });
  const agent = await connectAgent(gatewayA, created);
  const customer = await connectCustomer(gatewayB, bench);
  let said = 0;
  const say = () => ({ type: 'message', text: placeholder(++said) });
  try {
    const started = await customer.request('start_chat', { chat: { thread: { events: [say()] } } });
    const chatId = String(started.chat_id);
    const first = String(started.thread_id);
    await assigned(agent, first);
    await converse(agent, customer, chatId, say);
    await agent.request('tag_thread', { chat_id: chatId, thread_id: first, tag: templateTag });
    await agent.request('deactivate_chat', { id: chatId });
    const resumed = await customer.request('resume_chat', {
      chat: { id: chatId, thread: { events: [say()] } },
    });
    const second = String(resumed.thread_id);
    await assigned(agent, second);
    await converse(agent, customer, chatId, say);
    await agent.request('deactivate_chat', { id: chatId });
    return {
      organizationId: bench.organizationId,
      chatId,
      threadIds: [first, second],
      agent: created.agent,
      tag: templateTag,
    };
  } finally {
    await Promise.all([agent.close(), customer.close()]);
  }
}

function assigned(agent: RtmClient, threadId: string) {
  return agent.waitForPush(
    'incoming_chat',
    (payload) => (payload.chat as { thread?: { id: string } }).thread?.id === threadId,
  );
}

async function converse(
  agent: RtmClient,
  customer: RtmClient,
  chatId: string,
  say: () => { type: string; text: string },
) {
  for (let index = 1; index < messagesPerThread; index += 1) {
    const speaker = index % 2 === 1 ? agent : customer;
    await speaker.request('send_event', { chat_id: chatId, event: say() });
  }
}
