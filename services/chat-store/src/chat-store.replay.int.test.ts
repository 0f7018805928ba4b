import { randomUUID } from 'node:crypto';
import type { Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushReplay, ReplayedPush } from './application/push-replay.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';
import { listenForPushes, type PushListener } from './testing/pushes.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

const replay = (requester: Requester, cursor: Record<string, unknown>, limit = 1_000) =>
  sut.query<PushReplay>('replay_pushes', { ...cursor, limit }, requester);

/** The replayable pushes a user got live (those with an index), in the order they came. */
async function liveReplayable(listener: PushListener): Promise<ReplayedPush[]> {
  await listener.settled('incoming_event');
  return listener.received
    .filter((push) => push.position?.index !== undefined)
    .map((push) => ({
      action: push.action,
      payload: { ...push.payload, _threadline: push.position },
    }));
}

/**
 * A chat with a customer, an assigned agent and a follower: start, assignment, messages (one for
 * agents only), follow, a property, deactivation. Each user's pushes are collected live.
 */
async function busyChat() {
  const customer = sut.customer();
  const agent = sut.agent();
  const follower = sut.agent();
  const listeners = {
    customer: await listenForPushes(sut, customer),
    agent: await listenForPushes(sut, agent),
    follower: await listenForPushes(sut, follower),
  };
  const { chat_id } = await sut.assignedChat({}, { customer, agent });
  await sut.execute('follow_chat', { id: chat_id }, follower);
  for (let count = 0; count < 3; count++) {
    await sut.execute(
      'send_event',
      { chat_id, event: { type: 'message', text: `c${count}` } },
      customer,
    );
    await sut.execute(
      'send_event',
      { chat_id, event: { type: 'message', text: `a${count}` } },
      agent,
    );
  }
  await sut.execute(
    'send_event',
    { chat_id, event: { type: 'message', text: 'between us agents', visibility: 'agents' } },
    agent,
  );
  await sut.execute('deactivate_chat', { id: chat_id }, agent);
  return { chat_id, customer, agent, follower, listeners };
}

describe('chat-store push replay', () => {
  it("numbers a batch's pushes per recipient; a direct push has a sequence but no index", async () => {
    const { chat_id, customer, listeners } = await busyChat();
    const [started] = await listeners.customer.next('incoming_chat');
    expect(started?.position).toEqual({ chat_id, sequence: 1, index: 0, previous: 0 });
    const [assigned] = await listeners.agent.next('incoming_chat');
    expect(assigned?.position).toEqual({ chat_id, sequence: 2 });
    const deactivation = listeners.customer.received.filter(
      (push) => push.position?.sequence === listeners.customer.received.at(-1)?.position?.sequence,
    );
    expect(deactivation.map((push) => push.position?.index)).toEqual(
      deactivation.map((_push, index) => index),
    );
    expect(deactivation.length).toBeGreaterThan(1);
    expect(customer.userId).toBeTruthy();
  });

  it("names in each push the recipient's previous replayable batch of the chat", async () => {
    const { listeners } = await busyChat();
    for (const listener of Object.values(listeners)) {
      await listener.settled('chat_deactivated');
      const replayable = listener.received.flatMap((push) =>
        push.position?.index === undefined ? [] : [push.position],
      );
      expect(replayable.length).toBeGreaterThan(3);
      let last = 0;
      for (const position of replayable) {
        expect(position.previous).toBe(position.index === 0 ? last : position.previous);
        if (position.index === 0) last = position.sequence;
      }
    }
  });

  it('replays to each user exactly the replayable pushes it got live, customer view included', async () => {
    const { chat_id, customer, agent, follower, listeners } = await busyChat();
    for (const [user, listener] of [
      [customer, listeners.customer],
      [agent, listeners.agent],
      [follower, listeners.follower],
    ] as const) {
      const live = await liveReplayable(listener);
      const replayed = await replay(user, { chat_id, after_sequence: 0 });
      expect(replayed.status).toBe('resumed');
      expect(replayed.status === 'resumed' && replayed.pushes).toEqual(live);
    }
    const customerTexts = (await liveReplayable(listeners.customer)).map(
      (push) => (push.payload as { event?: { text?: string } }).event?.text,
    );
    expect(customerTexts).not.toContain('between us agents');
  });

  it('resumes after a cursor, also from inside a batch', async () => {
    const { chat_id, customer, listeners } = await busyChat();
    const live = await liveReplayable(listeners.customer);
    const cursorAt = 3;
    const cursorPush = live[cursorAt]?.payload as {
      _threadline: { sequence: number; index: number };
    };
    const { sequence, index } = cursorPush._threadline;
    const fromInside = await replay(customer, {
      chat_id,
      after_sequence: sequence,
      after_index: index,
    });
    expect(fromInside.status === 'resumed' && fromInside.pushes).toEqual(live.slice(cursorAt + 1));
    const afterBatch = await replay(customer, { chat_id, after_sequence: sequence });
    expect(afterBatch.status === 'resumed' && afterBatch.pushes).toEqual(
      live.filter((push) => (push.payload as typeof cursorPush)._threadline.sequence > sequence),
    );
  });

  it('asks to re-list when the cursor is further behind than the limit, or ahead of the log', async () => {
    const { chat_id, customer } = await busyChat();
    const all = await replay(customer, { chat_id, after_sequence: 0 });
    const latest = all.sequence;
    expect(await replay(customer, { chat_id, after_sequence: 1 }, latest - 2)).toEqual({
      status: 'relist_required',
      sequence: latest,
    });
    expect((await replay(customer, { chat_id, after_sequence: 1 }, latest - 1)).status).toBe(
      'resumed',
    );
    expect(await replay(customer, { chat_id, after_sequence: latest + 5 })).toEqual({
      status: 'relist_required',
      sequence: latest,
    });
  });

  it("refuses another customer's, another group's or another organization's chat as not found", async () => {
    const { chat_id, agent } = await busyChat();
    const strangers = [
      sut.customer(),
      sut.agent({ groupIds: [7] }),
      sut.agent({ organizationId: randomUUID(), userId: agent.userId }),
    ];
    for (const stranger of strangers) {
      await expect(replay(stranger, { chat_id, after_sequence: 0 })).rejects.toMatchObject({
        type: 'not_found',
      });
    }
    await expect(replay(agent, { chat_id: randomUUID(), after_sequence: 0 })).rejects.toMatchObject(
      {
        type: 'not_found',
      },
    );
  });
});
