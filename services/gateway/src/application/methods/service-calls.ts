import type { Identity } from '@threadline/accounts';
import { Requester } from '@threadline/contracts';
import { stableVersion } from '@threadline/protocol';
import { newCommand, toRequester } from '../commands.ts';
import type { LocalMethodDependencies } from './local-method.ts';

/**
 * Asks another service on the gateway's own behalf, as a given user: the local methods read
 * chats (chat-store) and routing (router) this way, never their tables.
 */
export async function callService(
  dependencies: Pick<LocalMethodDependencies, 'services'>,
  subject: string,
  action: string,
  payload: unknown,
  requester: Requester,
  /** A deterministic id and time, for commands whose repeats chat-store must absorb. */
  options: { commandId?: string; now?: Date; timeoutMs?: number } = {},
): Promise<unknown> {
  const { timeoutMs = 5_000, ...ids } = options;
  const command = newCommand({
    identity: undefined,
    context: {},
    action,
    payload,
    version: stableVersion,
    requester,
    ...ids,
  });
  return dependencies.services.call(subject, command, { timeoutMs });
}

/** The requester of a customer, as chat-store expects one (exactly one group). */
export function customerRequester(organizationId: string, customerId: string): Requester {
  return Requester.fromPartial({
    organizationId,
    userId: customerId,
    userType: 'customer',
    groupIds: [0],
  });
}

/**
 * An agent's own requester, as the dispatcher builds it (no connection, no request), reaching
 * the chats `action` lets its token reach (`toRequester`).
 */
export function agentRequester(identity: Identity, action?: string): Requester {
  return toRequester(identity, {}, action);
}

export interface CustomerChats {
  chatIds: string[];
  activeChatIds: string[];
  /** The customer's active chats with their current thread. */
  activeChats: { chatId: string; threadId: string }[];
  /** Agents in the customer's active chats: they hear about changes to the customer. */
  agentIds: string[];
  threadsCount: number;
}

/** The customer's chats, as chat-store shows them to the customer. */
export async function customerChats(
  dependencies: Pick<LocalMethodDependencies, 'services' | 'subjects'>,
  organizationId: string,
  customerId: string,
  options: { countThreads?: boolean } = {},
): Promise<CustomerChats> {
  const requester = customerRequester(organizationId, customerId);
  const result = (await callService(
    dependencies,
    dependencies.subjects.chatStoreQuery,
    'list_chats',
    { limit: 25 },
    requester,
  )) as { chats_summary?: Summary[] };
  const summaries = result.chats_summary ?? [];
  const active = summaries.filter((summary) => summary.active === true);
  const agentIds = active.flatMap((summary) =>
    (summary.users ?? []).filter((user) => user.type === 'agent').map((user) => user.id),
  );
  let threadsCount = 0;
  if (options.countThreads) {
    const counts = await Promise.all(
      summaries.map(async (summary) => {
        const threads = (await callService(
          dependencies,
          dependencies.subjects.chatStoreQuery,
          'list_threads',
          { chat_id: summary.id, limit: 1 },
          requester,
        )) as { found_threads?: number };
        return threads.found_threads ?? 0;
      }),
    );
    threadsCount = counts.reduce((sum, count) => sum + count, 0);
  }
  return {
    chatIds: summaries.map((summary) => summary.id),
    activeChatIds: active.map((summary) => summary.id),
    activeChats: active.map((summary) => ({
      chatId: summary.id,
      threadId: summary.last_thread_id ?? '',
    })),
    agentIds: [...new Set(agentIds)],
    threadsCount,
  };
}

interface Summary {
  id: string;
  active?: boolean;
  last_thread_id?: string;
  users?: { id: string; type: string }[];
}

/** Agents connected somewhere (the router knows every logged-in agent's status). */
export async function connectedAgentIds(
  dependencies: Pick<LocalMethodDependencies, 'services' | 'subjects' | 'logger'>,
  caller: Requester,
  groupIds?: number[],
): Promise<string[]> {
  const statuses = (await callService(
    dependencies,
    dependencies.subjects.routerExecute,
    'list_routing_statuses',
    groupIds ? { filters: { group_ids: groupIds } } : {},
    caller,
  )) as { agent_id: string; status: string }[];
  return statuses.filter((entry) => entry.status !== 'offline').map((entry) => entry.agent_id);
}
