import type { Requester } from '@threadline/contracts';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatLog } from './chat-log.ts';
import {
  type BurstOrganization,
  inParallel,
  type RoutingPlatform,
  startRoutingPlatform,
} from './routing-platform.ts';

/**
 * 1,000 chats started at once against 50 agents whose limits add up to 950: 50 chats must wait,
 * then 100 chats close and the queue drains. Invariants are read from chat-store's event log.
 */
const chatCount = 1000;
const agentCount = 50;
/** Limits 13..25 (sum 950): below the chat count, so the queue is exercised but stays short. */
const limitOf = (index: number) => 13 + (index % 5) * 3;
const closedCount = 100;
const inFlight = 64;

let sut: RoutingPlatform;

beforeAll(async () => {
  sut = await startRoutingPlatform();
});
afterAll(async () => {
  await sut?.stop();
});

describe('routing a burst of 1,000 chats with two router replicas', () => {
  it('assigns every chat exactly once, never above a limit, and drains the queue', async () => {
    await burst(sut.organization(), async () => undefined);
  });

  it('keeps the invariants when a router replica is killed halfway and a new one starts', async () => {
    let restarted: Promise<void> | undefined;
    await burst(sut.organization(), async (started) => {
      if (started !== chatCount / 2) return;
      await sut.platform.kill('router', 0);
      // Chats keep coming while the new replica starts; the survivor takes over meanwhile.
      restarted = sut.platform.restart('router', 0);
    });
    await restarted;
  });
});

async function burst(
  organization: BurstOrganization,
  afterStart: (startedSoFar: number) => Promise<void>,
): Promise<void> {
  const agents = Array.from({ length: agentCount }, (_, index) =>
    organization.agent(index, limitOf(index)),
  );
  const limits = new Map(agents.map((agent) => [agent.userId, agent.maxChatsCount]));
  const capacity = agents.reduce((sum, agent) => sum + agent.maxChatsCount, 0);
  await Promise.all(agents.map((agent) => organization.acceptChats(agent)));

  let started = 0;
  const chats = await inParallel(Array.from({ length: chatCount }), inFlight, async () => {
    const chat = await organization.startChat(organization.customer());
    started += 1;
    await afterStart(started);
    return chat;
  });
  expect(new Set(chats.map((chat) => chat.chat_id)).size).toBe(chatCount);

  // Everyone full, the rest waiting: nothing more can happen until a chat closes.
  const full = await eventually(async () => {
    expect(await sut.waitingInRouter(organization.id)).toBe(chatCount - capacity);
    const log = await sut.readLog(organization.id);
    expect(assignedThreads(log)).toHaveLength(capacity);
    return log;
  }, 60_000);
  for (const [agentId, limit] of limits) expect(full.load.get(agentId)).toBe(limit);

  // Agents close chats: the freed slots go to the waiting chats.
  const byAgent = new Map(agents.map((agent) => [agent.userId, agent] as const));
  const toClose = assignedThreads(full).slice(0, closedCount);
  await inParallel(toClose, inFlight, (thread) =>
    organization.deactivateChat(agentOf(byAgent, thread.agents), thread.chatId),
  );
  const settled = await eventually(async () => {
    const log = await sut.readLog(organization.id);
    expect(unassignedActiveThreads(log)).toEqual([]);
    return log;
  }, 60_000);

  expectInvariants(settled, limits, chats);
  expect(await sut.waitingInRouter(organization.id)).toBe(0);
  const active = [...settled.threads.values()].filter((thread) => thread.active);
  expect(active).toHaveLength(chatCount - closedCount);
  const load = [...settled.load.values()].reduce((sum, value) => sum + value, 0);
  expect(load).toBe(chatCount - closedCount);
}

function expectInvariants(
  log: ChatLog,
  limits: Map<string, number>,
  chats: { chat_id: string; thread_id: string }[],
): void {
  // Nothing lost, nothing doubled: one chat and one thread per start_chat.
  expect(log.created.size).toBe(chats.length);
  expect([...log.created.values()].every((count) => count === 1)).toBe(true);
  expect(log.threads.size).toBe(chats.length);
  for (const chat of chats) {
    const thread = log.threads.get(`${chat.chat_id}/${chat.thread_id}`);
    // Assigned exactly once, even when a batch was handled twice (redelivery, the other replica).
    expect(thread?.assignments, `${chat.chat_id} assignments`).toBe(1);
    if (thread?.active) expect(thread.agents.size, `${chat.chat_id} agents`).toBe(1);
  }
  for (const [agentId, maxLoad] of log.maxLoad) {
    expect(maxLoad, `${agentId} at most`).toBeLessThanOrEqual(limits.get(agentId) ?? 0);
  }
}

function assignedThreads(log: ChatLog) {
  return [...log.threads.values()].filter((thread) => thread.active && thread.agents.size > 0);
}

function unassignedActiveThreads(log: ChatLog) {
  return [...log.threads.values()]
    .filter((thread) => thread.active && thread.agents.size === 0)
    .map((thread) => thread.chatId);
}

function agentOf(byAgent: Map<string, Requester>, agentIds: Set<string>): Requester {
  const [agentId] = agentIds;
  const agent = agentId ? byAgent.get(agentId) : undefined;
  if (!agent) throw new Error(`no agent among ${[...agentIds].join(', ')}`);
  return agent;
}
