import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RtmClient } from '@threadline/sdk';
import type { Conversation } from './conversations.ts';

/** What one step of open-loop load did. */
export interface LoadStep {
  /** Offered events per second. */
  rate: number;
  seconds: number;
  sent: number;
  /** What the generator managed to send per second (below `rate`: the load generator fell behind). */
  sentPerSecond: number;
  /** Requests the platform refused or did not answer in time, by error type. */
  refused: Record<string, number>;
  accepted: number;
  /** Accepted events whose `incoming_event` reached the other side of the chat. */
  delivered: number;
  /** Accepted events whose push had not arrived `drainMs` (15 s) after the last answer. */
  missing: number;
  /** Pushes delivered per second, from the first send to the last push. */
  deliveredPerSecond: number;
  /** send_event sent → the other side's `incoming_event` push, ms, one per delivered event. */
  latencies: number[];
}

interface Expected {
  sentAt: number;
  recipient: RtmClient;
}

/**
 * `rate` events per second for `seconds` over the conversations, open loop (sends keep their
 * schedule however slowly the platform answers): event i goes to chat i mod n, and a chat's
 * senders alternate customer, agent, customer… Each event's text names the step and its index,
 * so its push is recognised at the other side of the chat and nowhere else (the sender's own
 * copy does not count), and a late push from an earlier step is not taken for this one's.
 */
export async function runLoadStep(
  conversations: readonly Conversation[],
  options: { rate: number; seconds: number; label: string; drainMs?: number },
): Promise<LoadStep> {
  const { rate, seconds, label } = options;
  const pattern = new RegExp(`^${label} (\\d+)$`);
  const expected = new Map<number, Expected>();
  const latencies: number[] = [];
  let lastArrival = 0;
  const sockets = new Set(conversations.flatMap(({ customer, agent }) => [customer, agent]));
  const listeners = [...sockets].map((socket) =>
    socket.onPush((push) => {
      socket.pushes.length = 0; // the client keeps every push; a long run needs none of them
      if (push.action !== 'incoming_event') return;
      const text = (push.payload as { event?: { text?: string } }).event?.text ?? '';
      const index = Number(pattern.exec(text)?.[1] ?? Number.NaN);
      const wanted = expected.get(index);
      if (wanted?.recipient !== socket) return;
      lastArrival = performance.now();
      expected.delete(index);
      latencies.push(lastArrival - wanted.sentAt);
    }),
  );

  const refused = new Map<string, number>();
  const send = (index: number): Promise<void> => {
    const { chatId, customer, agent } = conversations[index % conversations.length]!;
    const byCustomer = Math.floor(index / conversations.length) % 2 === 0;
    expected.set(index, {
      sentAt: performance.now(),
      recipient: byCustomer ? agent : customer,
    });
    return (byCustomer ? customer : agent)
      .request('send_event', {
        chat_id: chatId,
        event: { type: 'message', text: `${label} ${index}` },
      })
      .then(
        () => undefined,
        (error: unknown) => {
          expected.delete(index);
          const type = (error as { type?: string }).type ?? String(error);
          refused.set(type, (refused.get(type) ?? 0) + 1);
        },
      );
  };

  const total = Math.round(rate * seconds);
  const sends: Promise<void>[] = [];
  const start = performance.now();
  try {
    // Timers fire a millisecond or more apart: at high rates every wake-up sends all that is due.
    while (sends.length < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sends.length < due) sends.push(send(sends.length));
      const nextDue = start + (sends.length * 1000) / rate;
      if (sends.length < total) await sleep(Math.max(1, nextDue - performance.now()));
    }
    const sentPerSecond = total / ((performance.now() - start) / 1000);
    await Promise.all(sends);
    const refusedCount = [...refused.values()].reduce((sum, count) => sum + count, 0);
    const accepted = total - refusedCount;
    const deadline = performance.now() + (options.drainMs ?? 15_000);
    while (latencies.length < accepted && performance.now() < deadline) await sleep(20);
    const delivered = latencies.length;
    return {
      rate,
      seconds,
      sent: total,
      sentPerSecond,
      refused: Object.fromEntries(refused),
      accepted,
      delivered,
      missing: Math.max(0, accepted - delivered),
      deliveredPerSecond: delivered / (Math.max(lastArrival - start, 1) / 1000),
      latencies,
    };
  } finally {
    for (const stop of listeners) stop();
  }
}
