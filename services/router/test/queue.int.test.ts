import { decodePush } from '@threadline/bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aCommand, anAgentRequester, anIncomingChatBatch, aUserAddedBatch } from './factories.ts';
import { eventually, type Routers, startRouters } from './harness.ts';

/**
 * The queue as customers and agents see it: `queue_position_updated` to each waiting customer,
 * `queue_positions_updated` to the agents of the chats' groups (spec §4) and, once an agent
 * takes a chat, `user_added_to_chat` to them too; and chat-store's
 * `get_queue_places` for thread views.
 */
let sut: Routers;

beforeEach(async () => {
  sut = await startRouters({ replicas: 2 });
});

afterEach(async () => {
  await sut.stop();
});

interface QueueEntry {
  chat_id: string;
  thread_id: string;
  queue: { position: number; wait_time: number };
}

function listen(subject: string) {
  const pushes: { action: string; payload: unknown; audienceGroupIds: number[] }[] = [];
  const subscription = sut.bus.connection.subscribe(subject, {
    callback: (_error, message) => {
      const push = decodePush(message.data);
      pushes.push({
        action: push.action,
        payload: JSON.parse(push.payloadJson),
        audienceGroupIds: push.audienceGroupIds,
      });
    },
  });
  return { pushes, stop: () => subscription.unsubscribe() };
}

describe('the queue', () => {
  it('tells each waiting customer and the agents of the chat’s groups where it stands, and when it left', async () => {
    const second = listen(sut.subjects.userPushes('org1', 'customer-of-C2'));
    const agents = listen(sut.subjects.organizationPushes('org1'));
    await sut.publish(anIncomingChatBatch({ chatId: 'C1', startedAt: Date.now() }));
    await sut.drained();
    await sut.publish(anIncomingChatBatch({ chatId: 'C2', groupIds: [5], startedAt: Date.now() }));
    await sut.drained();
    await sut.publish(anIncomingChatBatch({ chatId: 'C3', startedAt: Date.now() }));
    await sut.drained();

    await eventually(() =>
      expect(second.pushes.at(-1)).toEqual({
        action: 'queue_position_updated',
        payload: { chat_id: 'C2', thread_id: 'C2-T1', queue: { position: 2, wait_time: 120 } },
        audienceGroupIds: [],
      }),
    );
    const group5 = agents.pushes.filter((push) => push.audienceGroupIds.includes(5));
    expect(group5.at(-1)?.payload).toEqual([
      { chat_id: 'C2', thread_id: 'C2-T1', queue: { position: 2, wait_time: 120 } },
    ]);
    const everyone = agents.pushes.filter((push) => push.audienceGroupIds.includes(0));
    expect(everyone.flatMap((push) => push.payload as QueueEntry[]).map((e) => e.chat_id)).toEqual([
      'C1',
      'C3',
    ]);

    const places = (await sut.execute(
      aCommand('get_queue_places', anAgentRequester({ userId: 'chat-store' }), {
        chat_ids: ['C1', 'C3', 'C9'],
      }),
    )) as { places: Record<string, { thread_id: string; position: number; queued_at: string }> };
    expect(Object.keys(places.places)).toEqual(['C1', 'C3']);
    expect(places.places.C3).toMatchObject({ thread_id: 'C3-T1', position: 3 });
    expect(places.places.C1?.queued_at).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);

    // One agent takes C1: everyone behind moves up, and is told.
    await sut.execute(
      aCommand('set_routing_status', anAgentRequester({ userId: 'a@x.io', maxChatsCount: 1 }), {
        status: 'accepting_chats',
      }),
    );
    await eventually(() =>
      expect((second.pushes.at(-1)?.payload as QueueEntry | undefined)?.queue.position).toBe(1),
    );
    // The agents who were told C1 waits learn it left: someone took it.
    await eventually(() =>
      expect(agents.pushes.filter((push) => push.action === 'user_added_to_chat')).toEqual([
        {
          action: 'user_added_to_chat',
          payload: expect.objectContaining({
            chat_id: 'C1',
            thread_id: 'C1-T1',
            user: expect.objectContaining({ id: 'a@x.io', type: 'agent' }),
            reason: 'assigned',
          }),
          audienceGroupIds: [0],
        },
      ]),
    );
    second.stop();
    agents.stop();
  });

  it('tells the agents of its groups when an agent takes a waiting chat by hand', async () => {
    const agents = listen(sut.subjects.organizationPushes('org1'));
    await sut.publish(anIncomingChatBatch({ chatId: 'H1', groupIds: [5], startedAt: Date.now() }));
    await eventually(() =>
      expect(agents.pushes.map((push) => push.action)).toContain('queue_positions_updated'),
    );
    await sut.publish(aUserAddedBatch({ chatId: 'H1', agentId: 'b@x.io' }));
    await eventually(() =>
      expect(agents.pushes.filter((push) => push.action === 'user_added_to_chat')).toEqual([
        {
          action: 'user_added_to_chat',
          payload: expect.objectContaining({
            chat_id: 'H1',
            user: expect.objectContaining({ id: 'b@x.io', type: 'agent' }),
            reason: 'manual',
          }),
          audienceGroupIds: [5],
        },
      ]),
    );
    agents.stop();
  });
});
