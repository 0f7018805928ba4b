import type { ChatEventBatch } from '@threadline/contracts';

/** One thread as chat-store's event log tells it. */
export interface LoggedThread {
  chatId: string;
  threadId: string;
  active: boolean;
  /** `user_added` events with reason `assigned`: the router's assignments that took effect. */
  assignments: number;
  /** Agents present in the thread now. */
  agents: Set<string>;
}

/** What the routing invariants are checked against: chat-store's events, not the router's tables. */
export interface ChatLog {
  /** `chat_created` events per chat id (1 each, or a chat was created twice). */
  created: Map<string, number>;
  threads: Map<string, LoggedThread>;
  /** Active threads each agent is present in now. */
  load: Map<string, number>;
  /** The highest `load` each agent reached at any point of the log. */
  maxLoad: Map<string, number>;
}

interface ChatCursor {
  activeThread: LoggedThread | undefined;
}

/**
 * Folds chat event batches in stream order (JetStream's order is the order chat-store's appends
 * were accepted, across every chat) into per-thread assignments and per-agent load over time.
 * The router frees a slot only after it read the append that freed it, so at no point of this
 * order may an agent carry more than their limit.
 */
export function foldChatLog(batches: Iterable<ChatEventBatch>): ChatLog {
  const log: ChatLog = {
    created: new Map(),
    threads: new Map(),
    load: new Map(),
    maxLoad: new Map(),
  };
  const chats = new Map<string, ChatCursor>();
  const changeLoad = (agentId: string, by: number) => {
    const load = (log.load.get(agentId) ?? 0) + by;
    log.load.set(agentId, load);
    log.maxLoad.set(agentId, Math.max(log.maxLoad.get(agentId) ?? 0, load));
  };
  for (const batch of batches) {
    const chat = chats.get(batch.chatId) ?? { activeThread: undefined };
    chats.set(batch.chatId, chat);
    for (const event of batch.events) {
      const data = JSON.parse(event.dataJson) as Record<string, unknown>;
      switch (event.type) {
        case 'chat_created':
          log.created.set(batch.chatId, (log.created.get(batch.chatId) ?? 0) + 1);
          break;
        case 'thread_opened': {
          const thread: LoggedThread = {
            chatId: batch.chatId,
            threadId: String(data.thread_id),
            active: data.active !== false,
            assignments: 0,
            agents: new Set(),
          };
          log.threads.set(`${batch.chatId}/${thread.threadId}`, thread);
          chat.activeThread = thread.active ? thread : undefined;
          break;
        }
        case 'user_added': {
          const user = data.user as { id: string; type: string };
          const thread = chat.activeThread;
          if (user.type !== 'agent' || !thread) break;
          if (data.reason === 'assigned') thread.assignments += 1;
          if (thread.agents.has(user.id)) break;
          thread.agents.add(user.id);
          changeLoad(user.id, 1);
          break;
        }
        case 'user_removed': {
          const thread = chat.activeThread;
          const userId = String(data.user_id);
          if (thread?.agents.delete(userId)) changeLoad(userId, -1);
          break;
        }
        case 'thread_closed': {
          const thread = chat.activeThread;
          if (!thread) break;
          for (const agentId of thread.agents) changeLoad(agentId, -1);
          thread.agents.clear();
          thread.active = false;
          chat.activeThread = undefined;
          break;
        }
        default:
          break;
      }
    }
  }
  return log;
}
