import { fold, initialState } from '../domain/chat.evolve.ts';
import type { ChatDomainEvent, ChatState } from '../domain/chat.types.ts';
import type { ChatBatch, EventLog, StoredBatch } from './ports.ts';
import { withPushed } from './pushes.ts';

/** An aggregate as loaded from its stream, with what optimistic appends and retries need. */
export interface LoadedChat {
  state: ChatState;
  /** Version of the last batch folded in (0 for a chat that does not exist). */
  version: number;
  /** Stream sequence of that batch: the expected last subject sequence of the next append. */
  sequence: number;
  /** Events of the chat's recent commands by command id, so a retry gets its first answer. */
  commands: ReadonlyMap<string, ChatDomainEvent[]>;
  /** Each user's last batch with a replayable push for them: the `previous` of their next push. */
  lastPushed: ReadonlyMap<string, number>;
}

/** Enough to answer retries well past the stream's two-minute duplicate window. */
const rememberedCommands = 64;

/**
 * Loads chat aggregates from the event log and keeps them in memory (least recently used first
 * out). A cached aggregate may be stale when another replica appended: the append then fails on
 * its expected sequence, and `refresh` reads only the batches after the cached one.
 */
export function createChatRepository(eventLog: EventLog, options: { maxChats?: number } = {}) {
  const maxChats = options.maxChats ?? 10_000;
  const cache = new Map<string, LoadedChat>();

  function remember(key: string, chat: LoadedChat): LoadedChat {
    cache.delete(key);
    cache.set(key, chat);
    if (cache.size > maxChats) cache.delete(cache.keys().next().value as string);
    return chat;
  }

  async function refresh(organizationId: string, chatId: string): Promise<LoadedChat> {
    const key = cacheKey(organizationId, chatId);
    const base = cache.get(key) ?? emptyChat();
    const stored = await eventLog.readChat(organizationId, chatId, base.sequence);
    return remember(key, stored.reduce(withStoredBatch, base));
  }

  return {
    /** The aggregate, from memory when cached (`fresh: false`: it may lag behind the stream). */
    async get(
      organizationId: string,
      chatId: string,
    ): Promise<{ chat: LoadedChat; fresh: boolean }> {
      const key = cacheKey(organizationId, chatId);
      const cached = cache.get(key);
      if (cached) return { chat: remember(key, cached), fresh: false };
      return { chat: await refresh(organizationId, chatId), fresh: true };
    },
    refresh,
    /** Folds a batch this replica just appended into the cached aggregate. */
    record(chat: LoadedChat, batch: ChatBatch, sequence: number): LoadedChat {
      return remember(
        cacheKey(batch.organizationId, batch.chatId),
        withStoredBatch(chat, { sequence, batch }),
      );
    },
    forget(organizationId: string, chatId: string): void {
      cache.delete(cacheKey(organizationId, chatId));
    },
  };
}

export type ChatRepository = ReturnType<typeof createChatRepository>;

function emptyChat(): LoadedChat {
  return {
    state: initialState(),
    version: 0,
    sequence: 0,
    commands: new Map(),
    lastPushed: new Map(),
  };
}

function withStoredBatch(chat: LoadedChat, { sequence, batch }: StoredBatch): LoadedChat {
  const commands = new Map(chat.commands);
  commands.set(batch.commandId, batch.events);
  while (commands.size > rememberedCommands)
    commands.delete(commands.keys().next().value as string);
  const state = fold(batch.events, chat.state);
  return {
    state,
    version: batch.version,
    sequence,
    commands,
    lastPushed: withPushed(chat.lastPushed, batch.version, batch.notifications, [
      chat.state,
      state,
    ]),
  };
}

function cacheKey(organizationId: string, chatId: string): string {
  return `${organizationId}\u0000${chatId}`;
}
