import { setTimeout as sleep } from 'node:timers/promises';
import type { RtmClient } from '@threadline/sdk';
import { type BenchPlatform, connectAgent, connectCustomer } from './bench-platform.ts';

/** A chat between one customer and the agent it was routed to, both logged in over RTM. */
export interface Conversation {
  chatId: string;
  customer: RtmClient;
  agent: RtmClient;
}

/**
 * `chats` conversations on a started bench platform: every agent of the organization logged in
 * and accepting chats, one customer per chat starting it, each chat routed by the router (the
 * agent's `incoming_chat` seen). Customers take the gateways in turn and agents start on the other
 * one, so with two gateways most pushes cross from one to the other. `concurrency` customers start
 * chats at once: setting up 200 chats one by one would take longer than measuring them.
 */
export async function openConversations(
  bench: BenchPlatform,
  chats: number,
  concurrency = 10,
): Promise<{ conversations: Conversation[]; sockets: RtmClient[] }> {
  const gateways = bench.platform.gatewayUrls;
  const sockets: RtmClient[] = [];
  const routedTo = new Map<string, RtmClient>();
  const waiting = new Map<string, (agent: RtmClient) => void>();
  for (const [index, agent] of bench.agents.entries()) {
    const socket = await connectAgent(gateways[(index + 1) % gateways.length]!, agent);
    sockets.push(socket);
    socket.onPush((push) => {
      if (push.action !== 'incoming_chat') return;
      const chatId = (push.payload as { chat: { id: string } }).chat.id;
      if (routedTo.has(chatId)) return;
      routedTo.set(chatId, socket);
      waiting.get(chatId)?.(socket);
    });
  }
  const routed = (chatId: string) =>
    new Promise<RtmClient>((resolve, reject) => {
      const agent = routedTo.get(chatId);
      if (agent) return resolve(agent);
      const timer = setTimeout(
        () => reject(new Error(`chat ${chatId} not routed in 30 s`)),
        30_000,
      );
      waiting.set(chatId, (routedAgent) => {
        clearTimeout(timer);
        resolve(routedAgent);
      });
    });

  const openOne = async (index: number) => {
    const customer = await connectCustomer(gateways[index % gateways.length]!, bench);
    sockets.push(customer);
    const started = await customer.request('start_chat', {
      chat: { thread: { events: [{ type: 'message', text: 'hello' }] } },
    });
    const chatId = String(started.chat_id);
    return { chatId, customer, agent: await routed(chatId) };
  };
  const conversations: Conversation[] = [];
  let next = 0;
  const open = async () => {
    while (next < chats) {
      const index = next++;
      // Set-up is not measured: a request the loaded machine fails (a timeout, Postgres out of
      // connections) is tried again, twice at most.
      for (let attempt = 1; ; attempt += 1) {
        try {
          conversations.push(await openOne(index));
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
          await sleep(1_000);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, chats) }, open));
  } catch (error) {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    throw error;
  }
  for (const socket of sockets) socket.pushes.length = 0;
  return { conversations, sockets };
}
