import type { ChatEventBatch } from '@threadline/contracts';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RoutingPlatform, startRoutingPlatform } from './routing-platform.ts';

/**
 * The chat lifecycle through the real chat-store (two processes) and two routers on a clock the
 * test moves: timers and lost agents end in chat-store's log as LiveChat's system messages.
 * chat-store stamps events with the wall clock, so the routers' clock follows it until a test
 * moves it ahead.
 */
let ahead = 0;
const clock = { now: () => new Date(Date.now() + ahead) };
let sut: RoutingPlatform;

beforeAll(async () => {
  sut = await startRoutingPlatform({ routerClock: clock });
});
afterAll(async () => {
  await sut?.stop();
});

const minute = 60_000;

/** What chat-store stored for one chat, in order: its events' types and system messages. */
async function history(organizationId: string, chatId: string) {
  const batches = await sut.readBatches(organizationId, chatId);
  const events = batches.flatMap((batch: ChatEventBatch) => batch.events);
  const data = (dataJson: string) => JSON.parse(dataJson) as Record<string, unknown>;
  return {
    systemMessages: events
      .filter((event) => event.type === 'event_added')
      .map((event) => data(event.dataJson).event as { type: string; system_message_type?: string })
      .filter((event) => event.type === 'system_message')
      .map((event) => event.system_message_type),
    closed: events.some((event) => event.type === 'thread_closed'),
    removed: events
      .filter((event) => event.type === 'user_removed')
      .map((event) => data(event.dataJson)),
    /** Agents who joined, in order (the customer joins at the start). */
    added: events
      .filter((event) => event.type === 'user_added')
      .map((event) => data(event.dataJson).user as { id: string; type: string })
      .filter((user) => user.type === 'agent')
      .map((user) => user.id),
  };
}

async function started() {
  ahead = 0;
  const organization = sut.organization();
  const customer = organization.customer();
  return { organization, customer };
}

/** Agent `a` logged in on a gateway carries the customer's new chat; `b` is there too. */
async function chatWithLoggedInAgent() {
  const { organization, customer } = await started();
  const [a, b] = [organization.agent(1, 5), organization.agent(2, 5)];
  await sut.routerCall('agent_connected', { gateway_id: 'gw-1', status: 'accepting_chats' }, a);
  const { chat_id } = await organization.startChat(customer);
  await eventually(async () =>
    expect((await history(organization.id, chat_id)).added).toEqual([a.userId]),
  );
  return { organization, chatId: chat_id, a, b };
}

describe('the chat lifecycle through chat-store', () => {
  it('closes a chat idle for 30 minutes with routing.idle then routing.archived_inactive', async () => {
    const { organization, customer } = await started();
    const agent = organization.agent(1, 5);
    await organization.acceptChats(agent);
    const { chat_id } = await organization.startChat(customer);
    await eventually(async () =>
      expect((await history(organization.id, chat_id)).added).toEqual([agent.userId]),
    );

    ahead = 30 * minute + 1000;
    await eventually(async () => {
      const chat = await history(organization.id, chat_id);
      expect(chat.systemMessages).toEqual([
        'routing.assigned',
        'routing.idle',
        'routing.archived_inactive',
      ]);
      expect(chat.closed).toBe(true);
    });
  });

  it('hands a disconnected agent’s chat to another agent after the grace period', async () => {
    const { organization, chatId: chat_id, a, b } = await chatWithLoggedInAgent();
    await organization.acceptChats(b);
    await sut.routerCall('agent_disconnected', { gateway_id: 'gw-1' }, a);

    ahead = 31_000;
    await eventually(async () => {
      const chat = await history(organization.id, chat_id);
      expect(chat.systemMessages).toEqual(['routing.assigned', 'routing.assigned_disconnected']);
      expect(chat.removed).toEqual([
        expect.objectContaining({ user_id: a.userId, reason: 'disconnected' }),
      ]);
      expect(chat.added).toEqual([a.userId, b.userId]);
      expect(chat.closed).toBe(false);
    });
  });

  it('puts a signed-out agent’s chat back in the queue, then gives it to the next agent', async () => {
    const { organization, chatId: chat_id, a, b } = await chatWithLoggedInAgent();
    await sut.routerCall('agent_disconnected', { gateway_id: 'gw-1', reason: 'signed_out' }, a);
    await eventually(async () => {
      const chat = await history(organization.id, chat_id);
      expect(chat.systemMessages).toEqual(['routing.assigned', 'routing.unassigned_signed_out']);
    });
    await eventually(async () => expect(await sut.waitingInRouter(organization.id)).toBe(1));

    await organization.acceptChats(b);
    await eventually(async () => {
      const chat = await history(organization.id, chat_id);
      expect(chat.added).toEqual([a.userId, b.userId]);
      expect(chat.systemMessages.at(-1)).toBe('routing.assigned');
    });
  });

  it('shows a waiting chat’s place in chat-store’s views, to its customer and to agents', async () => {
    const { organization, customer } = await started();
    const first = await organization.startChat(customer);
    const second = await organization.startChat(organization.customer());
    await eventually(async () => expect(await sut.waitingInRouter(organization.id)).toBe(2));
    const { thread } = (await sut.chatStoreQuery(
      'get_chat',
      { chat_id: first.chat_id },
      customer,
    )) as {
      thread: { queue?: { position: number; wait_time: number; queued_at: string } };
    };
    expect(thread.queue).toMatchObject({ position: 1, wait_time: 60 });
    const agent = organization.agent(1, 5);
    const { chats_summary } = (await sut.chatStoreQuery('list_chats', {}, agent)) as {
      chats_summary: { id: string; last_thread_summary: { queue?: { position: number } } }[];
    };
    const positions = Object.fromEntries(
      chats_summary.map((chat) => [chat.id, chat.last_thread_summary.queue?.position]),
    );
    expect(positions).toEqual({ [first.chat_id]: 1, [second.chat_id]: 2 });
  });

  it('closes a chat nobody can take with routing.archived_offline when the queue is off', async () => {
    const { organization, customer } = await started();
    await sut.announceConfiguration(organization.id, 'license_properties_updated', {
      properties: { chats: { 'queue.enabled': false } },
    });
    // Let the routers apply the change before the chat starts.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { chat_id } = await organization.startChat(customer);
    await eventually(async () => {
      const chat = await history(organization.id, chat_id);
      expect(chat.systemMessages).toEqual(['routing.archived_offline']);
      expect(chat.closed).toBe(true);
    });
  });
});
