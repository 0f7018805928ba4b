import type { Subscription } from '@nats-io/nats-core';
import { decodePush } from '@threadline/bus';
import type { Push, Requester } from '@threadline/contracts';
import { type PushPosition, pushPositionKey, pushPositionOf } from '@threadline/protocol';
import type { TestChatStores } from './harness.ts';

/**
 * A push as a test reads it: the action and the parsed payload (LiveChat's fields), its position
 * in the chat's log (Threadline's `_threadline`, apart), plus where it came from.
 */
export interface ReceivedPush {
  action: string;
  payload: Record<string, unknown>;
  position: PushPosition | undefined;
  push: Push;
}

/**
 * Collects the pushes published on a user's subject, as a gateway serving that user would.
 * Pushes are fire-and-forget, so they may trail the reply: `next` waits for them.
 */
export async function listenForPushes(sut: TestChatStores, user: Requester) {
  const received: ReceivedPush[] = [];
  const subscription: Subscription = sut.client.connection.subscribe(
    sut.subjects.userPushes(user.organizationId, user.userId),
    {
      callback: (_error, message) => {
        const push = decodePush(message.data);
        const { [pushPositionKey]: _position, ...payload } = JSON.parse(push.payloadJson);
        const position = pushPositionOf({ [pushPositionKey]: _position });
        received.push({ action: push.action, payload, position, push });
      },
    },
  );
  await sut.client.connection.flush();
  const matching = (action: string) => received.filter((push) => push.action === action);
  return {
    received,
    /** Waits until `count` pushes of `action` arrived; returns them all. */
    async next(action: string, count = 1): Promise<ReceivedPush[]> {
      for (let waited = 0; waited < 5_000; waited += 20) {
        if (matching(action).length >= count) return matching(action);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no ${action} push for ${user.userId}`);
    },
    /** The pushes of `action` so far, after giving stragglers a moment. */
    async settled(action: string): Promise<ReceivedPush[]> {
      await sut.client.connection.flush();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return matching(action);
    },
    stop: () => subscription.unsubscribe(),
  };
}

export type PushListener = Awaited<ReturnType<typeof listenForPushes>>;
